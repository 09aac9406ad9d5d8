/** What the spec-object kinds share: prune's deletes, the stale check against one list, a run that holds nothing. */
import type { ApplyEvent, ApplyOptions, ChangeResult } from '../apply/types.js';
import type { WaveBound } from '../apply/wave-bound.js';
import type { PlanSettings } from '../plan/model.js';
import { compareText } from '../util/compare.js';
import { addressKey, type Address, type KindName } from './address.js';
import type { ChangeShape, KindRun } from './kind.js';
import type { ObjectDelete } from './object-change.js';

/** Before an apply: each write of the kind held against one list of what Nomad holds now, by name. */
export async function staleByName<C extends ChangeShape, L extends { readonly Name: string }>(
  changes: readonly C[],
  list: () => Promise<readonly L[]>,
  staleness: (change: C, live: L | undefined) => string | undefined,
): Promise<Map<string, string>> {
  const stale = new Map<string, string>();
  const writes = changes.filter((c) => c.action !== 'noop');
  if (writes.length === 0) return stale;
  const byName = new Map((await list()).map((o) => [o.Name, o]));
  for (const change of writes) {
    const why = staleness(change, byName.get(change.address.name));
    if (why) stale.set(addressKey(change.address), why);
  }
  return stale;
}

/** A run that carries out each change on its own (nothing to follow afterwards, nothing to close). */
export function directRun<C extends ChangeShape>(
  options: ApplyOptions,
  applyOne: (
    change: Exclude<C, { readonly action: 'noop' }>,
    options: ApplyOptions,
    bound: WaveBound,
  ) => Promise<ChangeResult>,
): KindRun<C> {
  return {
    apply(change: C, bound: WaveBound, _emit: (event: ApplyEvent) => void) {
      if (change.action === 'noop') throw new Error('a noop change is not carried out');
      return applyOne(change as Exclude<C, { readonly action: 'noop' }>, options, bound);
    },
    close: async () => {},
  };
}

/**
 * With prune (and a stack), a delete for each object Nomad holds that the stack owns and the project no longer
 * declares, by name; nothing otherwise.
 */
export function pruneDeletes<
  K extends KindName,
  L extends { readonly Name: string; readonly ModifyIndex: number },
>(kind: K, settings: PlanSettings, live: readonly L[], deletable: (object: L) => boolean): ObjectDelete<K>[] {
  if (!settings.prune || !settings.stack) return [];
  return live
    .filter(deletable)
    .map((object): ObjectDelete<K> => ({
      kind,
      address: { cluster: settings.cluster, kind, name: object.Name } as Address<K>,
      action: 'delete',
      wave: 0,
      modifyIndex: object.ModifyIndex,
      notes: [],
    }))
    .sort((a, b) => compareText(a.address.name, b.address.name));
}
