import type { AclPolicySpec } from '../../nomad/endpoints/acl.js';
import type { Address } from '../address.js';
import type { ObjectChange } from '../object-change.js';
import type { DesiredObject, ObjectsDesired } from '../desired-object.js';

/** An ACL policy's change; policies live outside namespaces, so the address has none. */
export type AclPolicyChange = ObjectChange<'acl-policy', AclPolicySpec>;

export function aclPolicyAddress(cluster: string, name: string): Address<'acl-policy'> {
  return { cluster, kind: 'acl-policy', name };
}

/** What the project declares: the policy as Nomad's ACL policy API takes it, and where. */
export type DesiredAclPolicy = DesiredObject<AclPolicySpec>;
export type AclPoliciesDesired = ObjectsDesired<AclPolicySpec>;
