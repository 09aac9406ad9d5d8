/** ACL roles: written after the policies they link, deleted before them. Owned through the stack's inventory only. */
import { liveAclIndexes } from '../acl-policy/acl-access.js';
import type { Kind } from '../kind.js';
import { directRun, staleByName } from '../object-kind-parts.js';
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
  staleChanges: (options, changes) =>
    staleByName(
      changes,
      async () => (await options.client.aclRoles.list({ signal: options.signal })).body,
      aclRoleStaleness,
    ),
  open: (options) => directRun(options, applyAclRole),
};
