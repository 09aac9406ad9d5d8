import { aboutObject, orNull } from '../object-errors.js';
import type { ApiResponse, Transport } from '../transport.js';
import type { JobListStub, Nanoseconds } from '../types.js';
import {
  clusterReadRequest,
  clusterWriteRequest,
  readRequest,
  segment,
  type ClusterReadOptions,
  type ClusterWriteOptions,
  type ReadOptions,
  type WriteIndex,
} from './options.js';

/** The node pools every cluster has: "default" (nodes that name no pool) and "all" (every node). Nomad refuses to change or delete them. */
export const BUILT_IN_NODE_POOLS: readonly string[] = ['all', 'default'];

/** Scheduler settings of a pool: Nomad Enterprise only. */
export interface NodePoolSchedulerConfiguration {
  readonly SchedulerAlgorithm: string;
  readonly MemoryOversubscriptionEnabled: boolean | null;
}

/** A node pool as Nomad answers it (nomad/structs.NodePool). */
export interface NodePool {
  readonly Name: string;
  readonly Description: string;
  readonly Meta: Record<string, string> | null;
  /** How long a node's identity lasts; Nomad stores 24 h when a write leaves it 0. */
  readonly NodeIdentityTTL: Nanoseconds;
  readonly SchedulerConfiguration: NodePoolSchedulerConfiguration | null;
  /** Base64 of Nomad's BLAKE2b-256 over the fields a user sets; null for the built-in pools. */
  readonly Hash: string | null;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}

/** What a write sends. Nomad replaces the whole pool with it: a field left out is cleared (the TTL defaulted). */
export type NodePoolSpec = { readonly Name: string } & Partial<
  Pick<NodePool, 'Description' | 'Meta' | 'NodeIdentityTTL' | 'SchedulerConfiguration'>
>;

/** A node of a pool, as /v1/node/pool/:name/nodes lists it (the fields drover reads). */
export interface NodePoolNode {
  readonly ID: string;
  readonly Name: string;
  readonly Datacenter: string;
  readonly NodePool: string;
  readonly Status: string;
  readonly [field: string]: unknown;
}

/**
 * /v1/node/pools and /v1/node/pool/:name. Reads block with `index`; a token sees only the pools its node_pool
 * rules let it read (a list leaves the others out, a read of one is a 403). Writes need node_pool write, deletes
 * node_pool delete (management has both).
 */
export class NodePoolsApi {
  constructor(private readonly transport: Transport) {}

  list(options: ClusterReadOptions & { prefix?: string } = {}): Promise<ApiResponse<NodePool[]>> {
    return this.transport.json(clusterReadRequest('/node/pools', options, { prefix: options.prefix }));
  }

  /** The pool; NomadObjectNotFoundError when there is none. */
  read(name: string, options: ClusterReadOptions = {}): Promise<ApiResponse<NodePool>> {
    return aboutObject('node pool', name, () =>
      this.transport.json<NodePool>(clusterReadRequest(`/node/pool/${segment(name)}`, options)),
    );
  }

  /** The pool, or null when there is none (with the table's index). */
  async find(name: string, options: ClusterReadOptions = {}): Promise<ApiResponse<NodePool | null>> {
    return orNull(() => this.read(name, options));
  }

  /** The jobs placed in the pool, in the client's namespace or another ("*": every namespace the token reads). */
  jobs(name: string, options: ReadOptions = {}): Promise<ApiResponse<JobListStub[]>> {
    return aboutObject('node pool', name, () =>
      this.transport.json<JobListStub[]>(readRequest(`/node/pool/${segment(name)}/jobs`, options)),
    );
  }

  /** The nodes in the pool. */
  nodes(name: string, options: ClusterReadOptions = {}): Promise<ApiResponse<NodePoolNode[]>> {
    return aboutObject('node pool', name, () =>
      this.transport.json<NodePoolNode[]>(clusterReadRequest(`/node/pool/${segment(name)}/nodes`, options)),
    );
  }

  /**
   * Creates or replaces the pool. "default" and "all" are refused (NomadBuiltInObjectError); scheduler settings on
   * open-source Nomad too (NomadUnlicensedError).
   */
  async write(pool: NodePoolSpec, options: ClusterWriteOptions = {}): Promise<WriteIndex> {
    const request = clusterWriteRequest('PUT', `/node/pool/${segment(pool.Name)}`, options, pool);
    const { meta } = await aboutObject('node pool', pool.Name, () => this.transport.bytes(request));
    return { index: meta.index };
  }

  /** Deletes the pool; refused (NomadObjectInUseError) while it has nodes or jobs that are not dead. */
  async delete(name: string, options: ClusterWriteOptions = {}): Promise<WriteIndex> {
    const request = clusterWriteRequest('DELETE', `/node/pool/${segment(name)}`, options);
    const { meta } = await aboutObject('node pool', name, () => this.transport.bytes(request));
    return { index: meta.index };
  }
}
