/**
 * Writes or deletes one ACL policy, read again right before: created only if it still does not exist, updated,
 * adopted or deleted only at the ModifyIndex the plan saw.
 */
import { changeResults } from '../change-result.js';
import type { ApplyOptions, ChangeResult } from '../../apply/types.js';
import type { WaveBound } from '../../apply/wave-bound.js';
import type { AclPolicyChange } from './change.js';

export async function applyAclPolicy(
  change: Exclude<AclPolicyChange, { action: 'noop' }>,
  options: ApplyOptions,
  bound: WaveBound,
): Promise<ChangeResult> {
  const result = changeResults(change);
  const { client } = options;
  const name = change.address.name;
  try {
    const { body: live } = await client.aclPolicies.find(name, { signal: bound.signal });
    const moved = aclPolicyStaleness(change, live);
    if (moved) return result('failed', moved, { stale: true });
    if (change.action === 'delete') {
      await client.aclPolicies.delete(name, { signal: bound.signal });
      return result('succeeded', 'deleted', { modifyIndex: change.modifyIndex });
    }
    // Adopting a policy as it is needs no write: listing it in the inventory is the whole change.
    if (change.action === 'adopt' && change.fields.length === 0)
      return result('succeeded', 'adopted', { modifyIndex: change.modifyIndex });
    const { index } = await client.aclPolicies.write(change.spec, { signal: bound.signal });
    const done = change.action === 'create' ? 'created' : change.action === 'adopt' ? 'adopted' : 'updated';
    return result('succeeded', done, { modifyIndex: index });
  } catch (error) {
    return result('failed', (error as Error).message);
  }
}

/** Why the change may no longer be carried out: the policy was created, deleted or written since the plan. */
export function aclPolicyStaleness(
  change: AclPolicyChange,
  live: { readonly ModifyIndex: number } | null | undefined,
): string | undefined {
  const since = (now: string) =>
    `ACL policy ${change.address.name} changed since the plan (${now}); run plan again`;
  if (change.action === 'create') return live ? since('it exists now') : undefined;
  if (!live) return since('it is gone');
  return live.ModifyIndex === change.modifyIndex
    ? undefined
    : since(`modify index ${change.modifyIndex} → ${live.ModifyIndex}`);
}
