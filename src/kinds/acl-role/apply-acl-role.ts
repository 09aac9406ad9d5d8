/**
 * Writes or deletes one ACL role, read again by name right before (Nomad updates and deletes a role by its ID):
 * created only if no role has the name yet, updated, adopted or deleted only at the ModifyIndex the plan saw.
 */
import { changeResults } from '../change-result.js';
import type { ApplyOptions, ChangeResult } from '../../apply/types.js';
import type { WaveBound } from '../../apply/wave-bound.js';
import type { AclRoleChange } from './change.js';

export async function applyAclRole(
  change: Exclude<AclRoleChange, { action: 'noop' }>,
  options: ApplyOptions,
  bound: WaveBound,
): Promise<ChangeResult> {
  const result = changeResults(change);
  const { client } = options;
  try {
    const { body: live } = await client.aclRoles.findByName(change.address.name, { signal: bound.signal });
    const moved = aclRoleStaleness(change, live);
    if (moved) return result('failed', moved, { stale: true });
    if (change.action === 'create') {
      const created = await client.aclRoles.create(change.spec, { signal: bound.signal });
      return result('succeeded', 'created', { modifyIndex: created.ModifyIndex });
    }
    if (!live) throw new Error('only a create is carried out without a live role');
    if (change.action === 'delete') {
      await client.aclRoles.delete(live.ID, { signal: bound.signal });
      return result('succeeded', 'deleted', { modifyIndex: change.modifyIndex });
    }
    // Adopting a role as it is needs no write: listing it in the inventory is the whole change.
    if (change.action === 'adopt' && change.fields.length === 0)
      return result('succeeded', 'adopted', { modifyIndex: change.modifyIndex });
    const updated = await client.aclRoles.update(live.ID, change.spec, { signal: bound.signal });
    return result('succeeded', change.action === 'adopt' ? 'adopted' : 'updated', {
      modifyIndex: updated.ModifyIndex,
    });
  } catch (error) {
    return result('failed', (error as Error).message);
  }
}

/** Why the change may no longer be carried out: a role of that name was created, deleted or written since. */
export function aclRoleStaleness(
  change: AclRoleChange,
  live: { readonly ModifyIndex: number } | null | undefined,
): string | undefined {
  const since = (now: string) =>
    `ACL role ${change.address.name} changed since the plan (${now}); run plan again`;
  if (change.action === 'create') return live ? since('it exists now') : undefined;
  if (!live) return since('it is gone');
  return live.ModifyIndex === change.modifyIndex
    ? undefined
    : since(`modify index ${change.modifyIndex} → ${live.ModifyIndex}`);
}
