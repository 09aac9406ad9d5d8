/** Scripted failures, chosen by tests through the control API (per job ID, optionally per version, group, task). */
export type FailureKind =
  /** The driver cannot start the task (e.g. image not found): the allocation fails at once. */
  | 'driver-failure'
  /** The task starts, exits non-zero, restarts per its restart policy, then fails. */
  | 'crash-loop'
  /** The task runs but never passes its checks: unhealthy at the healthy deadline. */
  | 'unhealthy'
  /** No node has the memory: placement fails with NodesExhausted / DimensionExhausted. */
  | 'unplaceable-resources'
  /** Every node is filtered by a constraint. */
  | 'unplaceable-constraint'
  /** Batch: the task completes with this exit code (non-zero: the allocation fails after its restarts). */
  | 'exit-code'
  /** The task ignores its kill signal: stopping it takes its kill_timeout (default 5s). */
  | 'slow-stop';

export interface FailureScript {
  readonly kind: FailureKind;
  /** Only this job version misbehaves (default: every version). */
  readonly version?: number;
  readonly group?: string;
  readonly task?: string;
  readonly exitCode?: number;
  /** The driver error text for driver-failure. */
  readonly message?: string;
  /** Lines the failing task writes to stderr. */
  readonly stderr?: readonly string[];
}

export interface Timings {
  /** From an evaluation's creation to the scheduler's plan. */
  readonly schedulerMs: number;
  /** From placement to the task running. */
  readonly allocStartMs: number;
  /** How long a batch task runs before it exits. */
  readonly batchRunMs: number;
  /** From a stop request to the tasks being dead. */
  readonly stopMs: number;
  /** How long a crash-looping task runs before each exit. */
  readonly crashAfterMs: number;
}

export const DEFAULT_TIMINGS: Timings = {
  schedulerMs: 50,
  allocStartMs: 1000,
  batchRunMs: 3000,
  stopMs: 500,
  crashAfterMs: 2000,
};

export function findScript(
  scripts: readonly FailureScript[],
  kinds: readonly FailureKind[],
  version: number,
  group: string,
  task?: string,
): FailureScript | undefined {
  return scripts.find(
    (s) =>
      kinds.includes(s.kind) &&
      (s.version === undefined || s.version === version) &&
      (s.group === undefined || s.group === group) &&
      (task === undefined || s.task === undefined || s.task === task),
  );
}
