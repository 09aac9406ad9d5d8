/**
 * Nomad deletes a policy that roles still link and leaves them linking a policy that no longer exists. The plan
 * refuses first, naming the roles that would still link it once the plan is applied.
 */
import { UserError } from '../../errors.js';
import type { Change } from '../../plan/model.js';
import type { PlanContext } from '../kind.js';

export async function refuseLinkedDeletes(context: PlanContext, changes: readonly Change[]): Promise<void> {
  const doomed = changes.flatMap((c) => (c.kind === 'acl-policy' && c.action === 'delete' ? [c] : []));
  if (doomed.length === 0) return;
  const { body: live } = await context.client.aclRoles.list({ signal: context.signal });
  const links = new Map(live.map((r) => [r.Name, r.Policies.map((p) => p.Name)]));
  for (const change of changes) {
    if (change.kind !== 'acl-role' || change.action === 'noop') continue;
    if (change.action === 'delete') links.delete(change.address.name);
    else
      links.set(
        change.address.name,
        change.spec.Policies.map((p) => p.Name),
      );
  }
  for (const { address } of doomed) {
    const roles = [...links]
      .filter(([, policies]) => policies.includes(address.name))
      .map(([role]) => `"${role}"`)
      .sort();
    if (roles.length > 0)
      throw new UserError(
        `ACL policy "${address.name}" would be deleted, but ${roles.length === 1 ? 'ACL role' : 'ACL roles'} ${roles.join(', ')} still ${roles.length === 1 ? 'links' : 'link'} it`,
        {
          code: 'acl_policy_linked',
          hint: 'Nomad would delete it and leave the role linking a policy that no longer exists: take the policy out of the role (or delete the role) in the same plan, or declare the policy again.',
        },
      );
  }
}
