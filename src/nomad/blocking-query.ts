import { CancelledError } from '../errors.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { NomadConnectionError, NomadServerError } from './errors.js';
import { backoffDelay, sleep, type BackoffOptions } from './retry.js';
import { parseWaitMs, type ApiResponse } from './transport.js';

/** What a read method is given by the blocking-query loop. */
export interface BlockingParams {
  readonly index: number;
  readonly wait: string;
  readonly signal?: AbortSignal;
}

export interface BlockingQueryOptions {
  /** How long the server may hold each request (Go duration). Nomad caps it at 5m. Default "5m". */
  readonly wait?: string;
  /** Start from this index instead of reading the current state first. */
  readonly startIndex?: number;
  readonly signal?: AbortSignal;
  /** Backoff after errors and after answers that came back at once with nothing new. */
  readonly backoff?: BackoffOptions;
  /** Give up after this many failures in a row. Default 10. */
  readonly maxConsecutiveFailures?: number;
  readonly logger?: Logger;
}

export interface Snapshot<T> {
  readonly value: T;
  readonly index: number;
}

/**
 * The one loop every watcher uses: Nomad blocking queries (index + wait). Each next() resolves with the first
 * state newer than the last one delivered. It remembers X-Nomad-Index, starts over when the index goes backwards
 * (a restored snapshot or another server), backs off instead of spinning when a server or proxy answers at once
 * with nothing new, resumes from the last index after a dropped connection or "No cluster leader", and stops
 * promptly on abort.
 */
export class BlockingQuery<T> implements AsyncIterable<Snapshot<T>> {
  private lastIndex: number;
  private delivered: boolean;
  private readonly wait: string;
  private readonly waitMs: number;
  private readonly logger: Logger;

  constructor(
    private readonly fetch: (params: BlockingParams) => Promise<ApiResponse<T>>,
    private readonly options: BlockingQueryOptions = {},
  ) {
    this.lastIndex = options.startIndex ?? 0;
    this.delivered = this.lastIndex > 0;
    this.wait = options.wait ?? '5m';
    this.waitMs = parseWaitMs(this.wait);
    this.logger = options.logger ?? silentLogger;
  }

  /** The X-Nomad-Index of the last state delivered. */
  get index(): number {
    return this.lastIndex;
  }

  async next(): Promise<Snapshot<T>> {
    const { signal } = this.options;
    let failures = 0;
    let earlyAnswers = 0;
    for (;;) {
      if (signal?.aborted) throw new CancelledError();
      const started = performance.now();
      let response: ApiResponse<T>;
      try {
        response = await this.fetch({ index: this.delivered ? this.lastIndex : 0, wait: this.wait, signal });
      } catch (error) {
        if (signal?.aborted || error instanceof CancelledError) throw new CancelledError();
        if (!isResumable(error) || ++failures >= (this.options.maxConsecutiveFailures ?? 10)) throw error;
        const delay = backoffDelay(failures - 1, this.options.backoff);
        this.logger.debug(
          `blocking query resumes from index ${this.lastIndex} in ${delay}ms: ${(error as Error).message}`,
        );
        await sleep(delay, signal);
        continue;
      }
      failures = 0;
      // An index of 0 would turn every following request into a non-blocking one.
      const index = Math.max(response.meta.index, 1);
      if (!this.delivered || index > this.lastIndex || index < this.lastIndex) {
        if (this.delivered && index < this.lastIndex)
          this.logger.debug(`X-Nomad-Index went back from ${this.lastIndex} to ${index}; starting over`);
        this.lastIndex = index;
        this.delivered = true;
        return { value: response.body, index };
      }
      // Same index: the wait ran out (normal), or the server did not block at all (guard against spinning).
      const elapsed = performance.now() - started;
      if (elapsed < Math.min(this.waitMs / 2, 1000)) {
        const delay = backoffDelay(earlyAnswers++, this.options.backoff ?? { baseMs: 1000, maxMs: 30_000 });
        this.logger.debug(
          `the server answered a blocking query at once with index ${index}; waiting ${delay}ms`,
        );
        await sleep(delay, signal);
      }
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Snapshot<T>> {
    for (;;) yield await this.next();
  }
}

function isResumable(error: unknown): boolean {
  if (error instanceof NomadConnectionError) return error.kind !== 'tls' && error.kind !== 'unresolved';
  return error instanceof NomadServerError && (error.noLeader || error.status >= 502);
}
