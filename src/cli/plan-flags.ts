import * as Flags from '@oclif/core/flags';
import type { NomadAccess } from '../actions/nomad-access.js';
import type { ProjectPlanInputs } from '../actions/plan-project.js';
import { DEFAULT_PLAN_CONCURRENCY } from '../plan/build-plan.js';

/** --skip-check NAME: one run overrides a check of drover.hcl (recorded in the stack's history with who ran it). */
export function skipCheckFlag() {
  return Flags.string({
    summary:
      "Override this check of drover.hcl for this run (repeatable); the stack's history records it and who ran it.",
    multiple: true,
  });
}

/** --cluster: the clusters of drover.hcl's cluster blocks a command works on (plan, apply, status, destroy, …). */
export const clusterFlag = Flags.string({
  summary: "Only this cluster of drover.hcl's cluster blocks (repeatable; default every one).",
  multiple: true,
});

/** What decides a plan: the stack, its scope, pruning and counts. */
export const planFlags = {
  stack: Flags.string({
    summary:
      'The stack name stamped on every job (meta drover.stack); required for --prune [env: DROVER_STACK].',
  }),
  target: Flags.string({ summary: 'Plan only this job ID (repeatable).', multiple: true }),
  prune: Flags.boolean({ summary: "Delete this stack's jobs that no file declares.", allowNo: true }),
  'dangerously-prune-everything': Flags.boolean({
    summary: 'Let --prune delete every job of the stack when no file declares any.',
  }),
  'preserve-counts': Flags.boolean({
    summary: "Keep each group's live count instead of the file's (for autoscaled groups).",
  }),
  'read-only': Flags.boolean({
    summary: "Diff locally instead of with Nomad's plan endpoint (which needs submit-job).",
  }),
  'show-sensitive': Flags.boolean({ summary: 'Show values that match the masking patterns.' }),
  compact: Flags.boolean({ summary: 'Show a new job by its groups, not its full spec.' }),
  'skip-check': skipCheckFlag(),
  concurrency: Flags.integer({
    summary: 'Requests to Nomad in flight at once.',
    default: DEFAULT_PLAN_CONCURRENCY,
    min: 1,
  }),
  cluster: clusterFlag,
};

/** The plan inputs that --var, --var-file and `planFlags` carry, as plan and apply read them. */
export function planInputsFrom(flags: {
  var?: string[];
  'var-file'?: string[];
  target?: string[];
  stack?: string;
  prune?: boolean;
  'preserve-counts': boolean;
  'read-only': boolean;
  'dangerously-prune-everything': boolean;
  concurrency: number;
  cluster?: string[];
  'skip-check'?: string[];
}): Omit<ProjectPlanInputs, 'paths' | 'cwd' | keyof NomadAccess> {
  return {
    clusters: flags.cluster,
    vars: flags.var,
    varFiles: flags['var-file'],
    targets: flags.target,
    stack: flags.stack,
    prune: flags.prune,
    preserveCounts: flags['preserve-counts'],
    readOnly: flags['read-only'],
    dangerouslyPruneEverything: flags['dangerously-prune-everything'],
    concurrency: flags.concurrency,
    skipChecks: flags['skip-check'] ?? [],
  };
}
