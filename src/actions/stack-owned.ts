/** What a stack owns beyond its stamped jobs, as its inventory in Nomad lists it, for a plan of the stack. */
import type { Address } from '../kinds/address.js';
import type { NomadClient } from '../nomad/client.js';
import type { StackNote } from '../plan/notes.js';
import { inventoryPath, readInventory, type InventoryRead } from '../stack/inventory.js';
import { ownedAddresses } from '../stack/inventory-change.js';

export interface StackOwned {
  /** Absent when the plan names no stack or the token may not read the inventory. */
  readonly owned?: readonly Address[];
  /** Said beside the plan when the inventory could not be read. */
  readonly notes: readonly StackNote[];
}

export async function stackOwned(
  client: NomadClient,
  where: { readonly cluster: string; readonly stack?: string; readonly namespace: string },
  signal?: AbortSignal,
  /** The inventory when the caller reads it already (for the plan's notes too). */
  inventory?: Promise<InventoryRead>,
): Promise<StackOwned> {
  if (!where.stack) return { notes: [] };
  const read = await (inventory ?? readInventory(client, { ...where, stack: where.stack }, signal));
  if (read.readable) return { owned: ownedAddresses(where.cluster, read.inventory.objects), notes: [] };
  return {
    notes: [{ type: 'inventory-unreadable', stack: where.stack, path: inventoryPath(where.stack) }],
  };
}
