/** What the project asks of the job kind: the jobs its files declare, and how they depend on each other. */
import type { Job, JobSubmissionInput } from '../../nomad/types.js';

export interface DesiredJob {
  readonly job: Job;
  readonly submission?: JobSubmissionInput;
  readonly file?: string;
  /** From drover.hcl `job "<id>" { depends_on = [...] }`; the job's meta drover.depends_on adds to it. */
  readonly dependsOn?: readonly string[];
}

export interface JobsDesired {
  readonly jobs: readonly DesiredJob[];
  /** depends_on from drover.hcl for jobs that may only exist in Nomad (deletes follow it too). */
  readonly dependsOn?: Readonly<Record<string, readonly string[]>>;
  /** Prune even when no job file declares any job (deletes every job of the stack). */
  readonly dangerouslyAllowEmptyPrune?: boolean;
  /** Re-parses a stored submission into API JSON (the local diff's baseline); injected to keep kinds off source/. */
  readonly reparseSubmission?: (submission: JobSubmissionInput, job: Job) => Job | undefined;
}
