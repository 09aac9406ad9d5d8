/**
 * What an apply did to the objects the stack's inventory lists: those of every kind but jobs (which carry their
 * stamp) that were written or deleted, with the ModifyIndex of the write.
 */
import type { ChangeResult } from '../apply/types.js';
import type { Address } from '../kinds/address.js';
import type { InventoryChange, OwnedObject } from './inventory-document.js';

export function inventoryChangeOf(results: readonly ChangeResult[]): InventoryChange {
  const written: OwnedObject[] = [];
  const deleted: OwnedObject[] = [];
  for (const result of results) {
    if (result.outcome !== 'succeeded' || result.modifyIndex === undefined) continue;
    const owned = ownedObject(result.address, result.modifyIndex);
    if (!owned) continue;
    if (result.action === 'delete') deleted.push(owned);
    else if (result.action === 'create' || result.action === 'update' || result.action === 'adopt')
      written.push(owned);
  }
  return { written, deleted };
}

function ownedObject(address: Address, modifyIndex: number): OwnedObject | undefined {
  switch (address.kind) {
    case 'job':
      return undefined;
    case 'variable':
      return { kind: 'variable', namespace: address.namespace ?? 'default', name: address.name, modifyIndex };
    default:
      return { kind: address.kind, name: address.name, modifyIndex };
  }
}

/** The addresses an inventory lists, in the cluster it describes. */
export function ownedAddresses(cluster: string, objects: readonly OwnedObject[]): Address[] {
  return objects.map((object) => ({
    cluster,
    kind: object.kind,
    ...(object.namespace !== undefined ? { namespace: object.namespace } : {}),
    name: object.name,
  })) as Address[];
}
