/**
 * What a plan says about a change beside its diff, and about the stack beside its changes, as typed facts with their data. render/ turns them into words;
 * nothing decides on them.
 */
import type { Address, KindName } from '../kinds/address.js';
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

/** What a plan says about the stack itself, beside its changes (drover plan reads these when it names a stack). */
export type StackNote =
  /** Another run holds the stack's lock: its holder as the lock's items name it, and when drover saw it. */
  | {
      readonly type: 'stack-locked';
      readonly stack: string;
      readonly holder?: Readonly<Record<string, string>>;
      readonly seenAt: string;
    }
  /** An object the stack's inventory lists changed (its ModifyIndex moved) or went away outside drover. */
  | {
      readonly type: 'object-drift';
      readonly address: Address;
      readonly change: 'edited' | 'deleted';
      readonly recorded: number;
      readonly now?: number;
    }
  /** A job of the stack changed outside drover; `message` is what drift found, in its words. */
  | { readonly type: 'job-drift'; readonly namespace: string; readonly id: string; readonly message: string }
  /** The deployment of a job the files declare has healthy canaries waiting for promotion since `since`. */
  | {
      readonly type: 'promotion-wait';
      readonly namespace: string;
      readonly id: string;
      readonly since: string;
    }
  /** The token may not read the stack's inventory (at `path`): what it lists is adopted, never pruned. */
  | { readonly type: 'inventory-unreadable'; readonly stack: string; readonly path: string };
