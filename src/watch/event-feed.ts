/**
 * `--watch events` (the default): one /v1/event/stream connection for every job of the apply instead of a
 * blocking query per object. Each follower reads its object once (the state before the stream may have caught
 * it), then takes newer states from the stream's payloads: Evaluation and Deployment events carry the whole
 * object, so following those costs no further request. Allocation events come without the job, hence without
 * the job version a watcher needs, so a job's allocation list is read again when the stream shows one of them
 * changed. When the stream cannot be had or kept, every follower goes on with blocking queries from the last
 * state it delivered.
 */
import { CancelledError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { EventStreamUnavailableError } from '../nomad/errors.js';
import type { AllocListStub, Deployment, Evaluation, NomadEvent } from '../nomad/types.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { blockingQueries, type FollowOptions, type StateSource } from './state-source.js';

/** Jobs followed by key on the stream; more are followed through the namespace's whole stream. */
export const MAX_KEYED_JOBS = 20;

interface Versioned<T> {
  readonly value: T;
  readonly index: number;
}

export interface EventFeedOptions {
  readonly client: NomadClient;
  /** The jobs to follow, by namespace. */
  readonly jobs: readonly { readonly id: string; readonly namespace: string }[];
  readonly logger?: Logger;
  /** Wait of each blocking query after a fall-back. Default 5m. */
  readonly wait?: string;
  /** How long a new stream may stay silent before it counts as refused (tests shorten it). */
  readonly firstLineMs?: number;
}

export class EventFeed implements StateSource {
  private readonly evaluations = new Map<string, Versioned<Evaluation>>();
  private readonly deployments = new Map<string, Versioned<Deployment>>();
  /** namespace/job → the index of the latest event about one of its allocations. */
  private readonly allocationChanges = new Map<string, number>();
  private wakers = new Set<() => void>();
  /** Set once the stream is given up: where every follower takes its next states from. */
  private fallback: StateSource | undefined;
  private readonly abort = new AbortController();
  private readonly running: Promise<void>;

  constructor(private readonly options: EventFeedOptions) {
    this.running = this.consume();
  }

  /** Stops the stream; followers still waiting end with CancelledError. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  /** One stream per namespace, so the token needs read-job only where the jobs are (not in every namespace). */
  private async consume(): Promise<void> {
    const { jobs } = this.options;
    const wanted = new Set(jobs.map((j) => key(j.namespace, j.id)));
    const byNamespace = new Map<string, Set<string>>();
    for (const job of jobs)
      byNamespace.set(job.namespace, (byNamespace.get(job.namespace) ?? new Set()).add(job.id));
    await Promise.all(
      [...byNamespace].map(([namespace, ids]) => this.consumeOne(namespace, [...ids], wanted)),
    );
    this.wake();
  }

  private async consumeOne(namespace: string, ids: string[], wanted: ReadonlySet<string>): Promise<void> {
    const { client, logger = silentLogger } = this.options;
    try {
      // Beyond a few jobs the stream takes every event of the namespace and `take` keeps the plan's: the request
      // stays the same size whatever the number of jobs (2,000 job IDs made a 150 KB request line).
      const keys = ids.length <= MAX_KEYED_JOBS ? ids : ['*'];
      for await (const batch of client.events.stream({
        topics: { Evaluation: keys, Deployment: keys, Allocation: keys },
        namespace,
        signal: this.abort.signal,
        logger,
        firstLineMs: this.options.firstLineMs,
      })) {
        for (const event of batch.Events) this.take(event, wanted);
        this.wake();
      }
    } catch (error) {
      if (error instanceof CancelledError || this.abort.signal.aborted || this.fallback) return;
      const why =
        error instanceof EventStreamUnavailableError
          ? error.message
          : `the event stream failed: ${String(error)}`;
      logger.warn(`${why}; following the jobs with blocking queries instead`);
      this.fallback = blockingQueries(client, this.options.wait);
      this.abort.abort();
      this.wake();
    }
  }

  private take(event: NomadEvent, wanted: ReadonlySet<string>): void {
    const payload = event.Payload as {
      Evaluation?: Evaluation;
      Deployment?: Deployment;
      Allocation?: { JobID: string };
    };
    const jobId = payload.Evaluation?.JobID ?? payload.Deployment?.JobID ?? payload.Allocation?.JobID;
    if (jobId === undefined || !wanted.has(key(event.Namespace, jobId))) return;
    if (event.Topic === 'Evaluation' && payload.Evaluation)
      newer(this.evaluations, payload.Evaluation.ID, payload.Evaluation, event.Index);
    else if (event.Topic === 'Deployment' && payload.Deployment)
      newer(this.deployments, payload.Deployment.ID, payload.Deployment, event.Index);
    else if (event.Topic === 'Allocation' && payload.Allocation) {
      const byJob = key(event.Namespace, jobId);
      this.allocationChanges.set(byJob, Math.max(this.allocationChanges.get(byJob) ?? 0, event.Index));
    }
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = new Set();
    for (const wake of wakers) wake();
  }

  /** Resolves at the next batch or the fall-back; rejects on abort or close. */
  private changed(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    if (this.fallback) return Promise.resolve();
    if (this.abort.signal.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.wakers.delete(waker);
        reject(new CancelledError());
      };
      const waker = () => {
        signal?.removeEventListener('abort', onAbort);
        if (this.abort.signal.aborted && !this.fallback) reject(new CancelledError());
        else resolve();
      };
      this.wakers.add(waker);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** One read for the starting state, then each newer state the stream brings (or, after a fall-back, `blocking`). */
  private async *follow<T>(
    read: () => Promise<Versioned<T>>,
    fromStream: () => Versioned<T> | undefined,
    blocking: (source: StateSource, options: FollowOptions) => AsyncIterable<T>,
    options: FollowOptions,
  ): AsyncGenerator<T> {
    let delivered = options.after ?? -1;
    let snapshot: Versioned<T> | undefined;
    for (;;) {
      if (this.fallback) {
        yield* blocking(this.fallback, { ...options, after: delivered > 0 ? delivered : undefined });
        return;
      }
      snapshot ??= await read();
      const streamed = fromStream();
      const current = streamed && streamed.index > snapshot.index ? streamed : snapshot;
      if (current.index > delivered) {
        delivered = current.index;
        snapshot = current;
        yield current.value;
        continue;
      }
      await this.changed(options.signal);
    }
  }

  evaluation(id: string, options: FollowOptions): AsyncIterable<Evaluation> {
    const { client } = this.options;
    return this.follow(
      async () => {
        const { body } = await client.evaluations.read(id, {
          namespace: options.namespace,
          signal: options.signal,
        });
        return { value: body, index: body.ModifyIndex ?? 0 };
      },
      () => this.evaluations.get(id),
      (source, o) => source.evaluation(id, o),
      options,
    );
  }

  deployment(id: string, options: FollowOptions): AsyncIterable<Deployment> {
    const { client } = this.options;
    return this.follow(
      async () => {
        const { body } = await client.deployments.read(id, {
          namespace: options.namespace,
          signal: options.signal,
        });
        return { value: body, index: body.ModifyIndex };
      },
      () => this.deployments.get(id),
      (source, o) => source.deployment(id, o),
      options,
    );
  }

  async *jobAllocations(jobId: string, options: FollowOptions): AsyncIterable<AllocListStub[]> {
    const { client } = this.options;
    const byJob = key(options.namespace, jobId);
    let delivered = options.after ?? -1;
    for (;;) {
      if (this.fallback) {
        yield* this.fallback.jobAllocations(jobId, {
          ...options,
          after: delivered > 0 ? delivered : undefined,
        });
        return;
      }
      const { body, meta } = await client.jobs.allocations(jobId, {
        namespace: options.namespace,
        signal: options.signal,
      });
      if (meta.index > delivered) {
        delivered = meta.index;
        yield body;
      }
      while (!this.fallback && (this.allocationChanges.get(byJob) ?? 0) <= delivered)
        await this.changed(options.signal);
    }
  }

  latestDeployment(jobId: string, options: FollowOptions): AsyncIterable<Deployment | null> {
    const { client } = this.options;
    return this.follow(
      async () => {
        const { body, meta } = await client.jobs.latestDeployment(jobId, {
          namespace: options.namespace,
          signal: options.signal,
        });
        return { value: body, index: meta.index };
      },
      () => {
        let latest: Versioned<Deployment> | undefined;
        for (const entry of this.deployments.values())
          if (
            entry.value.JobID === jobId &&
            entry.value.Namespace === options.namespace &&
            (!latest || entry.value.CreateIndex > latest.value.CreateIndex)
          )
            latest = entry;
        return latest;
      },
      (source, o) => source.latestDeployment(jobId, o),
      options,
    );
  }
}

function key(namespace: string, jobId: string): string {
  return `${namespace}\u0000${jobId}`;
}

function newer<T>(map: Map<string, Versioned<T>>, id: string, value: T, index: number): void {
  if ((map.get(id)?.index ?? -1) < index) map.set(id, { value, index });
}
