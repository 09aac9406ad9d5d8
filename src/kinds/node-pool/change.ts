import type { NodePoolSpec } from '../../nomad/endpoints/node-pools.js';
import type { ObjectChange } from '../object-change.js';

/** A node pool's change; pools live outside namespaces, so the address has none. */
export type NodePoolChange = ObjectChange<'node-pool', NodePoolSpec>;
