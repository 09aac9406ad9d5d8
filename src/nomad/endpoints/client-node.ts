import type { ApiResponse, Transport } from '../transport.js';
import type { HostStats, NodeMetadata } from '../types.js';
import { readRequest, type ReadOptions, type WriteOptions } from './options.js';

/** Node-level client endpoints: host stats, dynamic node metadata, garbage collection. */
export class ClientNodeApi {
  constructor(private readonly transport: Transport) {}

  /** Host statistics; nodeId is required when the address is a server rather than a client agent. */
  stats(nodeId?: string, options: ReadOptions = {}): Promise<ApiResponse<HostStats>> {
    return this.transport.json({
      ...readRequest('/client/stats', options, { node_id: nodeId }),
      namespace: null,
    });
  }

  metadata(nodeId?: string, options: ReadOptions = {}): Promise<ApiResponse<NodeMetadata>> {
    return this.transport.json({
      ...readRequest('/client/metadata', options, { node_id: nodeId }),
      namespace: null,
    });
  }

  /** Sets dynamic metadata; a null value removes the key. */
  async updateMetadata(
    meta: Record<string, string | null>,
    nodeId?: string,
    options: WriteOptions = {},
  ): Promise<NodeMetadata> {
    const response = await this.transport.json<NodeMetadata>({
      method: 'POST',
      path: '/client/metadata',
      query: { node_id: nodeId },
      body: { ...(nodeId ? { NodeID: nodeId } : {}), Meta: meta },
      namespace: null,
      signal: options.signal,
    });
    return response.body;
  }

  /** Garbage-collects every terminal allocation on the node. */
  async gc(nodeId?: string, options: WriteOptions = {}): Promise<void> {
    await this.transport.bytes({
      method: 'PUT',
      path: '/client/gc',
      query: { node_id: nodeId },
      namespace: null,
      signal: options.signal,
    });
  }
}
