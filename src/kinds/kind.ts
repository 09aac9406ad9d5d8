/**
 * What a kind of object brings to the pipeline. The planner, the applier and the renderers iterate over the
 * registered kinds (registry.ts) and never name one: a new kind is a folder implementing this and one line there.
 */
import type { Replicated } from '../watch/wait-replicated.js';
import type { ApplyOptions, ChangeResult, ApplyEvent } from '../apply/types.js';
import type { WaveBound } from '../apply/wave-bound.js';
import type { NomadClient } from '../nomad/client.js';
import type {
  Action,
  Address,
  Change,
  ChangeNote,
  KindName,
  PlanSettings,
  UnseenKind,
} from '../plan/model.js';

export interface PlanContext {
  readonly client: NomadClient;
  readonly settings: PlanSettings;
  /** Diff locally instead of calling Nomad's plan endpoints (which need write capabilities). */
  readonly readOnly?: boolean;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Deletes purge: an object already stopped is still listed (to be purged). */
  readonly purge?: boolean;
  /**
   * What the stack's inventory lists (src/stack/inventory.ts, kept in Nomad beside its lock and history): the
   * kinds without meta to stamp (ACL policies and roles, variables) adopt and prune through it, and namespaces
   * and node pools are pruned only when listed too. Absent: the plan names no stack.
   */
  readonly owned?: readonly Address[];
  /**
   * In a region other than its federated cluster's first: the namespaces and node pools it gets by replication
   * from the first region, which the rollout writes there before this region's turn.
   */
  readonly replicated?: Replicated;
  readonly signal?: AbortSignal;
}

/** What every change has, whatever its kind: the shape the planner and applier rely on. */
export interface ChangeShape {
  readonly kind: KindName;
  readonly address: Address;
  readonly action: Action;
  readonly wave: number;
  readonly notes: readonly ChangeNote[];
}

/** A kind's part of a plan; waves count from 0 within the kind and within each of the two phases. */
export interface KindPlan<C extends ChangeShape> {
  readonly registrations: readonly C[];
  readonly deletes: readonly C[];
  /** The token may not read this kind: nothing of it was planned (and apply refuses the plan). */
  readonly unseen?: UnseenKind;
}

/** One apply's work on one kind: it may hold what following its changes needs (the job kind's event stream). */
export interface KindRun<C extends ChangeShape> {
  apply(change: C, bound: WaveBound, emit: (event: ApplyEvent) => void): Promise<ChangeResult>;
  close(): Promise<void>;
}

export interface Kind<K extends KindName, C extends ChangeShape, D> {
  readonly name: K;
  /**
   * The kinds whose planned changes this kind's plan reads (its `earlier`): it is planned once they are. Kinds
   * that read nothing of each other are planned at the same time.
   */
  readonly after?: readonly KindName[];
  /**
   * This kind's changes against what Nomad holds; `earlier` are the changes of the kinds named in `after` (the
   * namespaces a job's plan will find created, for one).
   */
  plan(context: PlanContext, desired: D, earlier: readonly Change[]): Promise<KindPlan<C>>;
  /** Once every kind is planned: refuses a plan this kind cannot carry out, given all its changes. */
  review?(context: PlanContext, changes: readonly Change[]): Promise<void>;
  /**
   * Before the first write of an apply: why each of its changes may no longer be carried out, by address key.
   * A plan gone stale anywhere is refused whole.
   */
  staleChanges(options: ApplyOptions, changes: readonly C[]): Promise<Map<string, string>>;
  open(options: ApplyOptions, changes: readonly C[]): KindRun<C>;
  /**
   * Drift of the kinds the inventory lists: the ModifyIndex Nomad holds now for each of these objects, by
   * address key (an object missing from the map is gone); or what the token lacks to see them all.
   */
  liveIndexes?(
    client: NomadClient,
    owned: readonly Address[],
    signal?: AbortSignal,
  ): Promise<Map<string, number> | UnseenKind>;
}
