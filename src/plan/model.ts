/**
 * The Plan: pure data, computed once, rendered many ways. A closed set of actions, each with one symbol;
 * derived facts (counts, whether anything changes) live here so every renderer agrees.
 */
import type { DesiredUpdates, Job, JobDiff, AllocMetric } from '../nomad/types.js';

/** The diff shapes a plan carries are Nomad's own (renderers read them from here). */
export type { FieldDiff, JobDiff, ObjectDiff, TaskDiff, TaskGroupDiff } from '../nomad/types.js';

export const ACTIONS = ['create', 'update', 'start', 'adopt', 'promote', 'revert', 'delete', 'noop'] as const;
export type Action = (typeof ACTIONS)[number];

export const ACTION_SYMBOL: Readonly<Record<Action, string>> = {
  create: '+',
  update: '~',
  start: '▶',
  adopt: '≈',
  promote: '↑',
  revert: '↺',
  delete: '-',
  noop: ' ',
};

export interface JobChange {
  readonly id: string;
  readonly namespace: string;
  readonly action: Action;
  /** 0-based; deletes come after every registration wave. */
  readonly wave: number;
  /**
   * The jobs it depends on (drover.hcl and its meta), as the waves were worked out from them; absent when none.
   * A delete's are the jobs it is deleted before.
   */
  readonly dependsOn?: readonly string[];
  /** The job drover will register (stamped with the stack), absent for deletes. */
  readonly job?: Job;
  /** What Nomad keeps as the job's source. */
  readonly submission?: {
    Source: string;
    Format: 'hcl2' | 'json';
    VariableFlags?: Record<string, string>;
    Variables?: string;
  };
  /** The file it came from. */
  readonly file?: string;
  /** (revert) The version the job is at, planned against (the revert enforces it), and the one it goes back to. */
  readonly revert?: { readonly fromVersion: number; readonly toVersion: number };
  /** (promote) The deployment whose canaries are healthy and wait for a promotion. */
  readonly deploymentId?: string;
  /** The JobModifyIndex seen now: registration enforces it (0 for a create). */
  readonly jobModifyIndex: number;
  /** Field-level differences (Nomad's plan endpoint, or computed locally). */
  readonly diff?: JobDiff;
  /** Scheduler annotations per group. */
  readonly annotations?: Readonly<Record<string, DesiredUpdates>>;
  /** Groups Nomad could not place, with its metrics. */
  readonly placementFailures?: Readonly<Record<string, AllocMetric>>;
  readonly warnings: readonly string[];
  /** Groups whose live count was kept (--preserve-counts): group → { live, file }. */
  readonly preservedCounts?: Readonly<Record<string, { readonly live: number; readonly file: number }>>;
  /** Changes hidden as noise (drover's stamp, server-filled fields). */
  readonly ignoredFields: number;
  /** The diff was computed by drover (read-only token or --read-only), not by Nomad's plan endpoint. */
  readonly computedLocally: boolean;
}

export interface PlanSettings {
  readonly address: string;
  readonly namespace: string;
  readonly region?: string;
  readonly stack?: string;
  /** The drover.hcl the plan read, relative to where drover ran; absent when none applied. */
  readonly projectFile?: string;
  readonly stampKey: string;
  readonly prune: boolean;
  readonly preserveCounts: boolean;
  readonly targets: readonly string[];
  readonly maskPatterns: readonly string[];
  /** Deletes purge the jobs (a job already stopped is listed too, to be purged); absent: they are stopped. */
  readonly purge?: boolean;
  /** The plan deletes every job of the stack (drover plan --destroy, drover destroy). */
  readonly destroy?: boolean;
}

export interface Plan {
  readonly settings: PlanSettings;
  /** In the order apply runs them: waves of registrations, then deletes in reverse dependency order. */
  readonly changes: readonly JobChange[];
  readonly createdAt: string;
  /** About the stack itself, beside the changes: who holds its lock, what drifted since drover applied it. */
  readonly notes?: readonly string[];
}

export function countByAction(plan: Plan): Record<Action, number> {
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  for (const change of plan.changes) counts[change.action]++;
  return counts;
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== 'noop');
}

export function changeKey(change: Pick<JobChange, 'namespace' | 'id'>): string {
  return `${change.namespace}/${change.id}`;
}

/** The plan with each created job shown by its groups only, without its full spec (--compact). */
export function compactPlan<P extends Plan>(plan: P): P {
  return {
    ...plan,
    changes: plan.changes.map((change) => {
      if (change.action !== 'create' || !change.diff) return change;
      const { diff: _spec, ...compact } = change;
      return compact;
    }),
  };
}
