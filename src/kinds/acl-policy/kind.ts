/**
 * ACL policies: written after namespaces (a workload-identity policy names one) and before the roles that link
 * them; deleted after those roles. Owned through the stack's inventory only.
 */
import type { Kind } from '../kind.js';
import { directRun, staleByName } from '../object-kind-parts.js';
import { liveAclIndexes } from './acl-access.js';
import { aclPolicyStaleness, applyAclPolicy } from './apply-acl-policy.js';
import type { AclPoliciesDesired, AclPolicyChange } from './change.js';
import { refuseLinkedDeletes } from './linked-deletes.js';
import { planAclPolicies } from './plan-acl-policies.js';

export const aclPolicyKind: Kind<'acl-policy', AclPolicyChange, AclPoliciesDesired> = {
  name: 'acl-policy',
  plan: planAclPolicies,
  review: refuseLinkedDeletes,
  liveIndexes: (client, owned, signal) =>
    liveAclIndexes(
      client,
      'acl-policy',
      async () => (await client.aclPolicies.list({ signal })).body,
      owned,
      signal,
    ),
  staleChanges: (options, changes) =>
    staleByName(
      changes,
      async () => (await options.client.aclPolicies.list({ signal: options.signal })).body,
      aclPolicyStaleness,
    ),
  open: (options) => directRun(options, applyAclPolicy),
};
