/**
 * Whether another drover stack already owns an object this plan would adopt. ACL policies, roles and variables
 * carry no stamp, so only the stacks' inventories say whose they are: two stacks could each take one over, and
 * the first to prune it would delete what the other still uses. One list of the stacks' inventories (in every
 * namespace the token may list), then a read of each other stack's. Plan refuses such an adoption; import leaves
 * such objects out.
 */
import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { NomadPermissionError } from '../nomad/errors.js';
import { KIND_NOUNS } from '../kinds/address.js';
import type { Change } from '../plan/model.js';
import { mapLimit } from '../util/limit.js';
import { decodeInventory, ownedKey, type OwnedObject } from './inventory-document.js';

const STACKS_PREFIX = 'drover/stacks/';
const INVENTORY = /^drover\/stacks\/([^/]+)\/inventory$/;

export interface Adoption {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** How the refusal names the object: 'ACL policy "deploy"'. */
  readonly label: string;
}

/** The plan's adoptions of objects only an inventory can say the owner of (namespaces and node pools carry a stamp). */
export function unstampedAdoptions(changes: readonly Change[]): Adoption[] {
  return changes.flatMap((change) => {
    const { kind, namespace, name } = change.address;
    if (change.action !== 'adopt' || (kind !== 'acl-policy' && kind !== 'acl-role' && kind !== 'variable'))
      return [];
    const where = namespace !== undefined ? ` in namespace ${namespace}` : '';
    return [
      {
        kind,
        ...(namespace !== undefined ? { namespace } : {}),
        name,
        label: `${KIND_NOUNS[kind].one} "${name}"${where}`,
      },
    ];
  });
}

/**
 * The stacks other than `stack` whose inventories list these objects, by ownedKey; none when the token may not
 * list the stacks' variables.
 */
export async function otherOwners(
  client: NomadClient,
  stack: string,
  objects: readonly { readonly kind: string; readonly namespace?: string; readonly name: string }[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  if (objects.length === 0) return owners;
  const wanted = new Set(objects.map((o) => ownedKey(o)));
  let listed;
  try {
    listed = await client.variables.listAll({ namespace: '*', prefix: STACKS_PREFIX, signal });
  } catch (error) {
    if (error instanceof NomadPermissionError) return owners;
    throw error;
  }
  const inventories = listed.flatMap((meta) => {
    const other = INVENTORY.exec(meta.Path)?.[1];
    return other === undefined || other === stack ? [] : [{ other, meta }];
  });
  await mapLimit(inventories, 8, async ({ other, meta }) => {
    for (const owned of await ownedBy(client, other, meta, signal))
      if (wanted.has(ownedKey(owned))) owners.set(ownedKey(owned), other);
  });
  return owners;
}

/**
 * What another stack's inventory lists. One this token may not read, or that is not drover's, is that stack's
 * own plans' to report: it names no owner here rather than failing this stack's plan.
 */
async function ownedBy(
  client: NomadClient,
  stack: string,
  meta: { readonly Path: string; readonly Namespace: string },
  signal?: AbortSignal,
): Promise<OwnedObject[]> {
  try {
    const { body } = await client.variables.read(meta.Path, { namespace: meta.Namespace, signal });
    return body ? decodeInventory(stack, body.Items) : [];
  } catch (error) {
    if (error instanceof NomadPermissionError) return [];
    if (error instanceof UserError && error.code === 'inventory_unreadable') return [];
    throw error;
  }
}

/** Refuses the plan when another stack's inventory lists an object it would adopt. */
export async function refuseAdoptingOwned(
  client: NomadClient,
  stack: string,
  adoptions: readonly Adoption[],
  signal?: AbortSignal,
): Promise<void> {
  const owners = await otherOwners(client, stack, adoptions, signal);
  const [other] = owners.values();
  if (other === undefined) return;
  const taken = adoptions.filter((a) => owners.get(ownedKey(a)) === other);
  const one = taken.length === 1;
  throw new UserError(
    `${taken.map((a) => a.label).join(', ')} ${one ? 'belongs' : 'belong'} to stack "${other}" (its inventory lists ${one ? 'it' : 'them'}), not "${stack}"`,
    {
      code: 'owned_by_other_stack',
      hint: `Another drover stack manages ${one ? 'this object' : 'these objects'}: remove ${one ? 'it' : 'them'} from the project of stack "${other}" and apply that first to hand ${one ? 'it' : 'them'} over, or leave ${one ? 'it' : 'them'} out of this one.`,
    },
  );
}
