import { INVENTORY_DELETE_ORDER, ownedKey, sortedObjects, type OwnedObject } from './inventory-document.js';
import type { Inventory } from './inventory.js';

/** An address as the plan has it (src/kinds/address.ts); addresses of other kinds and clusters are ignored. */
export interface DeclaredAddress {
  readonly cluster: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/**
 * The inventoried objects the project no longer declares, in the order prune and destroy delete them (the kinds'
 * delete order, then by namespace and name). Only these may be deleted; each is re-read right before its delete.
 */
export function pruneCandidates(
  inventory: Pick<Inventory, 'cluster' | 'objects'>,
  declared: Iterable<DeclaredAddress>,
): OwnedObject[] {
  const kept = new Set<string>();
  for (const address of declared) if (address.cluster === inventory.cluster) kept.add(ownedKey(address));
  const candidates = inventory.objects.filter((object) => !kept.has(ownedKey(object)));
  return INVENTORY_DELETE_ORDER.flatMap((kind) =>
    sortedObjects(candidates.filter((object) => object.kind === kind)),
  );
}
