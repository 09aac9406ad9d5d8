import { CancelledError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import type { Deployment } from '../nomad/types.js';
import type { Logger } from '../util/logger.js';
import { deploymentReadiness } from './readiness.js';

export interface PromoteResult {
  readonly id: string;
  readonly namespace: string;
  readonly deployment_id: string;
  readonly outcome: 'succeeded' | 'failed' | 'timeout';
  readonly message: string;
  readonly seconds: number;
}

export interface PromoteRequest {
  readonly client: NomadClient;
  readonly id: string;
  readonly namespace: string;
  readonly deployment: Deployment;
  /** Bound on the wait; 0 for none. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly logger: Logger;
  readonly progress: (line: string) => void;
}

/** Promotes every canary group of a deployment, then follows it to its end with blocking queries. */
export async function promoteDeployment(request: PromoteRequest): Promise<PromoteResult> {
  const { client, id, namespace, deployment } = request;
  const started = performance.now();
  const timeout = request.timeoutMs > 0 ? AbortSignal.timeout(request.timeoutMs) : undefined;
  const signal =
    timeout && request.signal ? AbortSignal.any([request.signal, timeout]) : (timeout ?? request.signal);
  const done = (outcome: PromoteResult['outcome'], message: string): PromoteResult => ({
    id,
    namespace,
    deployment_id: deployment.ID,
    outcome,
    message,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
  await client.deployments.promote(deployment.ID, undefined, { namespace, signal: request.signal });
  request.progress(`${id}: promoted deployment ${deployment.ID.slice(0, 8)}; waiting for it to finish`);
  try {
    const query = client.watch((q) => client.deployments.read(deployment.ID, { namespace, ...q }), {
      signal,
      logger: request.logger,
    });
    for await (const { value } of query) {
      const ready = deploymentReadiness(value);
      if (!ready.done) continue;
      request.progress(`${id}: ${ready.successful ? 'succeeded' : 'failed'}: ${ready.message}`);
      return done(ready.successful ? 'succeeded' : 'failed', ready.message);
    }
  } catch (error) {
    if (!(error instanceof CancelledError) || !timeout?.aborted || request.signal?.aborted) throw error;
  }
  const message = `still not done after ${Math.round(request.timeoutMs / 1000)}s (Nomad carries on)`;
  request.progress(`${id}: timeout: ${message}`);
  return done('timeout', message);
}
