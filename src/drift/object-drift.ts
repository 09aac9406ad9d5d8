/**
 * Drift of the objects the stack's inventory lists (every kind but jobs): the inventory keeps the ModifyIndex of
 * drover's last write to each; an object Nomad now holds at a higher index was changed outside drover, one it no
 * longer holds was deleted outside drover. Values are never read for it (a variable's items stay unread).
 */
import type { NomadClient } from '../nomad/client.js';
import { addressKey, KIND_NOUNS, type Address } from '../kinds/address.js';
import { anyKind } from '../kinds/registry.js';
import type { UnseenKind } from '../plan/model.js';
import type { OwnedObject } from '../stack/inventory-document.js';
import { ownedAddresses } from '../stack/inventory-change.js';

export interface ObjectDriftFact {
  readonly address: Address;
  readonly change: 'edited' | 'deleted';
  /** The index of drover's last write, and the one Nomad holds now (absent when deleted). */
  readonly recorded: number;
  readonly now?: number;
}

/** What changed outside drover, and the kinds the token could not compare (nothing of them is in `facts`). */
export interface ObjectDrift {
  readonly facts: readonly ObjectDriftFact[];
  readonly unchecked: readonly UnseenKind[];
}

export async function detectObjectDrift(
  client: NomadClient,
  cluster: string,
  objects: readonly OwnedObject[],
  signal?: AbortSignal,
): Promise<ObjectDrift> {
  const addresses = ownedAddresses(cluster, objects);
  const kinds = [...new Set(addresses.map((a) => a.kind))];
  // Each kind asked at once; their facts kept in the inventory's order.
  const compared = await Promise.all(
    kinds.map(async (kind) => {
      // A kind this drover does not know (an inventory written by a newer one) is left to that drover.
      const liveIndexes = (anyKind(kind) as ReturnType<typeof anyKind> | undefined)?.liveIndexes;
      const mine = addresses.filter((a) => a.kind === kind);
      return { mine, live: liveIndexes ? await liveIndexes(client, mine, signal) : undefined };
    }),
  );
  const facts: ObjectDriftFact[] = [];
  const unchecked: UnseenKind[] = [];
  for (const { mine, live } of compared) {
    if (!live) continue;
    if (!(live instanceof Map)) {
      unchecked.push(live);
      continue;
    }
    for (const address of mine) {
      const recorded = objects[addresses.indexOf(address)]!.modifyIndex;
      const now = live.get(addressKey(address));
      if (now === undefined) facts.push({ address, change: 'deleted', recorded });
      else if (now > recorded) facts.push({ address, change: 'edited', recorded, now });
    }
  }
  return { facts, unchecked };
}

/** An object's drift in words, as plan notes and `drover drift` say it. */
export function describeObjectDrift(fact: ObjectDriftFact): string {
  const { address } = fact;
  const label = `${KIND_NOUNS[address.kind].one} ${address.namespace !== undefined ? `${address.namespace}/` : ''}${address.name}`;
  return fact.change === 'deleted'
    ? `${label}: deleted outside drover`
    : `${label}: changed outside drover (modify index ${fact.recorded} → ${fact.now})`;
}
