import type { NomadClient } from '../nomad/client.js';
import type { Deployment } from '../nomad/types.js';
import { waitsForPromotion } from './readiness.js';

/** The running deployments whose healthy canaries wait for a promotion, by namespace/job: one request for all. */
export async function waitingDeployments(
  client: NomadClient,
  signal?: AbortSignal,
): Promise<Map<string, Deployment>> {
  const { body } = await client.deployments.list({ namespace: '*', filter: 'Status == "running"', signal });
  return new Map(body.filter(waitsForPromotion).map((d) => [`${d.Namespace}/${d.JobID}`, d]));
}
