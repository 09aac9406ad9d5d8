/**
 * The inventory's document: the objects a stack owns besides its jobs, as JSON in the one item `objects` of the
 * variable drover/stacks/<stack>/inventory. Per kind, one array per object: its name (a variable's path, under
 * its namespace) and the ModifyIndex of drover's last write to it:
 *
 *   {"version":1,"namespace":[["payments",1204]],"acl-policy":[["payments-deploy",1207]],
 *    "variable":{"payments":[["nomad/jobs/api",1213],["nomad/jobs/web",1215]]}}
 *
 * Raft indexes are unique across a cluster, so that index tells drover's write from anyone else's, a deleted and
 * re-created object's included: no ID is kept. Nomad refuses a variable past 64 KiB; an inventory that would not
 * fit is refused whole, never truncated (an object left out would be an object prune can no longer delete).
 */
import { UserError } from '../errors.js';

export const INVENTORY_VERSION = 1;
/** The variable's one item. */
export const INVENTORY_ITEM = 'objects';
/** Nomad's bound on a variable: its item names and values together, in bytes (as recorded from Nomad 2.0.5). */
export const MAX_VARIABLE_BYTES = 65_536;

/**
 * The kinds the inventory lists, in the order they are written (deletes run in the reverse order). Jobs are not
 * listed: their meta stamp says whose they are. Node pools come before namespaces because a namespace may name
 * its default pool.
 */
export const INVENTORIED_KINDS = ['node-pool', 'namespace', 'acl-policy', 'acl-role', 'variable'] as const;
export type InventoriedKind = (typeof INVENTORIED_KINDS)[number];

/** The order prune and destroy delete inventoried objects in: a kind before the kinds it uses. */
export const INVENTORY_DELETE_ORDER: readonly InventoriedKind[] = [...INVENTORIED_KINDS].reverse();

/** An object the stack owns, with the ModifyIndex of drover's last write to it (or of its adoption). */
export type OwnedObject =
  | {
      readonly kind: Exclude<InventoriedKind, 'variable'>;
      readonly namespace?: undefined;
      readonly name: string;
      readonly modifyIndex: number;
    }
  | {
      readonly kind: 'variable';
      readonly namespace: string;
      /** The variable's path. */
      readonly name: string;
      readonly modifyIndex: number;
    };

/** What one run did to the stack's inventoried objects. */
export interface InventoryChange {
  /** Created, adopted or updated, with the ModifyIndex of the run's write (for an object adopted as it was, its index). */
  readonly written: readonly OwnedObject[];
  /** Deleted, with the ModifyIndex each had when deleted. */
  readonly deleted: readonly OwnedObject[];
}

/** Tells any two owned objects apart, as addressKey does addresses within one cluster. */
export function ownedKey(object: {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}): string {
  return JSON.stringify([object.kind, object.namespace ?? null, object.name]);
}

/**
 * The objects after a run's change. Where two runs wrote the same object, the later write (the higher index)
 * wins; a delete forgets an object only if no later write re-created it.
 */
export function withChange(objects: readonly OwnedObject[], change: InventoryChange): OwnedObject[] {
  const byKey = new Map(objects.map((object) => [ownedKey(object), object]));
  for (const gone of change.deleted) {
    const key = ownedKey(gone);
    const held = byKey.get(key);
    if (held && held.modifyIndex <= gone.modifyIndex) byKey.delete(key);
  }
  for (const written of change.written) {
    const key = ownedKey(written);
    const held = byKey.get(key);
    if (!held || held.modifyIndex < written.modifyIndex) byKey.set(key, ownedOnly(written));
  }
  return sortedObjects([...byKey.values()]);
}

/** Only what the inventory keeps: a caller's object may carry more (a variable's items never go in). */
function ownedOnly(object: OwnedObject): OwnedObject {
  return object.kind === 'variable'
    ? { kind: object.kind, namespace: object.namespace, name: object.name, modifyIndex: object.modifyIndex }
    : { kind: object.kind, name: object.name, modifyIndex: object.modifyIndex };
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** In the kinds' write order, then by namespace and name: the document is the same for the same objects. */
export function sortedObjects(objects: readonly OwnedObject[]): OwnedObject[] {
  return [...objects].sort(
    (a, b) =>
      INVENTORIED_KINDS.indexOf(a.kind) - INVENTORIED_KINDS.indexOf(b.kind) ||
      byCodeUnits(a.namespace ?? '', b.namespace ?? '') ||
      byCodeUnits(a.name, b.name),
  );
}

/** The variable's items for these objects; refused when Nomad would refuse them as too large. */
export function encodeInventory(stack: string, objects: readonly OwnedObject[]): Record<string, string> {
  const document: Record<string, unknown> = { version: INVENTORY_VERSION };
  const sorted = sortedObjects(objects);
  for (const kind of INVENTORIED_KINDS) {
    const ofKind = sorted.filter((object) => object.kind === kind);
    if (ofKind.length === 0) continue;
    if (kind !== 'variable') document[kind] = ofKind.map((object) => [object.name, object.modifyIndex]);
    else {
      const byNamespace = new Map<string, Array<[string, number]>>();
      for (const object of ofKind) {
        const rows = byNamespace.get(object.namespace!) ?? [];
        rows.push([object.name, object.modifyIndex]);
        byNamespace.set(object.namespace!, rows);
      }
      document[kind] = Object.fromEntries(byNamespace);
    }
  }
  const text = JSON.stringify(document);
  const size = Buffer.byteLength(INVENTORY_ITEM) + Buffer.byteLength(text);
  if (size > MAX_VARIABLE_BYTES)
    throw new UserError(
      `the inventory of stack "${stack}" would take ${size} bytes for its ${objects.length} objects, past Nomad's limit of 64 KiB (${MAX_VARIABLE_BYTES} bytes) per variable`,
      {
        code: 'inventory_too_large',
        hint: `Nothing was written. Split the stack's namespaces, node pools, ACL policies, roles and variables over several stacks (each has its own inventory), or give them shorter names.`,
      },
    );
  return { [INVENTORY_ITEM]: text };
}

/** The objects in an inventory variable's items; a document drover cannot read is an error, never "nothing owned". */
export function decodeInventory(
  stack: string,
  items: Readonly<Record<string, string>> | undefined,
): OwnedObject[] {
  const unreadable = (why: string) =>
    new UserError(`the inventory of stack "${stack}" cannot be read: ${why}`, {
      code: 'inventory_unreadable',
      hint: `Something other than drover wrote drover/stacks/${stack}/inventory. Restore it, or delete it (nomad var purge): drover then owns none of the stack's namespaces, node pools, ACL policies, roles or variables, and prune deletes none of them.`,
    });
  const text = items?.[INVENTORY_ITEM];
  if (text === undefined) throw unreadable(`it has no item "${INVENTORY_ITEM}"`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw unreadable('its item is not JSON');
  }
  if (!isRecord(document) || typeof document.version !== 'number')
    throw unreadable('its item is not a versioned inventory');
  if (document.version > INVENTORY_VERSION)
    throw new UserError(
      `the inventory of stack "${stack}" was written by a newer drover (format ${document.version}; this drover reads format ${INVENTORY_VERSION})`,
      {
        code: 'inventory_newer',
        hint: 'Upgrade drover to the version that last applied this stack.',
      },
    );
  if (document.version !== INVENTORY_VERSION) throw unreadable(`format ${document.version} is unknown`);
  const objects: OwnedObject[] = [];
  const take = (kind: InventoriedKind, namespace: string | undefined, rows: unknown) => {
    if (!Array.isArray(rows)) throw unreadable(`its ${kind} entry is not a list`);
    for (const row of rows as unknown[]) {
      const object = ownedFromRow(kind, namespace, row);
      if (!object) throw unreadable(`it holds a malformed ${kind} entry ${JSON.stringify(row)}`);
      objects.push(object);
    }
  };
  for (const [key, value] of Object.entries(document)) {
    if (key === 'version') continue;
    const kind = INVENTORIED_KINDS.find((k) => k === key);
    if (!kind) throw unreadable(`it lists an unknown kind "${key}"`);
    if (kind !== 'variable') take(kind, undefined, value);
    else if (!isRecord(value)) throw unreadable('its variable entry is not an object of namespaces');
    else for (const [namespace, rows] of Object.entries(value)) take(kind, namespace, rows);
  }
  return sortedObjects(objects);
}

function ownedFromRow(
  kind: InventoriedKind,
  namespace: string | undefined,
  row: unknown,
): OwnedObject | undefined {
  if (!Array.isArray(row) || row.length !== 2) return undefined;
  const [name, modifyIndex] = row as unknown[];
  if (typeof name !== 'string' || name === '') return undefined;
  if (!Number.isSafeInteger(modifyIndex) || (modifyIndex as number) < 0) return undefined;
  const index = modifyIndex as number;
  if (kind !== 'variable') return { kind, name, modifyIndex: index };
  return namespace ? { kind, namespace, name, modifyIndex: index } : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
