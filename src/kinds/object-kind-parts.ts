/** What the spec-object kinds share in their Kind: the stale check against one list, and a run that holds nothing. */
import type { ApplyEvent, ApplyOptions, ChangeResult } from '../apply/types.js';
import type { WaveBound } from '../apply/wave-bound.js';
import { addressKey } from './address.js';
import type { ChangeShape, KindRun } from './kind.js';

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
