/**
 * Nomad Variables: written after the namespaces they live in and before the jobs whose templates read them;
 * deleted after those jobs. Their values never enter a plan (digest.ts), nor drift (told by ModifyIndex).
 */
import { addressKey } from '../address.js';
import type { Kind } from '../kind.js';
import { mapLimit } from '../../util/limit.js';
import { DEFAULT_PARALLELISM } from '../../apply/defaults.js';
import { applyVariable, plannedValues, variableStaleness } from './apply-variable.js';
import { variableAddress, type VariableChange, type VariablesDesired } from './change.js';
import { planVariables } from './plan-variables.js';

export const variableKind: Kind<'variable', VariableChange, VariablesDesired> = {
  name: 'variable',
  plan: planVariables,
  async staleChanges(options, changes) {
    const stale = new Map<string, string>();
    const checked = changes.filter((c) => c.action !== 'noop');
    await mapLimit(checked, options.parallelism ?? DEFAULT_PARALLELISM, async (change) => {
      const values = change.action === 'delete' ? undefined : await plannedValues(change, options);
      if (values && 'why' in values) {
        stale.set(addressKey(change.address), values.why);
        return;
      }
      const { body: live } = await options.client.variables.read(change.address.name, {
        namespace: change.address.namespace,
        signal: options.signal,
      });
      const why = variableStaleness(change, live);
      if (why) stale.set(addressKey(change.address), why);
    });
    return stale;
  },
  /** Drift: each inventoried variable's ModifyIndex, from a list per namespace (a list carries no items). */
  async liveIndexes(client, owned, signal) {
    const indexes = new Map<string, number>();
    const cluster = owned[0]?.cluster ?? '';
    for (const namespace of new Set(owned.map((a) => a.namespace ?? ''))) {
      for (const live of await client.variables.listAll({ namespace, signal }))
        indexes.set(addressKey(variableAddress(cluster, live.Namespace, live.Path)), live.ModifyIndex);
    }
    return indexes;
  },
  open(options) {
    return {
      apply(change, bound) {
        if (change.action === 'noop') throw new Error('a noop change is not carried out');
        return applyVariable(change, options, bound);
      },
      close: async () => {},
    };
  },
};
