/** The applier's vocabulary: what it is asked to run, what each change ends with, and the events on the way. */
import type { ResolveValues } from '../kinds/variable/change.js';
import type { NomadClient } from '../nomad/client.js';
import type { Action, Address, Plan } from '../plan/model.js';
import type { Logger } from '../util/logger.js';
import type { WatchEvent } from '../watch/watch-job.js';

export type Outcome =
  | 'succeeded'
  | 'failed'
  | 'promotion-ready'
  | 'timeout'
  | 'cancelled'
  | 'registered'
  | 'unchanged'
  | 'not-run';

/** Outcomes that let the run go on. */
export const GOOD_OUTCOMES: ReadonlySet<Outcome> = new Set([
  'succeeded',
  'promotion-ready',
  'registered',
  'unchanged',
]);

export interface ChangeResult {
  readonly address: Address;
  readonly action: Action;
  readonly outcome: Outcome;
  readonly message: string;
  readonly durationMs: number;
  readonly explanation: readonly string[];
  /** It failed because the object changed since the plan (stale plan): nothing more is started. */
  readonly stale?: boolean;
  /** (job) The version the run left. */
  readonly version?: number;
  /** (job) The deployment it was followed through. */
  readonly deploymentId?: string;
  /** (job) The JobModifyIndex drover's own write left (register, stop or purge), for the stack's history. */
  readonly jobModifyIndex?: number;
  /** (other kinds) The ModifyIndex of drover's write, or of the object it deleted: for the stack's inventory. */
  readonly modifyIndex?: number;
}

export type ApplyEvent =
  | { readonly type: 'wave'; readonly wave: number; readonly changes: readonly Address[] }
  | { readonly type: 'registered'; readonly address: Address; readonly evalId: string }
  | { readonly type: 'deleting'; readonly address: Address; readonly purge: boolean }
  | { readonly type: 'watch'; readonly address: Address; readonly event: WatchEvent }
  | { readonly type: 'finished'; readonly result: ChangeResult };

export interface ApplyOptions {
  readonly client: NomadClient;
  readonly plan: Plan;
  /** Purge deleted jobs instead of stopping them; default: as the plan says (its settings' purge). */
  readonly purge?: boolean;
  readonly autoPromote?: boolean;
  readonly rollback?: boolean;
  /** Return after registering, without watching. */
  readonly detach?: boolean;
  /** Bound on each wave; 0 for none. Default 10 minutes. */
  readonly timeoutMs?: number;
  /** Changes carried out at once within a wave. Default DEFAULT_PARALLELISM. */
  readonly parallelism?: number;
  readonly signal?: AbortSignal;
  /** Awaited before each write (the stack lock confirms it is still held); abort `signal` to stop the writes. */
  readonly beforeWrite?: () => Promise<void>;
  readonly emit?: (event: ApplyEvent) => void;
  /** Wait of each blocking query (tests shorten it). Default 5m. */
  readonly wait?: string;
  /**
   * How jobs are followed: one event-stream connection for every job of the plan (default; falls back to
   * blocking queries when the stream cannot be had), or a blocking query per object.
   */
  readonly watchWith?: 'blocking' | 'events';
  /** Where the fall-back from the event stream is reported (warn). */
  readonly logger?: Logger;
  /**
   * The variable items the project declares, asked for again at apply: a plan keeps digests of their values,
   * never the values. Needed by a plan that writes variables (kinds/variable/change.ts, valuesOf).
   */
  readonly resolveValues?: ResolveValues;
}

export interface ApplyResult {
  readonly results: readonly ChangeResult[];
  /** Every change succeeded (or stopped at promotion-ready). */
  readonly ok: boolean;
  readonly cancelled: boolean;
}

/** How a run on one cluster ended: nothing to do, not approved, or applied with its result. */
export type ApplyOutcome =
  | { readonly kind: 'no-changes'; readonly plan: Plan }
  /** A check blocks the plan (plan.checks): nothing was sent to Nomad. */
  | { readonly kind: 'refused'; readonly plan: Plan }
  | { readonly kind: 'declined'; readonly plan: Plan }
  | {
      readonly kind: 'applied';
      readonly plan: Plan;
      readonly result: ApplyResult;
      /** The stack lock was lost half-way: drover stopped starting jobs. */
      readonly lockLost?: boolean;
    };
