/**
 * ACL policies: written after namespaces (a workload-identity policy names one) and before the roles that link
 * them; deleted after those roles. Owned through the stack's inventory only.
 */
import { addressKey } from '../address.js';
import type { Kind } from '../kind.js';
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
  async staleChanges(options, changes) {
    const writes = changes.filter((c) => c.action !== 'noop');
    const stale = new Map<string, string>();
    if (writes.length === 0) return stale;
    const { body: live } = await options.client.aclPolicies.list({ signal: options.signal });
    const byName = new Map(live.map((p) => [p.Name, p]));
    for (const change of writes) {
      const why = aclPolicyStaleness(change, byName.get(change.address.name));
      if (why) stale.set(addressKey(change.address), why);
    }
    return stale;
  },
  open(options) {
    return {
      apply(change, bound) {
        if (change.action === 'noop') throw new Error('a noop change is not carried out');
        return applyAclPolicy(change, options, bound);
      },
      close: async () => {},
    };
  },
};
