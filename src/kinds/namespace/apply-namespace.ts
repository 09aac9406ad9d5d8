/**
 * Writes or deletes one namespace, read again right before: created only if it still does not exist, updated or
 * deleted only at the ModifyIndex the plan saw (and, for a delete, while it still carries this stack's stamp).
 */
import type { ApplyOptions, ChangeResult } from '../../apply/types.js';
import type { WaveBound } from '../../apply/wave-bound.js';
import type { Namespace } from '../../nomad/endpoints/namespaces.js';
import { ownerOf } from '../../plan/ownership.js';
import type { NamespaceChange } from './change.js';

export async function applyNamespace(
  change: Exclude<NamespaceChange, { action: 'noop' }>,
  options: ApplyOptions,
  bound: WaveBound,
): Promise<ChangeResult> {
  const started = performance.now();
  const result = (outcome: ChangeResult['outcome'], message: string, stale = false): ChangeResult => ({
    address: change.address,
    action: change.action,
    outcome,
    message,
    durationMs: performance.now() - started,
    explanation: [],
    ...(stale ? { stale: true } : {}),
  });
  const { client } = options;
  const name = change.address.name;
  try {
    const { body: live } = await client.namespaces.find(name, { signal: bound.signal });
    const moved = namespaceStaleness(change, live, options.plan.settings);
    if (moved) return result('failed', moved, true);
    if (change.action === 'delete') {
      await client.namespaces.delete(name, { signal: bound.signal });
      return result('succeeded', 'deleted');
    }
    await client.namespaces.write(change.spec, { signal: bound.signal });
    return result(
      'succeeded',
      change.action === 'create' ? 'created' : change.action === 'adopt' ? 'adopted' : 'updated',
    );
  } catch (error) {
    return result('failed', (error as Error).message);
  }
}

/** Why the change may no longer be carried out: the namespace moved since the plan, or is no longer the stack's. */
export function namespaceStaleness(
  change: NamespaceChange,
  live: Pick<Namespace, 'ModifyIndex' | 'Meta'> | null | undefined,
  settings: { readonly stack?: string; readonly stampKey: string },
): string | undefined {
  const name = change.address.name;
  const since = (now: string) => `namespace ${name} changed since the plan (${now}); run plan again`;
  if (change.action === 'create') return live ? since('it exists now') : undefined;
  if (!live) return since('it is gone');
  if (change.action === 'delete' && ownerOf(live, settings.stampKey) !== settings.stack)
    return `namespace ${name} does not belong to stack "${settings.stack ?? '(none)'}"; not deleted`;
  return live.ModifyIndex === change.modifyIndex
    ? undefined
    : since(`modify index ${change.modifyIndex} → ${live.ModifyIndex}`);
}
