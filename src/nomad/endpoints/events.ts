import { CancelledError } from '../../errors.js';
import { silentLogger, type Logger } from '../../util/logger.js';
import {
  EventStreamUnavailableError,
  NomadApiError,
  NomadConnectionError,
  NotNomadError,
} from '../errors.js';
import { decodeLines } from '../frame-decoder.js';
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
  readonly logger?: Logger;
  /**
   * A healthy stream sends its first line (a {} heartbeat) as soon as it is subscribed; a refused one sends
   * nothing after its 200. Default 3 s.
   */
  readonly firstLineMs?: number;
  /** Nomad sends a heartbeat every 30 s; a stream silent for longer than this is taken as cut. Default 45 s. */
  readonly idleMs?: number;
}

/** A stream cut this many times within DROP_WINDOW_MS is given up. */
const MAX_DROPS = 3;
const DROP_WINDOW_MS = 60_000;

class Silence extends Error {}

const REFUSAL_CAUSES =
  'a token without read-job in the namespace, an agent with the event broker disabled, or a proxy that buffers streaming responses';

/**
 * /v1/event/stream: newline-delimited JSON batches; {} heartbeats are dropped. A cut stream reconnects from the
 * index after the last batch; a stream that cannot be had (refused, silent, cut too often) ends with
 * EventStreamUnavailableError.
 */
export class EventsApi {
  constructor(private readonly transport: Transport) {}

  async *stream(options: EventStreamOptions): AsyncGenerator<EventBatch> {
    const logger = options.logger ?? silentLogger;
    const firstLineMs = options.firstLineMs ?? 3000;
    const idleMs = options.idleMs ?? 45_000;
    const topic = Object.entries(options.topics).flatMap(([name, keys]) =>
      keys.length === 0 ? [`${name}:*`] : keys.map((key) => `${name}:${key}`),
    );
    let index = options.index ?? 0;
    const drops: number[] = [];
    for (;;) {
      const response = await this.connect(topic, index, options);
      let lines = 0;
      const watchdog = () =>
        setTimeout(() => response.body.destroy(new Silence()), lines === 0 ? firstLineMs : idleMs);
      let timer = watchdog();
      try {
        for await (const batch of decodeLines<Partial<EventBatch>>(response.body)) {
          lines++;
          clearTimeout(timer);
          timer = watchdog();
          if (batch.Index === undefined || !batch.Events) continue;
          index = batch.Index + 1;
          yield batch as EventBatch;
        }
      } catch (error) {
        if (options.signal?.aborted) throw new CancelledError();
        if (lines === 0)
          throw new EventStreamUnavailableError(
            error instanceof Silence
              ? `Nomad sent nothing within ${firstLineMs / 1000}s of accepting it (${REFUSAL_CAUSES})`
              : `it failed before its first line: ${(error as Error).message}`,
          );
      } finally {
        clearTimeout(timer);
        response.body.destroy();
      }
      if (options.signal?.aborted) return;
      if (lines === 0)
        throw new EventStreamUnavailableError(`Nomad closed it without sending anything (${REFUSAL_CAUSES})`);
      const now = Date.now();
      drops.push(now);
      while (drops[0]! < now - DROP_WINDOW_MS) drops.shift();
      if (drops.length > MAX_DROPS)
        throw new EventStreamUnavailableError(
          `it was cut ${drops.length} times within ${DROP_WINDOW_MS / 1000}s (a proxy that ends streaming responses?)`,
        );
      logger.debug(`event stream cut; reconnecting from index ${index}`);
    }
  }

  private async connect(topic: string[], index: number, options: EventStreamOptions) {
    try {
      return await this.transport.stream({
        path: '/event/stream',
        query: { topic, index },
        namespace: options.namespace,
        signal: options.signal,
        retry: true,
      });
    } catch (error) {
      if (options.signal?.aborted) throw new CancelledError();
      if (error instanceof NomadApiError)
        throw new EventStreamUnavailableError(`Nomad answered ${error.status}: ${error.body.trim()}`);
      if (error instanceof NomadConnectionError || error instanceof NotNomadError)
        throw new EventStreamUnavailableError(error.message);
      throw error;
    }
  }
}
