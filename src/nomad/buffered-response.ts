/**
 * One request whose answer is read whole, through undici's dispatch handler rather than its `request` API: no
 * body stream, async iterator or AbortSignal.any per request. A plan asks Nomad two questions per job in a
 * process too short for V8 to optimise its code, and that machinery was a third of a plan's CPU per cluster
 * (docs/performance.md, "Several clusters").
 */
import type { Dispatcher } from 'undici';

export interface BufferedResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface BufferedRequest {
  readonly origin: string;
  readonly path: string;
  readonly method: Dispatcher.HttpMethod;
  readonly headers: Record<string, string>;
  readonly body?: Buffer | string;
  /** Aborts the request, whatever stage it is in (connecting, waiting, reading the body). */
  readonly signal?: AbortSignal;
  /** Aborts the request when this many ms have passed since it was sent; 0: never. */
  readonly timeoutMs: number;
}

/** Why a buffered request ended early; the caller translates it as it does undici's own errors. */
export class RequestTimedOut extends Error {}

export function requestBuffered(dispatcher: Dispatcher, request: BufferedRequest): Promise<BufferedResponse> {
  return new Promise((resolve, reject) => {
    const { signal, timeoutMs } = request;
    let abort: ((reason: Error) => void) | undefined;
    let early: Error | undefined;
    const stop = (reason: Error) => {
      early ??= reason;
      abort?.(reason);
    };
    const onAbort = () => stop(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
    const timer = timeoutMs > 0 ? setTimeout(() => stop(new RequestTimedOut()), timeoutMs) : undefined;
    let forget: (() => void) | undefined;
    const settle = () => {
      clearTimeout(timer);
      forget?.();
    };
    if (signal?.aborted) return (onAbort(), settle(), reject(early));
    if (signal) forget = whenAborted(signal, onAbort);

    let statusCode = 0;
    let headers: BufferedResponse['headers'] = {};
    const chunks: Buffer[] = [];
    dispatcher.dispatch(
      {
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
      },
      {
        onRequestStart(controller) {
          abort = (reason) => controller.abort(reason);
          if (early) controller.abort(early);
        },
        onResponseStart(_controller, status, responseHeaders) {
          statusCode = status;
          headers = responseHeaders as BufferedResponse['headers'];
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle();
          resolve({ statusCode, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
        },
        onResponseError(_controller, error) {
          settle();
          reject(early ?? error);
        },
      },
    );
  });
}

/** What each caller's signal stops, behind one listener of its own however many requests share it. */
const stoppedBy = new WeakMap<
  AbortSignal,
  { readonly listener: () => void; readonly stops: Set<() => void> }
>();

/**
 * Calls `stop` when `signal` aborts; the returned function forgets it. A plan's requests share one signal, and a
 * listener each would be dozens on it (Node warns of a leak past ten).
 */
function whenAborted(signal: AbortSignal, stop: () => void): () => void {
  let entry = stoppedBy.get(signal);
  if (!entry) {
    const stops = new Set<() => void>();
    const listener = () => {
      stoppedBy.delete(signal);
      for (const each of stops) each();
    };
    entry = { listener, stops };
    stoppedBy.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { listener, stops } = entry;
  stops.add(stop);
  return () => {
    stops.delete(stop);
    if (stops.size > 0 || stoppedBy.get(signal)?.stops !== stops) return;
    stoppedBy.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}
