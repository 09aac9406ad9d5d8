import { targetOf, type NomadAccess } from './nomad-access.js';

export interface ConnectionReport {
  readonly address: string;
  readonly region: string;
  readonly datacenter: string;
  readonly version: string;
  /** The leader's RPC address; "" when the cluster has no leader. */
  readonly leader: string;
}

/** Reaches the agent and asks for the cluster leader: the first thing to check when nothing else works. */
export async function checkConnection(access: NomadAccess, signal?: AbortSignal): Promise<ConnectionReport> {
  const client = access.connect(targetOf(access));
  const [self, leader] = await Promise.all([client.agent.self(signal), client.agent.leader(signal)]);
  return {
    address: client.address,
    region: self.config.Region ?? '',
    datacenter: self.config.Datacenter ?? '',
    version: self.config.Version?.Version ?? '',
    leader,
  };
}
