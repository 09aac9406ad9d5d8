/** ACL roles: written after the policies they link, deleted before them. Owned through the stack's inventory only. */
import { addressKey } from '../address.js';
import { liveAclIndexes } from '../acl-policy/acl-access.js';
import type { Kind } from '../kind.js';
import { aclRoleStaleness, applyAclRole } from './apply-acl-role.js';
import type { AclRoleChange, AclRolesDesired } from './change.js';
import { planAclRoles } from './plan-acl-roles.js';

export const aclRoleKind: Kind<'acl-role', AclRoleChange, AclRolesDesired> = {
  name: 'acl-role',
  after: ['acl-policy'],
  plan: planAclRoles,
  liveIndexes: (client, owned, signal) =>
    liveAclIndexes(
      client,
      'acl-role',
      async () => (await client.aclRoles.list({ signal })).body,
      owned,
      signal,
    ),
  async staleChanges(options, changes) {
    const writes = changes.filter((c) => c.action !== 'noop');
    const stale = new Map<string, string>();
    if (writes.length === 0) return stale;
    const { body: live } = await options.client.aclRoles.list({ signal: options.signal });
    const byName = new Map(live.map((r) => [r.Name, r]));
    for (const change of writes) {
      const why = aclRoleStaleness(change, byName.get(change.address.name));
      if (why) stale.set(addressKey(change.address), why);
    }
    return stale;
  },
  open(options) {
    return {
      apply(change, bound) {
        if (change.action === 'noop') throw new Error('a noop change is not carried out');
        return applyAclRole(change, options, bound);
      },
      close: async () => {},
    };
  },
};
