/**
 * Before the first write, every job change of the plan is held against Nomad as it is now (one job list per
 * namespace), so that a plan gone stale in a later wave is refused whole instead of applied in part. Each write
 * still enforces its own index (EnforceIndex, the owner read again before a delete) for what changes meanwhile.
 */
import type { ApplyOptions } from '../../apply/types.js';
import type { JobListStub } from '../../nomad/types.js';
import { addressKey } from '../address.js';
import type { PlanSettings } from '../../plan/model.js';
import type { JobChange } from './change.js';

export async function staleJobChanges(
  options: ApplyOptions,
  changes: readonly JobChange[],
): Promise<Map<string, string>> {
  const writes = changes.filter((c) => c.action !== 'noop');
  const live = new Map<string, JobListStub>();
  for (const namespace of new Set(writes.map((c) => c.address.namespace)))
    for (const stub of await options.client.jobs.listAll({ namespace, meta: true, signal: options.signal }))
      live.set(`${stub.Namespace ?? namespace}/${stub.ID}`, stub);
  const stale = new Map<string, string>();
  for (const change of writes) {
    const why = staleness(
      change,
      live.get(`${change.address.namespace}/${change.address.name}`),
      options.plan.settings,
    );
    if (why) stale.set(addressKey(change.address), why);
  }
  return stale;
}

function staleness(
  change: JobChange,
  stub: JobListStub | undefined,
  settings: PlanSettings,
): string | undefined {
  if (change.action === 'create') return stub ? changedSincePlan(change, 'it exists now') : undefined;
  if (change.action === 'delete') return deleteRefusal(change, stub, settings);
  if (!stub) return changedSincePlan(change, 'it is gone');
  return stub.JobModifyIndex === change.jobModifyIndex
    ? undefined
    : changedSincePlan(change, `modify index ${change.jobModifyIndex} → ${stub.JobModifyIndex}`);
}

/** What a change says when the job moved since the plan (`now`: how), the same before and at its write. */
export function changedSincePlan(change: JobChange, now: string): string {
  const left =
    change.action === 'delete'
      ? now === 'it is gone'
        ? 'not deleted'
        : 'not deleted, run plan again'
      : change.action === 'promote'
        ? 'not promoted; run plan again'
        : 'run plan again';
  return `job ${change.address.name} changed since the plan (${now}); ${left}`;
}

/** A delete is carried out only on a job that still carries this plan's stack stamp, unchanged since the plan. */
export function deleteRefusal(
  change: JobChange,
  live:
    { readonly Meta?: Record<string, string> | null; readonly JobModifyIndex?: number } | null | undefined,
  settings: PlanSettings,
): string | undefined {
  const { stack, stampKey } = settings;
  if (!live) return changedSincePlan(change, 'it is gone');
  const owner = live.Meta?.[stampKey] ?? undefined;
  if (!stack || owner !== stack)
    return `job ${change.address.name} does not belong to stack "${stack ?? '(none)'}" (${owner === undefined ? 'it has no stamp' : `its stamp says "${owner}"`}); not deleted`;
  if (live.JobModifyIndex !== change.jobModifyIndex)
    return changedSincePlan(change, `modify index ${change.jobModifyIndex} → ${live.JobModifyIndex}`);
  return undefined;
}
