import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip as gunzipCallback } from 'node:zlib';
import { Agent, type Dispatcher } from 'undici';
import { CancelledError, UserError } from '../errors.js';
import { formatDuration } from '../util/duration.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { likelyCapability } from './capabilities.js';
import {
  NomadApiError,
  NomadConnectionError,
  NomadEnforceIndexError,
  NomadEnforceVersionError,
  ENFORCE_VERSION,
  NomadNotFoundError,
  NomadPermissionError,
  NomadServerError,
  NomadValidationError,
  NotNomadError,
  type RequestContext,
} from './errors.js';
import { backoffDelay, sleep, type RetryOptions } from './retry.js';
import { requestBuffered, RequestTimedOut, type BufferedResponse } from './buffered-response.js';

export interface TlsOptions {
  /** PEM file with the CA that signed Nomad's certificate. */
  readonly caCert?: string;
  /** A directory of PEM CA files. */
  readonly caPath?: string;
  readonly clientCert?: string;
  readonly clientKey?: string;
  /** The name to verify the certificate against (Nomad's usually name only server.<region>.nomad). */
  readonly serverName?: string;
  /** Turns verification off. Default false. */
  readonly skipVerify?: boolean;
}

export interface TransportOptions {
  /** http://host:port, https://host:port or unix:///path/to.sock. */
  readonly address: string;
  /** Named in connection errors: "--address", "NOMAD_ADDR", "default". Default "address". */
  readonly addressSource?: string;
  readonly token?: string;
  /** Named in 403 hints (never the token itself). */
  readonly tokenSource?: string;
  /** Added as ?namespace= to namespaced requests unless a request says otherwise. */
  readonly namespace?: string;
  readonly region?: string;
  readonly tls?: TlsOptions;
  /** Per-request timeout for ordinary requests. Default 60 s. Blocking queries get wait + wait/16 + this. */
  readonly timeoutMs?: number;
  /** Retries of GETs that failed to connect or met "No cluster leader". */
  readonly retry?: RetryOptions;
  /** Ask Nomad for gzip. Default: for every address but this machine's own (loopback, unix socket). */
  readonly compression?: boolean;
  /**
   * Sockets per origin. Default 64: one per job of the default --parallelism (a blocking query each), and under
   * Nomad's limits.http_max_conns_per_client (100 per client address by default; past it Nomad answers 429).
   */
  readonly connections?: number;
  /** Sockets this client shares with the other clients of the same Nomad (see SharedConnections). */
  readonly shared?: SharedConnections;
  readonly logger?: Logger;
}

/**
 * The sockets of the clients of one Nomad address (one client per federated region, all through that address):
 * shared, they count together against `connections` and Nomad's limit per client address, where a pool each
 * would open up to `connections` per region. Closed when the last of its clients is. Its pool is kept in `pools`,
 * so that this declaration, part of the library's types, names no undici type.
 */
export class SharedConnections {}

const pools = new WeakMap<SharedConnections, { readonly dispatcher: Agent; users: number }>();

export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface RequestOptions {
  readonly method?: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path below /v1, e.g. "/job/web". */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** JSON body. */
  readonly body?: unknown;
  /** Raw body (dispatch payloads). */
  readonly rawBody?: Buffer;
  /** A namespace for this request; null sends none (cluster-wide endpoints). Default: the transport's. */
  readonly namespace?: string | null;
  /** Read from any server, not only the leader. */
  readonly stale?: boolean;
  readonly signal?: AbortSignal;
  /** Overrides the transport's timeout, which bounds the request with its retries. 0 = none (streams). */
  readonly timeoutMs?: number;
  /** Retry this request on connection failures and "No cluster leader". Default: GETs only. */
  readonly retry?: boolean;
}

/** One attempt of a request: its share of the timeout, and the whole timeout that errors name. */
type AttemptOptions = RequestOptions & { readonly budgetMs: number };

/** Nomad's query metadata, from the X-Nomad-* response headers. */
export interface ResponseMeta {
  readonly status: number;
  /** X-Nomad-Index; 0 when absent. */
  readonly index: number;
  readonly knownLeader: boolean;
  /** X-Nomad-LastContact, in milliseconds. */
  readonly lastContactMs: number;
  /** X-Nomad-NextToken, on paginated reads with more to come. */
  readonly nextToken?: string;
}

export interface ApiResponse<T> {
  readonly body: T;
  readonly meta: ResponseMeta;
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|UNABLE_TO_VERIFY)/;

/** An address as it may be printed: `http://user:secret@host:4646` → `http://host:4646`. */
export function withoutCredentials(address: string): string {
  return address.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?)[^/?#@]*@/i, '$1');
}

/** What is wrong with an address that is not an http(s) URL, in words about the address itself. */
function addressProblem(shown: string): { problem: string; hint: string } {
  const example = 'For example http://127.0.0.1:4646 or https://nomad.example.com:4646.';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(shown)?.[1]?.toLowerCase();
  if (!scheme)
    return {
      problem: 'has no scheme: it must start with http://, https:// or unix://',
      hint: `Did you mean http://${shown}? ${example}`,
    };
  if (scheme !== 'http' && scheme !== 'https')
    return { problem: `must start with http://, https:// or unix://, not ${scheme}://`, hint: example };
  const port = /^[a-z]+:\/\/(?:\[[^\]]*\]|[^:/?#]*):(\d+)(?:[/?#]|$)/i.exec(shown)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    return {
      problem: `has port ${port}, which no server can listen on (ports go from 1 to 65535)`,
      hint: example,
    };
  if (/^[a-z]+:\/\/\[/i.test(shown) && !/^[a-z]+:\/\/\[[^\]]*\]/i.test(shown))
    return {
      problem: 'opens an IPv6 address with [ that it never closes',
      hint: 'For example http://[::1]:4646.',
    };
  return { problem: 'is not a URL drover can read (a host, and a port from 1 to 65535)', hint: example };
}

export class Transport {
  readonly address: string;
  readonly namespace: string | undefined;
  private readonly origin: string;
  private readonly dispatcher: Agent;
  private readonly shared: SharedConnections;
  private closed = false;
  private readonly options: TransportOptions;
  private readonly logger: Logger;

  /** Basic auth from credentials in the address (as the Nomad CLI sends them); the address never shows them. */
  private readonly basicAuth: string | undefined;
  /** Ask for gzip: only where the bytes saved outweigh inflating them (docs/reaching-nomad.md, "Compression"). */
  private readonly compressed: boolean;

  constructor(options: TransportOptions) {
    this.options = options;
    this.address = withoutCredentials(options.address);
    this.namespace = options.namespace;
    this.logger = options.logger ?? silentLogger;
    const connect: Record<string, unknown> = {};
    if (options.address.startsWith('unix://')) {
      connect.socketPath = options.address.slice('unix://'.length);
      this.origin = 'http://127.0.0.1';
      this.compressed = false;
    } else {
      const url = URL.canParse(options.address) ? new URL(options.address) : undefined;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        const { problem, hint } = addressProblem(this.address);
        throw new UserError(`the Nomad address "${this.address}" (from ${this.addressSource}) ${problem}`, {
          code: 'bad_address',
          hint,
        });
      }
      this.origin = url.origin;
      this.compressed = options.compression ?? !isLoopback(url.hostname);
      if (url.username || url.password)
        this.basicAuth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      if (url.protocol === 'https:') Object.assign(connect, tlsConnectOptions(options.tls ?? {}));
    }
    this.shared = options.shared ?? new SharedConnections();
    const pool = pools.get(this.shared) ?? {
      // drover enforces its own timeouts (a blocking query legitimately sends nothing for minutes).
      dispatcher: new Agent({
        connect,
        connections: options.connections ?? 64,
        headersTimeout: 0,
        bodyTimeout: 0,
        keepAliveTimeout: 4000,
      }),
      users: 0,
    };
    pool.users++;
    pools.set(this.shared, pool);
    this.dispatcher = pool.dispatcher;
  }

  private get addressSource(): string {
    return this.options.addressSource ?? 'address';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pool = pools.get(this.shared)!;
    if (--pool.users > 0) return;
    pools.delete(this.shared);
    await this.dispatcher.close();
  }

  /** A JSON request; the body is parsed (a literal `null` stays null). */
  async json<T>(options: RequestOptions): Promise<ApiResponse<T>> {
    return this.withRetry(options, async (attempt) => {
      const { meta, body } = await this.send(attempt);
      const text = body.toString('utf8');
      try {
        return { meta, body: (text === '' ? null : JSON.parse(text)) as T };
      } catch {
        throw new NotNomadError(
          `HTTP ${meta.status} with ${/^\s*</.test(text) ? 'an HTML page' : 'something that is not JSON'}`,
          {
            method: options.method ?? 'GET',
            path: shownPath(`/v1${options.path}`),
            address: this.address,
            addressSource: this.addressSource,
          },
        );
      }
    });
  }

  /** A request whose body is bytes (fs cat, readat) or empty. */
  async bytes(options: RequestOptions): Promise<ApiResponse<Buffer>> {
    return this.withRetry(options, (attempt) => this.send(attempt));
  }

  /** A streaming response (logs, fs stream, events): the caller reads, and destroys the stream to stop. */
  async stream(options: RequestOptions): Promise<ApiResponse<Readable>> {
    return this.withRetry({ ...options, timeoutMs: options.timeoutMs ?? 0 }, (attempt) =>
      this.send(attempt, true),
    );
  }

  /**
   * Tries again on transient failures, within the request's timeout: the timeout bounds the request with all its
   * attempts (each attempt gets what is left), so a Nomad that never answers fails once, in the time it names. A
   * blocking query is the exception: each attempt asks Nomad to wait the whole `wait` again, and gets the time for it.
   */
  private async withRetry<T>(
    options: RequestOptions,
    attempt: (options: AttemptOptions) => Promise<T>,
  ): Promise<T> {
    const retryable = options.retry ?? (options.method ?? 'GET') === 'GET';
    const retries = retryable ? (this.options.retry?.retries ?? 4) : 0;
    const budgetMs = options.timeoutMs ?? this.timeoutFor(options.query);
    const shared = budgetMs > 0 && !isBlocking(options.query);
    const deadline = shared ? performance.now() + budgetMs : Infinity;
    for (let n = 0; ; n++) {
      const left = Math.max(1, Math.round(deadline - performance.now()));
      try {
        return await attempt({ ...options, timeoutMs: shared ? left : budgetMs, budgetMs });
      } catch (error) {
        if (n >= retries || !isTransient(error)) throw error;
        const delay = backoffDelay(n, this.options.retry);
        if (performance.now() + delay >= deadline) throw error;
        this.logger.debug(
          `retrying ${options.method ?? 'GET'} /v1${options.path} in ${delay}ms: ${(error as Error).message}`,
        );
        await sleep(delay, options.signal);
      }
    }
  }

  /** Sends one request. Unless streaming, the body is read in full before this resolves (under the timeout). */
  private async send(options: AttemptOptions): Promise<ApiResponse<Buffer>>;
  private async send(options: AttemptOptions, streaming: true): Promise<ApiResponse<Readable>>;
  private async send(options: AttemptOptions, streaming = false): Promise<ApiResponse<Buffer | Readable>> {
    const method = options.method ?? 'GET';
    const namespace = options.namespace === null ? undefined : (options.namespace ?? this.namespace);
    const path = `/v1${options.path}${queryString({
      ...options.query,
      namespace,
      region: this.options.region,
      stale: options.stale ? '' : undefined,
    })}`;
    const context: RequestContext = {
      method,
      path: shownPath(`/v1${options.path}`),
      address: this.address,
      addressSource: this.addressSource,
      namespace,
    };
    const headers: Record<string, string> = this.compressed ? { 'accept-encoding': 'gzip' } : {};
    if (this.options.token) headers['x-nomad-token'] = this.options.token;
    if (this.basicAuth) headers.authorization = this.basicAuth;
    let body: Buffer | string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }

    const timeoutMs = options.timeoutMs ?? this.timeoutFor(options.query);
    const noAnswer = `no answer within ${formatDuration(options.budgetMs)}`;
    const request = { origin: this.origin, path, method, headers, body };
    const started = performance.now();
    const failed = (error: unknown, timedOut: boolean): Error => {
      if (options.signal?.aborted) return new CancelledError();
      const translated = timedOut
        ? new NomadConnectionError('timeout', noAnswer, context)
        : translateConnectionError(error, context, this.options.tls);
      this.trace(method, path, 'failed', started, undefined, translated.message);
      return translated;
    };
    if (streaming) {
      const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
      const signals = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      let response: Dispatcher.ResponseData;
      try {
        response = await this.dispatcher.request({ ...request, signal });
      } catch (error) {
        throw failed(error, timeout?.aborted === true);
      }
      let stream: Readable = response.body;
      if (isGzip(response)) {
        stream = response.body.pipe(createGunzip());
        response.body.on('error', (error) => stream.destroy(error));
      }
      const meta = readMeta(response);
      this.trace(method, path, String(response.statusCode), started, meta.index);
      if (response.statusCode < 400) return { meta, body: stream };
      const text = await readAll(stream).catch(() => Buffer.alloc(0));
      throw this.answerError(
        { statusCode: response.statusCode, headers: response.headers, body: text },
        context,
      );
    }
    let response: BufferedResponse;
    try {
      response = await requestBuffered(this.dispatcher, { ...request, signal: options.signal, timeoutMs });
      if (isGzip(response)) response = { ...response, body: await gunzip(response.body) };
    } catch (error) {
      throw failed(error, error instanceof RequestTimedOut);
    }
    const meta = readMeta(response);
    this.trace(method, path, String(response.statusCode), started, meta.index);
    if (response.statusCode >= 400) throw this.answerError(response, context);
    return { meta, body: response.body };
  }

  /** The error a 4xx or 5xx answer means. */
  private answerError(response: BufferedResponse, context: RequestContext): Error {
    const text = response.body.toString('utf8');
    const foreign = notNomad(response.statusCode, header(response, 'content-type'), text);
    if (foreign) return new NotNomadError(foreign, context);
    const error = this.apiError(response.statusCode, text, context);
    error.index = readMeta(response).index;
    return error;
  }

  private timeoutFor(query: RequestOptions['query']): number {
    const base = this.options.timeoutMs ?? 60_000;
    const wait = isBlocking(query) ? parseWaitMs(query!.wait) : 0;
    return wait > 0 ? wait + Math.ceil(wait / 16) + base : base;
  }

  private trace(
    method: string,
    path: string,
    status: string,
    started: number,
    index?: number,
    error?: string,
  ) {
    if (!this.logger.enabled('debug')) return;
    const ms = Math.round(performance.now() - started);
    const indexPart = index === undefined ? '' : ` X-Nomad-Index=${index}`;
    this.logger.debug(
      `${method} ${shownPath(path)} ${status} ${ms}ms${indexPart}${error ? ` (${error})` : ''}`,
    );
  }

  private apiError(status: number, body: string, context: RequestContext): NomadApiError {
    if (status === 400) return new NomadValidationError(body, context);
    if (status === 403)
      return new NomadPermissionError(
        body,
        context,
        likelyCapability(context.method, context.path.slice(3)),
        this.options.token ? (this.options.tokenSource ?? "the client's settings") : undefined,
      );
    if (status === 404) return new NomadNotFoundError(body, context);
    if (status >= 500 && /Enforcing job modify index/.test(body))
      return new NomadEnforceIndexError(body, context);
    if (status >= 500 && ENFORCE_VERSION.test(body)) return new NomadEnforceVersionError(body, context);
    if (status >= 500) return new NomadServerError(status, body, context);
    return new NomadApiError(status, body, context);
  }
}

/** A path as messages and logs show it: a huge job ID would otherwise print megabytes. */
function shownPath(path: string): string {
  return path.length <= 300
    ? path
    : `${path.slice(0, 200)}…(${path.length.toLocaleString('en-US')} characters)`;
}

/** A blocking query: it names an index to wait past, and Nomad holds it up to its `wait`. */
const isBlocking = (query: RequestOptions['query']) => query?.index !== undefined && query.index !== 0;

/** Go duration ("5s", "300ms", "5m") to ms, for the timeouts of blocking queries. */
export function parseWaitMs(wait: QueryValue): number {
  if (typeof wait !== 'string') return 300_000;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(wait);
  if (!match) return 300_000;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.min(300_000, Number(match[1]) * unit);
}

function isTransient(error: unknown): boolean {
  if (error instanceof NomadConnectionError) return error.kind !== 'tls' && error.kind !== 'unresolved';
  // 429: more connections from this address than the agent's limits.http_max_conns_per_client (default 100).
  if (error instanceof NomadApiError && error.status === 429) return true;
  return error instanceof NomadServerError && error.noLeader;
}

function queryString(query: Readonly<Record<string, QueryValue>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString().replace(/=(&|$)/g, '$1');
  return text === '' ? '' : `?${text.replace(/%2A/g, '*')}`;
}

const gunzip = promisify(gunzipCallback);

const isGzip = (response: Pick<BufferedResponse, 'headers'>) =>
  String(header(response, 'content-encoding') ?? '').toLowerCase() === 'gzip';

function header(response: Pick<BufferedResponse, 'headers'>, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Why an error answer cannot have come from Nomad's HTTP API: Nomad's errors are plain text, and its router
 * answers an unknown path with an empty 404, where a missing object has a message ("job not found").
 */
function notNomad(status: number, contentType: string | undefined, body: string): string | undefined {
  if (/html/i.test(contentType ?? '') || /^\s*</.test(body)) return `HTTP ${status} with an HTML page`;
  if (status === 404 && body.trim() === '') return 'HTTP 404 with an empty body: no such API path';
  return undefined;
}

function readMeta(response: Pick<BufferedResponse, 'statusCode' | 'headers'>): ResponseMeta {
  const nextToken = header(response, 'x-nomad-nexttoken');
  return {
    status: response.statusCode,
    index: Number(header(response, 'x-nomad-index') ?? 0) || 0,
    knownLeader: header(response, 'x-nomad-knownleader') === 'true',
    lastContactMs: Number(header(response, 'x-nomad-lastcontact') ?? 0) || 0,
    ...(nextToken ? { nextToken } : {}),
  };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function tlsConnectOptions(tls: TlsOptions): Record<string, unknown> {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new UserError(`cannot read the ${what} ${file}: ${(error as Error).message}`, {
        code: 'tls_file',
        hint: 'Check NOMAD_CACERT / NOMAD_CAPATH / NOMAD_CLIENT_CERT / NOMAD_CLIENT_KEY and the matching flags.',
      });
    }
  };
  const ca: Buffer[] = [];
  if (tls.caCert) ca.push(read(tls.caCert, 'CA certificate'));
  if (tls.caPath) {
    for (const name of readdirSync(tls.caPath)
      .filter((n) => /\.(pem|crt|cer)$/.test(n))
      .sort())
      ca.push(read(join(tls.caPath, name), 'CA certificate'));
  }
  return {
    ...(ca.length > 0 ? { ca } : {}),
    ...(tls.clientCert ? { cert: read(tls.clientCert, 'client certificate') } : {}),
    ...(tls.clientKey ? { key: read(tls.clientKey, 'client key') } : {}),
    ...(tls.serverName ? { servername: tls.serverName } : {}),
    rejectUnauthorized: !tls.skipVerify,
  };
}

function translateConnectionError(
  error: unknown,
  context: RequestContext,
  tls?: TlsOptions,
): NomadConnectionError {
  const code = String((error as { code?: unknown }).code ?? '');
  const detail = (error as Error).message ?? String(error);
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long/.test(detail))
    return new NomadConnectionError(
      'tls',
      'the server does not speak TLS',
      context,
      `It answers plain HTTP: use http:// instead of https:// in ${context.addressSource}, or enable TLS on Nomad.`,
    );
  if (TLS_CODES.test(code) || /certificate|SSL|TLS/i.test(detail)) {
    const hint =
      code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? "The certificate does not name this host. Nomad's certificates usually name server.<region>.nomad: set NOMAD_TLS_SERVER_NAME (or --tls-server-name)."
        : "Give the CA that signed Nomad's certificate with NOMAD_CACERT (or --ca-cert); only as a last resort, NOMAD_SKIP_VERIFY=true.";
    return new NomadConnectionError('tls', `${code || 'TLS'}: ${detail}`, context, hint);
  }
  if (code === 'ECONNREFUSED' || code === 'ENOENT') return new NomadConnectionError('refused', '', context);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new NomadConnectionError('unresolved', detail, context);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT')
    return new NomadConnectionError('timeout', detail, context);
  const hint =
    tls?.caCert && !tls.clientCert && /other side closed/.test(detail)
      ? 'The server closed the TLS connection: it probably requires a client certificate (NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY).'
      : undefined;
  return new NomadConnectionError('reset', detail, context, hint);
}

/** This machine itself, where compressing costs two CPUs their time and saves no network. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}
