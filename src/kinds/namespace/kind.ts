/** Namespaces: written before every other kind (jobs and variables live in them), deleted after every other. */
import { addressKey } from '../address.js';
import type { Kind } from '../kind.js';
import { applyNamespace, namespaceStaleness } from './apply-namespace.js';
import type { NamespaceChange, NamespacesDesired } from './change.js';
import { planNamespaces, refuseNonEmptyDeletes } from './plan-namespaces.js';

export const namespaceKind: Kind<'namespace', NamespaceChange, NamespacesDesired> = {
  name: 'namespace',
  plan: planNamespaces,
  review: refuseNonEmptyDeletes,
  async staleChanges(options, changes) {
    const writes = changes.filter((c) => c.action !== 'noop');
    const stale = new Map<string, string>();
    if (writes.length === 0) return stale;
    const { body: live } = await options.client.namespaces.list({ signal: options.signal });
    const byName = new Map(live.map((n) => [n.Name, n]));
    for (const change of writes) {
      const why = namespaceStaleness(change, byName.get(change.address.name), options.plan.settings);
      if (why) stale.set(addressKey(change.address), why);
    }
    return stale;
  },
  open(options) {
    return {
      apply(change, bound) {
        if (change.action === 'noop') throw new Error('a noop change is not carried out');
        return applyNamespace(change, options, bound);
      },
      close: async () => {},
    };
  },
};
