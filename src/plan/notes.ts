/**
 * What a plan says about a change beside its diff, as typed facts with their data. render/ turns them into words;
 * nothing decides on them.
 */
import type { KindName } from '../kinds/address.js';
import type { AllocMetric, DesiredUpdates } from '../nomad/types.js';

export type ChangeNote =
  /** Nomad's own warning on the job (its plan endpoint's Warnings), in its words. */
  | { readonly type: 'nomad-warning'; readonly text: string }
  /** The token may not use the plan endpoint (submit-job or plan-job): the diff was computed by drover. */
  | { readonly type: 'plan-endpoint-refused' }
  /** No field shown changes, but the scheduler would move allocations (perhaps for a field drover hides). */
  | {
      readonly type: 'allocations-only';
      readonly effects: Readonly<Record<string, DesiredUpdates>>;
      readonly hiddenFields: readonly string[];
    }
  /** The stack takes the job over by stamping it: Nomad replaces its allocations for a meta change. */
  | {
      readonly type: 'adopt-stamp';
      readonly kind: KindName;
      readonly stampKey: string;
      readonly stack: string;
    }
  /** The stack takes over an object without meta to stamp (an ACL policy or role, a variable) by listing it in its inventory. */
  | { readonly type: 'adopt-inventory'; readonly kind: KindName; readonly stack: string }
  /** A group Nomad could not place, with its metrics. */
  | { readonly type: 'placement-failed'; readonly group: string; readonly metric: AllocMetric }
  /**
   * The job's namespace or node pool is created by this plan: Nomad cannot plan a job in one that does not exist
   * yet, so drover diffed it.
   */
  | { readonly type: 'created-first'; readonly kind: 'namespace' | 'node-pool'; readonly name: string }
  /** Settings of Nomad Enterprise the object uses: open-source Nomad refuses it as unlicensed. */
  | { readonly type: 'enterprise-only'; readonly kind: KindName; readonly settings: readonly string[] }
  /** A revert to a version whose spec is the current one's: Nomad registers it again as a new version. */
  | { readonly type: 'same-spec-revert'; readonly fromVersion: number; readonly toVersion: number };
