/**
 * Variables against what Nomad holds. Each declared variable is read (a list would silently leave out a path the
 * token may not list) and its items compared with the project's by digest, in memory: the plan holds item names,
 * digests of the project's values and the ModifyIndex seen, never a value, Nomad's or the project's. A variable
 * the stack's inventory does not list is adopted; with prune, the inventoried variables no file declares are
 * deleted. drover's own variables (drover/stacks/…) are never declared, adopted or pruned.
 */
import { UserError } from '../../errors.js';
import { NomadPermissionError } from '../../nomad/errors.js';
import type { FieldDiff } from '../../nomad/types.js';
import type { Address, Change } from '../../plan/model.js';
import { mapLimit } from '../../util/limit.js';
import { addressKey } from '../address.js';
import type { KindPlan, PlanContext } from '../kind.js';
import {
  variableAddress,
  type DesiredVariable,
  type VariableChange,
  type VariablesDesired,
} from './change.js';
import { digestItems, itemDifferences, newDigestKey, type ItemDigests } from './digest.js';

/** Where drover keeps each stack's lock, history and inventory. */
export const RESERVED_PREFIX = 'drover/stacks/';

/** What the plan shows in place of a value. */
export const SENSITIVE_VALUE = '(sensitive value)';
export const SENSITIVE_VALUE_CHANGED = '(sensitive value changed)';

export const isReserved = (path: string) => `${path}/`.startsWith(RESERVED_PREFIX);

/** A variable as the plan needs it: its ModifyIndex, and its items' digests under the change's key. */
interface Seen {
  readonly modifyIndex: number;
  readonly digests: ItemDigests;
}

type Read = Seen | null | 'forbidden';

export async function planVariables(
  context: PlanContext,
  desired: VariablesDesired,
  earlier: readonly Change[],
): Promise<KindPlan<VariableChange>> {
  const { settings } = context;
  refuseReserved(desired.objects);
  refuseDuplicates(desired.objects);
  const created = new Set(
    earlier.flatMap((c) => (c.kind === 'namespace' && c.action === 'create' ? [c.address.name] : [])),
  );
  const owned = context.owned?.filter(
    (a): a is Address<'variable'> => a.kind === 'variable' && a.cluster === settings.cluster,
  );
  const ownedKeys = owned && new Set(owned.map(addressKey));
  // Without an inventory to read, what exists is shown as adopted, and nothing is pruned.
  const adopter = (address: Address<'variable'>) =>
    settings.stack !== undefined && !ownedKeys?.has(addressKey(address)) ? settings.stack : undefined;

  const planned = await mapLimit(desired.objects, context.concurrency, async (d) => {
    const address = variableAddress(settings.cluster, d.spec.Namespace, d.spec.Path);
    const key = newDigestKey();
    const seen = created.has(d.spec.Namespace) ? null : await readSeen(context, address, key);
    return { desired: d, address, key, seen };
  });
  const declared = new Set(planned.map((p) => addressKey(p.address)));
  const doomed =
    settings.prune && settings.stack && owned
      ? owned.filter((a) => !declared.has(addressKey(a)) && !isReserved(a.name))
      : [];
  const pruned = await mapLimit(doomed, context.concurrency, async (address) => ({
    address,
    seen: await readSeen(context, address, newDigestKey()),
  }));

  const forbidden = [...planned, ...pruned].filter((p) => p.seen === 'forbidden').map((p) => p.address);
  if (forbidden.length > 0)
    return { registrations: [], deletes: [], unseen: { kind: 'variable', needs: readNeeds(forbidden) } };

  const registrations = planned
    .flatMap(({ desired: d, address, key, seen }) =>
      seen === 'forbidden' ? [] : [planOne(d, address, key, seen, adopter(address))],
    )
    .sort(byAddress);
  const deletes = pruned
    .flatMap(({ address, seen }): VariableChange[] =>
      seen && seen !== 'forbidden'
        ? [{ kind: 'variable', address, action: 'delete', wave: 0, modifyIndex: seen.modifyIndex, notes: [] }]
        : [],
    )
    .sort(byAddress);
  return { registrations, deletes };
}

/**
 * The variable at `address` as the plan may keep it: its values are digested under `key` as soon as they are read
 * and not kept. Null when there is none; 'forbidden' when the token may not read it (Nomad answers 403 whether
 * or not it exists).
 */
async function readSeen(context: PlanContext, address: Address<'variable'>, key: string): Promise<Read> {
  try {
    const { body } = await context.client.variables.read(address.name, {
      namespace: address.namespace,
      signal: context.signal,
    });
    if (!body) return null;
    return {
      modifyIndex: body.ModifyIndex,
      digests: digestItems(key, address, body.Items ?? {}),
    };
  } catch (error) {
    if (error instanceof NomadPermissionError) return 'forbidden';
    throw error;
  }
}

/** A declared variable's change: created, adopted by `adoptingStack`, updated, or unchanged. */
function planOne(
  desired: DesiredVariable,
  address: Address<'variable'>,
  key: string,
  seen: Seen | null,
  adoptingStack: string | undefined,
): VariableChange {
  const spec = { DigestKey: key, ItemDigests: digestItems(key, address, desired.spec.Items) };
  const base = {
    kind: 'variable' as const,
    address,
    wave: 0,
    ...(desired.file ? { file: desired.file } : {}),
  };
  const fields = itemFields(seen?.digests ?? {}, spec.ItemDigests);
  if (!seen) return { ...base, action: 'create', spec, modifyIndex: 0, fields, notes: [] };
  const modifyIndex = seen.modifyIndex;
  if (adoptingStack !== undefined)
    return {
      ...base,
      action: 'adopt',
      spec,
      modifyIndex,
      fields,
      notes: [{ type: 'adopt-inventory', kind: 'variable', stack: adoptingStack }],
    };
  if (fields.length === 0) return { ...base, action: 'noop', modifyIndex, notes: [] };
  return { ...base, action: 'update', spec, modifyIndex, fields, notes: [] };
}

/** What writing the items changes, item by item, shown without a value. */
function itemFields(live: ItemDigests, desired: ItemDigests): FieldDiff[] {
  return itemDifferences(live, desired).map(({ name, change }) => ({
    Type: change === 'added' ? 'Added' : change === 'removed' ? 'Deleted' : 'Edited',
    Name: `Items[${name}]`,
    Old: change === 'added' ? '' : SENSITIVE_VALUE,
    New: change === 'removed' ? '' : change === 'added' ? SENSITIVE_VALUE : SENSITIVE_VALUE_CHANGED,
    Annotations: null,
  }));
}

/** "variables read on nomad/jobs/api in namespace payments, …": what the token lacks, path by path. */
function readNeeds(addresses: readonly Address<'variable'>[]): string {
  const named = addresses.map((a) => `${a.name} in namespace ${a.namespace}`);
  const shown = named.slice(0, 5).join(', ');
  return `variables read on ${shown}${named.length > 5 ? ` and ${named.length - 5} more` : ''}`;
}

function byAddress(a: VariableChange, b: VariableChange): number {
  return (
    (a.address.namespace ?? '').localeCompare(b.address.namespace ?? '') ||
    a.address.name.localeCompare(b.address.name)
  );
}

function refuseReserved(variables: readonly DesiredVariable[]): void {
  const reserved = variables.find((d) => isReserved(d.spec.Path));
  if (reserved)
    throw new UserError(
      `variable "${reserved.spec.Path}"${reserved.file ? ` (in ${reserved.file})` : ''} is under ${RESERVED_PREFIX}, where drover keeps each stack's lock, history and inventory`,
      {
        code: 'reserved_variable',
        hint: `drover never declares, adopts or prunes its own variables: give this variable a path outside ${RESERVED_PREFIX}.`,
      },
    );
}

function refuseDuplicates(variables: readonly DesiredVariable[]): void {
  const seen = new Map<string, string | undefined>();
  for (const d of variables) {
    const key = JSON.stringify([d.spec.Namespace, d.spec.Path]);
    if (seen.has(key))
      throw new UserError(
        `variable "${d.spec.Path}" in namespace "${d.spec.Namespace}" is declared twice: in ${seen.get(key)} and ${d.file}`,
        { code: 'duplicate_object' },
      );
    seen.set(key, d.file);
  }
}
