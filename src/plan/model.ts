/**
 * The Plan: pure data, computed once, rendered many ways. A closed set of actions, each with one symbol; one
 * change type, a union narrowed by kind and action; derived facts (counts, whether anything changes) live here so
 * every renderer agrees.
 */
import type { AclPolicyChange } from '../kinds/acl-policy/change.js';
import type { AclRoleChange } from '../kinds/acl-role/change.js';
import type { JobChange } from '../kinds/job/change.js';
import type { NamespaceChange } from '../kinds/namespace/change.js';
import type { NodePoolChange } from '../kinds/node-pool/change.js';
import type { VariableChange } from '../kinds/variable/change.js';
import type { Address, KindName } from '../kinds/address.js';
import type { CheckReport } from './check-report.js';
import type { JobDiff } from '../nomad/types.js';
import type { StackNote } from './notes.js';

/** The diff shapes a plan carries are Nomad's own (renderers read them from here). */
export type {
  AllocMetric,
  DesiredUpdates,
  DiffType,
  FieldDiff,
  JobDiff,
  ObjectDiff,
  TaskDiff,
  TaskGroupDiff,
} from '../nomad/types.js';
export type { Address, KindName } from '../kinds/address.js';
export { addressKey, sameAddress, KIND_NOUNS } from '../kinds/address.js';
export type { ChangeNote, StackNote } from './notes.js';
export type { CheckReport, CheckResult } from './check-report.js';

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

/** Every change a plan can hold: one member per kind, each a union by action. */
export type Change =
  NodePoolChange | NamespaceChange | AclPolicyChange | AclRoleChange | VariableChange | JobChange;
/** The changes of every kind but jobs: spec objects, one shape (kinds/object-change.ts). */
export type ObjectKindChange = Exclude<Change, JobChange>;
export type ChangeOf<K extends KindName> = Extract<Change, { readonly kind: K }>;

export interface PlanSettings {
  /** The cluster the plan was made against (its name in drover.hcl, or "default"). */
  readonly cluster: string;
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

/** A kind the token could not read: the plan says so rather than show it unchanged. */
export interface UnseenKind {
  readonly kind: KindName;
  /** What the token would need, in Nomad's terms ("a management token", "namespace capability list-jobs"). */
  readonly needs: string;
}

/** What changed in Nomad outside drover since drover last applied an object of the stack (plan only). */
export interface PlanDrift {
  readonly address: Address;
  /** How it drifted: a job's DriftKind (detect-drift.ts), or an object edited or deleted outside drover. */
  readonly change: string;
  readonly message: string;
}

export interface Plan {
  readonly settings: PlanSettings;
  /** Kinds the project declares that the token could not read: none of their changes are known. */
  readonly unseen?: readonly UnseenKind[];
  /** In the order apply runs them: waves of registrations, then deletes in reverse dependency order. */
  readonly changes: readonly Change[];
  readonly createdAt: string;
  /** About the stack itself, beside the changes: who holds its lock, what drifted since drover applied it. */
  readonly notes?: readonly StackNote[];
  /** Drift the plan read beside its changes (a plan of a stack; apply, only when a check reads it). */
  readonly drift?: readonly PlanDrift[];
  /** The project's checks (drover.hcl `check` blocks) as evaluated on this plan; absent when it declares none. */
  readonly checks?: CheckReport;
}

export function countByAction(plan: Plan): Record<Action, number> {
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  for (const change of plan.changes) counts[change.action]++;
  return counts;
}

/** Counts per action for each kind the plan changes something of, in the plan's order. */
export function countByKind(plan: Plan): Map<KindName, Record<Action, number>> {
  const counts = new Map<KindName, Record<Action, number>>();
  for (const change of plan.changes) {
    if (change.action === 'noop') continue;
    let kind = counts.get(change.kind);
    if (!kind)
      counts.set(
        change.kind,
        (kind = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>),
      );
    kind[change.action]++;
  }
  return counts;
}

/** Whether the plan changes anything, or cannot tell (a kind it could not read). */
export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== 'noop') || (plan.unseen?.length ?? 0) > 0;
}

/** Fields that changed but are not shown (drover's stamp, server-filled fields), over the whole plan. */
export function ignoredFieldCount(plan: Plan): number {
  let ignored = 0;
  for (const change of plan.changes) {
    if (change.kind !== 'job') continue;
    switch (change.action) {
      case 'promote':
      case 'delete':
        break;
      default:
        ignored += change.ignoredFields;
    }
  }
  return ignored;
}

/** The field diff a job's change shows, when it has one (a registration's or a revert's). */
export function diffOf(change: Change): JobDiff | undefined {
  if (change.kind !== 'job') return undefined;
  switch (change.action) {
    case 'promote':
    case 'delete':
      return undefined;
    default:
      return change.diff;
  }
}

/** Whether any write of the plan had its diff computed by drover (the token was refused the plan endpoint). */
export function computedLocally(plan: Plan): boolean {
  return plan.changes.some((c) => {
    if (c.kind !== 'job') return false;
    switch (c.action) {
      case 'noop':
      case 'promote':
      case 'delete':
        return false;
      default:
        return c.computedLocally;
    }
  });
}

/** The plan with each created job shown by its groups only, without its full spec (--compact). */
export function compactPlan<P extends Plan>(plan: P): P {
  return {
    ...plan,
    changes: plan.changes.map((change) => {
      if (change.kind !== 'job' || change.action !== 'create' || !change.diff) return change;
      const { diff: _spec, ...compact } = change;
      return compact;
    }),
  };
}
