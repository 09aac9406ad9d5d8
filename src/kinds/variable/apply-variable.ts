/**
 * Writes or deletes one variable with check-and-set: created only if there is none (cas 0), updated, adopted or
 * deleted only at the ModifyIndex the plan saw; a lost check-and-set is a stale plan, never retried. The values
 * written are the project's, asked for again (the plan has only their digests) and written only if their digests
 * are the plan's. No message carries a value.
 */
import { changeResults } from '../change-result.js';
import type { ApplyOptions, ChangeResult } from '../../apply/types.js';
import type { WaveBound } from '../../apply/wave-bound.js';
import type { Variable } from '../../nomad/endpoints/variables.js';
import { SecretFinder } from '../../plan/secret-finder.js';
import { SENSITIVE } from '../../util/secret-lines.js';
import type { VariableChange } from './change.js';
import { digestItems, itemDifferences } from './digest.js';

type Items = Readonly<Record<string, string>>;
type VariableWrite = Extract<VariableChange, { action: 'create' | 'update' | 'adopt' }>;

/** Values shorter than this are scrubbed from a message only where they are all of it. */
const MIN_SCRUBBED_LENGTH = 4;

export async function applyVariable(
  change: Exclude<VariableChange, { action: 'noop' }>,
  options: ApplyOptions,
  bound: WaveBound,
): Promise<ChangeResult> {
  const result = changeResults(change);
  const { client } = options;
  const { name: path, namespace } = change.address;
  const request = { namespace, signal: bound.signal };
  let items: Items = {};
  try {
    if (change.action === 'delete') {
      const deleted = await client.variables.delete(path, { ...request, cas: change.modifyIndex });
      if (deleted.conflict) return result('failed', conflictReason(change, deleted.current), { stale: true });
      return result('succeeded', 'deleted', { modifyIndex: change.modifyIndex });
    }
    const values = await plannedValues(change, options);
    if ('why' in values) return result('failed', values.why, { stale: true });
    items = values.items;
    if (change.action === 'adopt' && change.fields.length === 0) {
      const { body: live } = await client.variables.read(path, request);
      const moved = variableStaleness(change, live);
      if (moved) return result('failed', moved, { stale: true });
      return result('succeeded', 'adopted', { modifyIndex: change.modifyIndex });
    }
    const written = await client.variables.write(path, items, { ...request, cas: change.modifyIndex });
    if (written.conflict) return result('failed', conflictReason(change, written.current), { stale: true });
    return result(
      'succeeded',
      change.action === 'create' ? 'created' : change.action === 'adopt' ? 'adopted' : 'updated',
      { modifyIndex: written.variable.ModifyIndex },
    );
  } catch (error) {
    return result('failed', withoutValues((error as Error).message, items));
  }
}

/**
 * The values to write, asked of the project again, or why they may not be written: the project no longer
 * declares the variable, or an item's value (or the set of items) is not what the plan's digests say.
 */
export async function plannedValues(
  change: VariableWrite,
  options: Pick<ApplyOptions, 'resolveValues'>,
): Promise<{ readonly items: Items } | { readonly why: string }> {
  if (!options.resolveValues)
    throw new Error('a plan that writes variables is applied with resolveValues (ApplyOptions)');
  const label = variableLabel(change);
  const items = await options.resolveValues(change.address);
  if (!items) return { why: `variable ${label} is no longer declared by the project; run plan again` };
  const now = digestItems(change.spec.DigestKey, change.address, items);
  const differences = itemDifferences(change.spec.ItemDigests, now);
  if (differences.length === 0) return { items };
  const said = differences.map(({ name, change: how }) =>
    how === 'changed'
      ? `the value of item "${name}" changed`
      : `item "${name}" was ${how === 'added' ? 'added' : 'removed'}`,
  );
  return { why: `variable ${label}: ${said.join(', ')} since the plan; run plan again` };
}

/** Why the change may no longer be carried out: the variable moved since the plan (by its ModifyIndex). */
export function variableStaleness(
  change: VariableChange,
  live: Pick<Variable, 'ModifyIndex'> | null,
): string | undefined {
  if (change.action === 'create') return live ? since(change, 'it exists now') : undefined;
  if (!live) return since(change, 'it is gone');
  return live.ModifyIndex === change.modifyIndex
    ? undefined
    : since(change, `modify index ${change.modifyIndex} → ${live.ModifyIndex}`);
}

/** A lost check-and-set, from the variable Nomad answered with (its items, if any, are not looked at). */
function conflictReason(change: VariableChange, current: Partial<Variable>): string {
  const index = current.ModifyIndex ?? 0;
  if (index === 0) return since(change, 'it is gone, or another holder has locked it');
  return change.action === 'create'
    ? since(change, 'it exists now')
    : since(change, `modify index ${change.modifyIndex} → ${index}`);
}

const since = (change: VariableChange, now: string) =>
  `variable ${variableLabel(change)} changed since the plan (${now}); run plan again`;

const variableLabel = (change: VariableChange) =>
  `${change.address.name} in namespace ${change.address.namespace}`;

/** A failure's text with any of the values being written cut out (Nomad's own texts quote none, a proxy might). */
function withoutValues(message: string, items: Items): string {
  const values = Object.values(items);
  return new SecretFinder(
    values.filter((v) => v.length >= MIN_SCRUBBED_LENGTH),
    new Set(values.filter((v) => v.length < MIN_SCRUBBED_LENGTH)),
  ).replace(message, SENSITIVE);
}
