/** What an apply over several clusters ended with (actions/apply-project.ts), cluster by cluster. */
import type { ProjectPlan } from '../plan/project-plan.js';
import type { ApplyOutcome } from './types.js';

/** What happened in one cluster. */
export type ClusterRun =
  | { readonly cluster: string; readonly status: 'ran'; readonly outcome: ApplyOutcome }
  | { readonly cluster: string; readonly status: 'not-started'; readonly reason: string }
  | {
      readonly cluster: string;
      readonly status: 'failed';
      readonly error: { readonly message: string; readonly hint?: string; readonly code: string };
    };

export type ProjectApplyOutcome =
  | { readonly kind: 'one'; readonly outcome: ApplyOutcome }
  | {
      readonly kind: 'clusters';
      /** What was planned (a cluster that failed before its plan was made is missing). */
      readonly project?: ProjectPlan;
      readonly decision: 'no-changes' | 'declined' | 'applied' | 'refused';
      /** In drover.hcl's order. */
      readonly runs: readonly ClusterRun[];
    };

/** Every cluster ran to success, or there was nothing to do. */
export function rolloutSucceeded(outcome: Extract<ProjectApplyOutcome, { kind: 'clusters' }>): boolean {
  if (outcome.decision === 'no-changes') return outcome.runs.every((r) => r.status === 'ran');
  if (outcome.decision !== 'applied') return false;
  return outcome.runs.every(
    (r) =>
      r.status === 'ran' &&
      (r.outcome.kind === 'no-changes' ||
        (r.outcome.kind === 'applied' && r.outcome.result.ok && !r.outcome.lockLost)),
  );
}
