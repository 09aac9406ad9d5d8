/**
 * Nomad Variables: written after the namespaces they live in and before the jobs whose templates read them;
 * deleted after those jobs. Their values never enter a plan (digest.ts), nor drift (told by ModifyIndex).
 */
import { addressKey } from '../address.js';
import type { Kind } from '../kind.js';
import { directRun } from '../object-kind-parts.js';
import { mapLimit } from '../../util/limit.js';
import { DEFAULT_PARALLELISM } from '../../apply/defaults.js';
import { applyVariable, plannedValues, variableStaleness } from './apply-variable.js';
import { variableAddress, type VariableChange, type VariablesDesired } from './change.js';
import { planVariables } from './plan-variables.js';

/** Drift's lists in flight at once, as many as a plan's requests (DEFAULT_PLAN_CONCURRENCY). */
const LISTS_AT_ONCE = 64;

export const variableKind: Kind<'variable', VariableChange, VariablesDesired> = {
  name: 'variable',
  after: ['namespace'],
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
  /**
   * Drift: each inventoried variable's ModifyIndex, from a list per namespace (a list carries no items), the
   * namespaces asked at once.
   */
  async liveIndexes(client, owned, signal) {
    const cluster = owned[0]?.cluster ?? '';
    const namespaces = [...new Set(owned.map((a) => a.namespace ?? ''))];
    const lists = await mapLimit(namespaces, LISTS_AT_ONCE, (namespace) =>
      client.variables.listAll({ namespace, signal }),
    );
    return new Map(
      lists
        .flat()
        .map((live) => [addressKey(variableAddress(cluster, live.Namespace, live.Path)), live.ModifyIndex]),
    );
  },
  open: (options) => directRun(options, applyVariable),
};
