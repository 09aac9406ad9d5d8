/**
 * The stack's inventory: which namespaces, node pools, ACL policies, roles and variables the stack owns, kept in
 * the variable drover/stacks/<stack>/inventory in the stack's namespace, beside its lock and history (the
 * explicit membership record of Kubernetes' ApplySet: policies, roles and variables have no meta to stamp).
 * Prune and destroy delete only what it lists. Written with check-and-set: a run that lost the race reads the
 * inventory again and applies its own change to it, so another run's objects are kept.
 */
import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { NomadPermissionError } from '../nomad/errors.js';
import {
  decodeInventory,
  encodeInventory,
  ownedKey,
  withChange,
  type InventoryChange,
  type OwnedObject,
} from './inventory-document.js';

export const inventoryPath = (stack: string) => `drover/stacks/${stack}/inventory`;

/** Where a stack's inventory lives: the cluster it describes, and the stack's namespace there. */
export interface InventoryLocation {
  readonly cluster: string;
  readonly stack: string;
  readonly namespace: string;
}

export interface Inventory extends InventoryLocation {
  readonly objects: readonly OwnedObject[];
  /** The variable's ModifyIndex (0: none yet), for the check-and-set write. */
  readonly modifyIndex: number;
}

/** A missing inventory reads as empty; one the token may not read is said so, never taken for empty. */
export type InventoryRead =
  | { readonly readable: true; readonly inventory: Inventory }
  | { readonly readable: false; readonly location: InventoryLocation };

/** The token lacks a variables capability on the inventory's path. */
export class InventoryForbiddenError extends UserError {
  constructor(
    readonly location: InventoryLocation,
    readonly capability: 'read' | 'write',
  ) {
    super(
      `the token may not ${capability} the inventory of stack "${location.stack}" (${inventoryPath(location.stack)} in namespace "${location.namespace}")`,
      {
        code: 'inventory_forbidden',
        hint: `It needs the variables capabilities "read" and "write" on path "drover/stacks/*" in namespace "${location.namespace}" (namespace "${location.namespace}" { variables { path "drover/stacks/*" { capabilities = ["read", "write"] } } }). Nomad answers a token it does not know the same way.`,
      },
    );
  }
}

const MAX_ATTEMPTS = 5;

export async function readInventory(
  client: NomadClient,
  location: InventoryLocation,
  signal?: AbortSignal,
): Promise<InventoryRead> {
  try {
    const { body } = await client.variables.read(inventoryPath(location.stack), {
      namespace: location.namespace,
      signal,
    });
    const objects = body ? decodeInventory(location.stack, body.Items) : [];
    return { readable: true, inventory: { ...location, objects, modifyIndex: body?.ModifyIndex ?? 0 } };
  } catch (error) {
    if (error instanceof NomadPermissionError) return { readable: false, location };
    throw error;
  }
}

/**
 * Writes the inventory with the run's change applied, with check-and-set against `seen`; when another run wrote
 * it meanwhile, reads it again and applies the same change to what that run left. Nothing is written when the
 * change changes nothing, and nothing when the result would not fit in a variable (a UserError says so).
 */
export async function updateInventory(
  client: NomadClient,
  seen: Inventory,
  change: InventoryChange,
  signal?: AbortSignal,
): Promise<Inventory> {
  let current = seen;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const objects = withChange(current.objects, change);
    if (sameObjects(objects, current.objects)) return current;
    const items = encodeInventory(current.stack, objects);
    const outcome = await client.variables
      .write(inventoryPath(current.stack), items, {
        namespace: current.namespace,
        cas: current.modifyIndex,
        signal,
      })
      .catch((error: unknown) => {
        throw error instanceof NomadPermissionError ? new InventoryForbiddenError(current, 'write') : error;
      });
    if (!outcome.conflict) return { ...current, objects, modifyIndex: outcome.variable.ModifyIndex };
    const again = await readInventory(client, current, signal);
    if (!again.readable) throw new InventoryForbiddenError(current, 'read');
    current = again.inventory;
  }
  throw new UserError(`the inventory of stack "${seen.stack}" kept changing while drover wrote it`, {
    code: 'inventory_contended',
    hint: `${MAX_ATTEMPTS} other writes came between drover's read and its write: several runs of the stack are applying at once (--lock=false?). Run drover plan again once they are done.`,
  });
}

function sameObjects(a: readonly OwnedObject[], b: readonly OwnedObject[]): boolean {
  return (
    a.length === b.length &&
    a.every((object, i) => ownedKey(object) === ownedKey(b[i]!) && object.modifyIndex === b[i]!.modifyIndex)
  );
}
