import { CancelledError } from '../../errors.js';
import { silentLogger, type Logger } from '../../util/logger.js';
import { NomadConnectionError } from '../errors.js';
import { decodeLines } from '../frame-decoder.js';
import { backoffDelay, sleep } from '../retry.js';
import type { Transport } from '../transport.js';
import type { EventBatch } from '../types.js';

export interface EventStreamOptions {
  /** Topic → keys to match (job IDs, eval IDs…); an empty list or "*" matches every key of the topic. */
  readonly topics: Readonly<Record<string, readonly string[]>>;
  /** Deliver events after this raft index. Default 0 (what the server still buffers). */
  readonly index?: number;
  /** "*" for every namespace. */
  readonly namespace?: string;
  readonly signal?: AbortSignal;
  /** Reconnect after a dropped connection, from the last index seen. Default true. */
  readonly reconnect?: boolean;
  readonly logger?: Logger;
}

/** /v1/event/stream: newline-delimited JSON batches; {} heartbeats are dropped. */
export class EventsApi {
  constructor(private readonly transport: Transport) {}

  async *stream(options: EventStreamOptions): AsyncGenerator<EventBatch> {
    const logger = options.logger ?? silentLogger;
    const topic = Object.entries(options.topics).flatMap(([name, keys]) =>
      keys.length === 0 ? [`${name}:*`] : keys.map((key) => `${name}:${key}`),
    );
    let index = options.index ?? 0;
    for (let failures = 0; ;) {
      try {
        const response = await this.transport.stream({
          path: '/event/stream',
          query: { topic, index },
          namespace: options.namespace,
          signal: options.signal,
          retry: true,
        });
        try {
          for await (const batch of decodeLines<Partial<EventBatch>>(response.body)) {
            if (batch.Index === undefined || !batch.Events) continue;
            failures = 0;
            index = batch.Index + 1;
            yield batch as EventBatch;
          }
        } finally {
          response.body.destroy();
        }
        if (options.signal?.aborted) return;
      } catch (error) {
        if (options.signal?.aborted) throw new CancelledError();
        const dropped =
          error instanceof NomadConnectionError || (error as { code?: string }).code?.startsWith('UND_ERR');
        if (!dropped || options.reconnect === false || ++failures > 10) throw error;
        const delay = backoffDelay(failures - 1);
        logger.debug(`event stream dropped; reconnecting from index ${index} in ${delay}ms`);
        await sleep(delay, options.signal);
      }
    }
  }
}
