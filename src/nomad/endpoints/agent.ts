import type { Transport } from '../transport.js';
import type { AgentSelf } from '../types.js';

/** Connectivity checks: the agent drover talks to and the cluster's leader. */
export class AgentApi {
  constructor(private readonly transport: Transport) {}

  async self(signal?: AbortSignal): Promise<AgentSelf> {
    return (await this.transport.json<AgentSelf>({ path: '/agent/self', namespace: null, signal })).body;
  }

  /** The leader's RPC address, or "" when there is none. */
  async leader(signal?: AbortSignal): Promise<string> {
    return (await this.transport.json<string>({ path: '/status/leader', namespace: null, signal })).body;
  }
}
