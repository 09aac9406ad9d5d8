/** The simulator's HTTP conventions (reference §1.3–1.8, §2): parameters, error bodies, blocking reads, gzip. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { RpcError } from './context.js';
import type { Store } from './store.js';

export interface SimRequest {
  readonly method: string;
  /** Below /v1, still URL-encoded (job IDs may contain %2F). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  readonly secret: string | undefined;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
}

export interface ReadResult {
  readonly body: unknown;
  readonly index: number;
  /** Watch keys that wake this query (see Store.write). */
  readonly watch: readonly string[];
  readonly status?: number;
  /** For a 404 read: the plain-text body, with the index header still set (Nomad sets it first). */
  readonly errorText?: string;
  /** X-Nomad-NextToken for paginated lists. */
  readonly nextToken?: string;
}

export type Reply =
  | { kind: 'json'; body: unknown; status?: number; index?: number }
  | { kind: 'read'; run: () => ReadResult }
  | { kind: 'raw'; body: Buffer; contentType: string }
  | { kind: 'empty' }
  /**
   * Status, body and content type exactly as given; X-Nomad-Index only when index is set. `sniffed`: Nomad wrote
   * the status before the body, so the Content-Type is Go's guess at the first write, which gorilla's gzip writer
   * never makes: a client that accepts gzip gets none.
   */
  | {
      kind: 'answer';
      status: number;
      body: string;
      contentType: string;
      index?: number;
      sniffed?: boolean;
    }
  | { kind: 'stream'; start: (res: ServerResponse, signal: AbortSignal) => void };

export const json = (body: unknown, index?: number): Reply => ({ kind: 'json', body, index });
export const read = (run: () => ReadResult): Reply => ({ kind: 'read', run });

/** A value with every object's keys in sorted order, as Nomad 2.0.5 writes most of its structs. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, sortKeys(inner)]),
  ) as T;
}

/** Go's strconv.ParseBool. */
export function parseBool(value: string | null, name: string, fallback = false): boolean {
  if (value === null) return fallback;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new RpcError(
    400,
    `Failed to parse value of "${name}" (${value}) as a bool: strconv.ParseBool: parsing "${value}": invalid syntax`,
  );
}

/** The request body as Nomad's Go decoder sees it: empty → 400, malformed → 400 with the decoder's text. */
export function jsonBody<T>(req: SimRequest, { allowEmpty = false } = {}): T {
  if (req.body.length === 0) {
    if (allowEmpty) return {} as T;
    throw new RpcError(400, 'Request body is empty');
  }
  try {
    return JSON.parse(req.body.toString('utf8')) as T;
  } catch (error) {
    throw new RpcError(400, `invalid character in request body: ${(error as Error).message}`);
  }
}

/** Body keys are matched case-insensitively by Go's encoding/json. */
export function field<T>(body: Record<string, unknown>, name: string): T | undefined {
  const key = Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (body[key] as T);
}

/** Go's time.ParseDuration for the `wait` parameter. */
export function parseGoDurationMs(text: string): number | undefined {
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === text.length && text.length > 0 ? total : undefined;
}

const MAX_BLOCKING_MS = 300_000;

/** Runs a read as a blocking query when ?index is given: re-run on every change it watches until it passes. */
export async function blockingRead(
  store: Store,
  req: SimRequest,
  run: () => ReadResult,
): Promise<ReadResult> {
  const indexParam = req.query.get('index');
  const minIndex = indexParam === null ? 0 : Number(indexParam);
  if (!Number.isInteger(minIndex) || minIndex < 0) throw new RpcError(400, 'Invalid index');
  const waitParam = req.query.get('wait');
  let waitMs = MAX_BLOCKING_MS;
  if (waitParam !== null) {
    const parsed = parseGoDurationMs(waitParam);
    if (parsed === undefined) throw new RpcError(400, 'Invalid wait time');
    waitMs = Math.min(parsed, MAX_BLOCKING_MS);
  }
  let result = run();
  if (minIndex === 0) return result;
  // Nomad adds up to wait/16 of random jitter so that many watchers do not return together.
  const deadline = Date.now() + waitMs + Math.random() * (waitMs / 16);
  while (result.index <= minIndex && Date.now() < deadline && !req.signal.aborted) {
    await store.waitForChange(result.watch, deadline - Date.now(), req.signal);
    result = run();
  }
  return result;
}

export function writeJson(
  res: ServerResponse,
  req: SimRequest,
  status: number,
  body: unknown,
  index?: number,
): void {
  const pretty = req.query.has('pretty') && req.query.get('pretty') !== '0';
  const text = pretty ? `${JSON.stringify(body, null, 4)}\n` : JSON.stringify(body);
  if (index !== undefined) setIndexHeaders(res, index);
  send(res, req, status, 'application/json', Buffer.from(text));
}

export function writeText(res: ServerResponse, req: SimRequest, status: number, text: string): void {
  send(res, req, status, 'text/plain; charset=utf-8', Buffer.from(text));
}

export function setIndexHeaders(res: ServerResponse, index: number): void {
  res.setHeader('X-Nomad-Index', String(index));
  res.setHeader('X-Nomad-KnownLeader', 'true');
  res.setHeader('X-Nomad-LastContact', '0');
}

/** gorilla's CompressHandler wraps Nomad's whole mux: gzip whenever the client accepts it. */
export const acceptsGzip = (req: SimRequest) => /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));

export function send(
  res: ServerResponse,
  req: SimRequest,
  status: number,
  contentType: string,
  body: Buffer,
): void {
  const gzip = acceptsGzip(req) && body.length > 0;
  const payload = gzip ? gzipSync(body) : body;
  res.statusCode = status;
  if (contentType !== '' && (body.length > 0 || status !== 200)) res.setHeader('Content-Type', contentType);
  res.setHeader('Vary', 'Accept-Encoding');
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', String(payload.length));
  res.end(payload);
}
