import { CancelledError } from '../errors.js';

/** Bounded exponential backoff; each delay is jittered between half and all of its ceiling. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter. Default 250 ms. */
  readonly baseMs?: number;
  /** No single delay exceeds this. Default 5 s. */
  readonly maxMs?: number;
}

export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt. Default 4. */
  readonly retries?: number;
}

export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseMs ?? 250;
  const max = options.maxMs ?? 5000;
  const ceiling = Math.min(max, base * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Resolves after ms, or rejects with CancelledError as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
