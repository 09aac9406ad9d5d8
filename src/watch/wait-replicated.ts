/**
 * A federated region's turn in a rollout starts once it holds what it gets by replication from its cluster's
 * first region (namespaces and node pools written there moments before): Nomad replicates on its own schedule, so
 * each object is awaited with blocking queries on its table, bounded, never by polling.
 */
import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import type { ApiResponse } from '../nomad/transport.js';

export interface Replicated {
  readonly namespaces: readonly string[];
  readonly nodePools: readonly string[];
}

/** How long a region may take to receive an object: Nomad replicates every few seconds when all is well. */
const REPLICATION_BOUND_MS = 120_000;

export async function waitForReplication(
  client: NomadClient,
  replicated: Replicated,
  options: { readonly region: string; readonly signal?: AbortSignal; readonly boundMs?: number },
): Promise<void> {
  const bound = AbortSignal.timeout(options.boundMs ?? REPLICATION_BOUND_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, bound]) : bound;
  const waits = [
    ...replicated.namespaces.map((name) => ({
      what: `namespace "${name}"`,
      find: (o: Blocking) => client.namespaces.find(name, o),
    })),
    ...replicated.nodePools.map((name) => ({
      what: `node pool "${name}"`,
      find: (o: Blocking) => client.nodePools.find(name, o),
    })),
  ];
  await Promise.all(
    waits.map(async ({ what, find }) => {
      try {
        await until(find, signal);
      } catch (error) {
        if (!bound.aborted || options.signal?.aborted) throw error;
        throw new UserError(
          `${what} has not reached region "${options.region}" within ${Math.round((options.boundMs ?? REPLICATION_BOUND_MS) / 1000)}s of its write in the authoritative region`,
          {
            code: 'not_replicated',
            hint: "Check the region's replication (nomad server members, its servers' logs and replication_token), then apply again.",
          },
        );
      }
    }),
  );
}

type Blocking = { readonly index?: number; readonly wait?: string; readonly signal?: AbortSignal };

async function until(
  find: (options: Blocking) => Promise<ApiResponse<unknown>>,
  signal: AbortSignal,
): Promise<void> {
  let index: number | undefined;
  for (;;) {
    const { body, meta } = await find({ signal, ...(index ? { index, wait: '30s' } : {}) });
    if (body !== null) return;
    index = meta.index;
  }
}
