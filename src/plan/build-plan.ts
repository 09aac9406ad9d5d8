/**
 * What the project declares against what Nomad holds, as a Plan: each registered kind plans its own objects (at the
 * same time as the kinds it does not read), and their waves are laid end to end in the registry's order; deletes
 * follow every registration, kinds in reverse.
 */
import type { NomadClient } from '../nomad/client.js';
import { anyKind, KIND_ORDER, type DesiredState } from '../kinds/registry.js';
import type { KindPlan, PlanContext } from '../kinds/kind.js';
import type { Replicated } from '../watch/wait-replicated.js';
import type { Address, Change, KindName, Plan, PlanSettings, UnseenKind } from './model.js';

export interface BuildPlanOptions {
  readonly client: NomadClient;
  readonly desired: DesiredState;
  readonly settings: PlanSettings;
  /** Diff locally instead of calling the plan endpoint (which needs submit-job). */
  readonly readOnly?: boolean;
  /** Requests in flight at once. Default DEFAULT_PLAN_CONCURRENCY. */
  readonly concurrency?: number;
  /** Deletes purge: a job already stopped is still listed (to be purged); otherwise it counts as deleted. */
  readonly purge?: boolean;
  /** What the stack's inventory lists (absent: the plan names no stack, or its inventory could not be read). */
  readonly owned?: readonly Address[];
  /** What a federated region gets by replication from its cluster's first region (PlanContext.replicated). */
  readonly replicated?: Replicated;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

/**
 * Requests in flight while planning. Measured with 200 jobs and 10 ms of latency (bench/plan.ts): 16 at once
 * 0.46–0.54 s, 32 0.33–0.40 s, 64 0.23–0.38 s; it matches the transport's sockets and stays under Nomad's
 * limits.http_max_conns_per_client (100).
 */
export const DEFAULT_PLAN_CONCURRENCY = 64;

export async function buildPlan(options: BuildPlanOptions): Promise<Plan> {
  const context: PlanContext = {
    client: options.client,
    settings: options.settings,
    readOnly: options.readOnly,
    concurrency: options.concurrency ?? DEFAULT_PLAN_CONCURRENCY,
    purge: options.purge,
    ...(options.owned ? { owned: options.owned } : {}),
    ...(options.replicated ? { replicated: options.replicated } : {}),
    signal: options.signal,
  };
  const planned = planKinds(context, options.desired);
  const settled = await Promise.allSettled(planned.values());
  // The refusal of the first kind in the registry's order, whichever answered first.
  const refused = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (refused) throw refused.reason;
  const parts = settled.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []));
  const unseen: UnseenKind[] = parts.flatMap((part) => (part.unseen ? [part.unseen] : []));
  const all = parts.flatMap((part) => [...part.registrations, ...part.deletes]);
  for (const name of KIND_ORDER) await anyKind(name).review?.(context, all);
  const registrations = laidEndToEnd(
    parts.map((part) => part.registrations),
    0,
  );
  const deletes = laidEndToEnd(
    parts.map((part) => part.deletes).reverse(),
    Math.max(-1, ...registrations.map((c) => c.wave)) + 1,
  );
  return {
    settings: options.settings,
    ...(unseen.length > 0 ? { unseen } : {}),
    changes: [...registrations, ...deletes],
    createdAt: (options.now?.() ?? new Date()).toISOString(),
  };
}

/**
 * Each kind's plan, in the registry's order (undefined for a kind the project leaves out): a kind starts once the
 * kinds it reads (`after`) are planned, and the others run at the same time.
 */
function planKinds(
  context: PlanContext,
  desired: DesiredState,
): Map<KindName, Promise<KindPlan<Change> | undefined>> {
  const planned = new Map<KindName, Promise<KindPlan<Change> | undefined>>();
  for (const name of KIND_ORDER) {
    const kind = anyKind(name);
    const before = (kind.after ?? []).map((other) => {
      const part = planned.get(other);
      if (!part) throw new Error(`KIND_ORDER puts ${other} after ${name}, which reads its changes`);
      return part;
    });
    planned.set(
      name,
      Promise.all(before).then((parts) => {
        const mine = desired[name];
        if (mine === undefined) return undefined;
        const earlier = parts.flatMap((part) => (part ? [...part.registrations, ...part.deletes] : []));
        return kind.plan(context, mine, earlier);
      }),
    );
  }
  return planned;
}

/** Each group's waves after the previous group's last, from `first` on. */
function laidEndToEnd(groups: ReadonlyArray<readonly Change[]>, first: number): Change[] {
  const out: Change[] = [];
  let next = first;
  for (const changes of groups) {
    if (changes.length === 0) continue;
    for (const change of changes) out.push({ ...change, wave: change.wave + next });
    next += Math.max(...changes.map((c) => c.wave)) + 1;
  }
  return out;
}
