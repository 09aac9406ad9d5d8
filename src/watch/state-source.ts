/**
 * Where a watcher gets each newer state of what it follows. Two ways, same answers: a blocking query per object
 * (the default), or one event stream shared by every job of an apply (event-feed.ts).
 */
import type { BlockingParams } from '../nomad/blocking-query.js';
import type { NomadClient } from '../nomad/client.js';
import type { ApiResponse } from '../nomad/transport.js';
import type { AllocListStub, Deployment, Evaluation } from '../nomad/types.js';

export interface FollowOptions {
  readonly namespace: string;
  readonly signal?: AbortSignal;
  /** A state at this index or older is already known: wait for a newer one. */
  readonly after?: number;
}

export interface StateSource {
  evaluation(id: string, options: FollowOptions): AsyncIterable<Evaluation>;
  deployment(id: string, options: FollowOptions): AsyncIterable<Deployment>;
  /** Every allocation of the job, as /v1/job/:id/allocations lists them. */
  jobAllocations(jobId: string, options: FollowOptions): AsyncIterable<AllocListStub[]>;
  latestDeployment(jobId: string, options: FollowOptions): AsyncIterable<Deployment | null>;
}

export function blockingQueries(client: NomadClient, wait = '5m'): StateSource {
  async function* follow<T>(
    read: (params: BlockingParams) => Promise<ApiResponse<T>>,
    options: FollowOptions,
  ): AsyncGenerator<T> {
    for await (const { value } of client.watch(read, {
      signal: options.signal,
      wait,
      ...(options.after ? { startIndex: options.after } : {}),
    }))
      yield value;
  }
  return {
    evaluation: (id, o) => follow((q) => client.evaluations.read(id, { ...q, namespace: o.namespace }), o),
    deployment: (id, o) => follow((q) => client.deployments.read(id, { ...q, namespace: o.namespace }), o),
    jobAllocations: (jobId, o) =>
      follow((q) => client.jobs.allocations(jobId, { ...q, namespace: o.namespace }), o),
    latestDeployment: (jobId, o) =>
      follow((q) => client.jobs.latestDeployment(jobId, { ...q, namespace: o.namespace }), o),
  };
}
