import type { AclRoleSpec } from '../../nomad/endpoints/acl.js';
import type { Address } from '../address.js';
import type { ObjectChange } from '../object-change.js';
import type { DesiredObject, ObjectsDesired } from '../desired-object.js';

/**
 * An ACL role's change, addressed by the role's name: Nomad updates and deletes a role by its ID, which apply
 * reads by name right before writing.
 */
export type AclRoleChange = ObjectChange<'acl-role', AclRoleSpec>;

export function aclRoleAddress(cluster: string, name: string): Address<'acl-role'> {
  return { cluster, kind: 'acl-role', name };
}

/** What the project declares: the role as Nomad's ACL role API takes it (its policies by name), and where. */
export type DesiredAclRole = DesiredObject<AclRoleSpec>;
export type AclRolesDesired = ObjectsDesired<AclRoleSpec>;
