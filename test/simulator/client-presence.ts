/**
 * What the server knows of a request's client: its body, and whether it went away before its answer (which ends
 * a blocking query, a stream or a latency wait early).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request body; fails when the client goes away before sending all of it. */
export function collect(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => req.complete || reject(new Error('the client went away mid-request')));
  });
}

/**
 * The signal of a client that goes away before its answer, made on first use: most requests never wait, and an
 * AbortController each is a measurable part of a short request's cost.
 */
export function abortWhenClientGoes(res: ServerResponse): () => AbortSignal {
  let gone = false;
  let controller: AbortController | undefined;
  res.once('close', () => {
    if (res.writableFinished) return;
    gone = true;
    controller?.abort();
  });
  return () => {
    if (!controller) {
      controller = new AbortController();
      if (gone) controller.abort();
    }
    return controller.signal;
  };
}

/** Fault "latency": the request waits, unless its client goes away first. */
export function waitUnlessClientGoes(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}
