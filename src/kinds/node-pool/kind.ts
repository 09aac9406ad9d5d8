/**
 * Node pools, as `nomad node pool apply` writes them: before the jobs placed in them, deleted after them and
 * only once no node or live job is left in them. The built-in pools ("default", "all") cannot be changed.
 */
import type { NodePoolSpec } from '../../nomad/endpoints/node-pools.js';
import { BUILT_IN_NODE_POOLS } from '../../nomad/endpoints/node-pools.js';
import { stampedObjectKind } from '../stamped-object-kind.js';
import { refuseNodePoolsInUse } from './refuse-in-use.js';

/** The fields of a node pool a spec sets (Nomad's node pool spec file). */
export const NODE_POOL_FIELDS = ['Description', 'Meta', 'NodeIdentityTTL', 'SchedulerConfiguration'] as const;

/** What Nomad stores for a pool written without a node identity TTL: 24 hours, in nanoseconds. */
export const DEFAULT_NODE_IDENTITY_TTL = 24 * 3_600 * 1_000_000_000;

export const nodePoolKind = stampedObjectKind({
  kind: 'node-pool',
  fields: NODE_POOL_FIELDS,
  builtIn: new Set(BUILT_IN_NODE_POOLS),
  unwritable: new Set(BUILT_IN_NODE_POOLS),
  stored: (spec: NodePoolSpec) => ({
    ...spec,
    NodeIdentityTTL: spec.NodeIdentityTTL || DEFAULT_NODE_IDENTITY_TTL,
  }),
  list: async (client, signal) => (await client.nodePools.list({ signal })).body,
  find: async (client, name, signal) => (await client.nodePools.find(name, { signal })).body,
  write: (client, spec: NodePoolSpec, signal) => client.nodePools.write(spec, { signal }),
  delete: (client, name, signal) => client.nodePools.delete(name, { signal }),
  review: refuseNodePoolsInUse,
});
