/**
 * The Nomad API simulator: an HTTP server on 127.0.0.1 (or a unix socket) that answers like a Nomad server with
 * clients. Tests start it in-process with a manual clock; e2e tests and the demo run main.ts with a realtime clock.
 * test/simulator/README.md says what it models and what it does not.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Acl, type Token, type TokenSpec } from './acl.js';
import { SimClock, type ClockOptions } from './clock.js';
import { RpcError, type SimContext } from './context.js';
import { abortWhenClientGoes, collect, waitUnlessClientGoes } from './client-presence.js';
import { Faults, type FaultRule } from './faults.js';
import {
  acceptsGzip,
  blockingRead,
  parseBool,
  send,
  setIndexHeaders,
  writeJson,
  writeText,
  type Reply,
  type SimRequest,
} from './http.js';
import { deriveJobStatus } from './job-operations.js';
import { LogFiles } from './log-files.js';
import { routeClient } from './routes-client.js';
import { Variables } from './variables.js';
import { routeCluster } from './routes-cluster.js';
import { routeAcl } from './routes-acl.js';
import { routeNamespaces } from './namespaces.js';
import { routeNodePools } from './node-pools.js';
import { routeJobs, type RouteDeps } from './routes-jobs.js';
import { Scheduler } from './scheduler.js';
import { DEFAULT_TIMINGS, type FailureScript, type Timings } from './scripts.js';
import { Store, namespaceRecord } from './store.js';

export interface SimulatorOptions {
  readonly clock?: ClockOptions;
  readonly timings?: Partial<Timings>;
  /** Client nodes (system jobs get one allocation each). Default 3. */
  readonly nodes?: number;
  readonly region?: string;
  readonly datacenter?: string;
  readonly heartbeats?: { readonly eventsMs?: number; readonly framesMs?: number };
  /** The server's `enable_event_broker`. Default true. */
  readonly eventBroker?: boolean;
  readonly host?: string;
  readonly port?: number;
  /** Listen on a unix socket instead of TCP. */
  readonly socketPath?: string;
}

export class Simulator {
  readonly ctx: SimContext;
  readonly acl: Acl;
  readonly faults = new Faults();
  readonly scheduler: Scheduler;
  readonly variables: Variables;
  /** Requests received, by "METHOD /v1/path" (without the query): for tests and benchmarks that count. */
  readonly requests: string[] = [];
  private readonly deps: RouteDeps;
  private server: Server | undefined;
  private listenAddress = '';

  private constructor(options: SimulatorOptions) {
    const store = new Store();
    const clock = new SimClock(options.clock);
    const ctx: SimContext = {
      store,
      clock,
      logs: new LogFiles(),
      region: options.region ?? 'global',
      datacenter: options.datacenter ?? 'dc1',
      timings: { ...DEFAULT_TIMINGS, ...options.timings },
      scripts: new Map(),
      enqueueEval: () => {},
      stopOnClients: () => {},
    };
    this.ctx = ctx;
    this.acl = new Acl(store);
    this.scheduler = new Scheduler(ctx);
    this.variables = new Variables(ctx);
    ctx.enqueueEval = (id) => this.scheduler.enqueue(id);
    ctx.stopOnClients = (allocs) => {
      for (const alloc of allocs) this.scheduler.client.forget(alloc);
    };
    store.derive = (index, write) => deriveJobStatus(ctx, index, write);
    for (let i = 1; i <= (options.nodes ?? 3); i++)
      store.nodes.push({
        ID: randomUUID(),
        Name: `sim-client-${i}`,
        Datacenter: ctx.datacenter,
        NodePool: 'default',
        Meta: { rack: `r${i}` },
        DynamicMeta: {},
        CPU: 4000,
        MemoryMB: 8192,
      });
    this.deps = {
      ctx,
      acl: this.acl,
      scheduler: this.scheduler,
      heartbeats: {
        eventsMs: options.heartbeats?.eventsMs ?? 30_000,
        framesMs: options.heartbeats?.framesMs ?? 1000,
      },
      eventBroker: { enabled: options.eventBroker ?? true, openStreams: new Set() },
    };
  }

  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const simulator = new Simulator(options);
    await simulator.listen(options);
    return simulator;
  }

  /** http://127.0.0.1:PORT, or unix:///path for a socket. */
  get address(): string {
    return this.listenAddress;
  }

  get clock(): SimClock {
    return this.ctx.clock;
  }

  async stop(): Promise<void> {
    this.ctx.clock.stop();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // --- control: what tests script -------------------------------------------------------------------------

  /** manual clock: moves simulated time, running the scheduler and clients. */
  advance(ms: number): void {
    this.ctx.clock.advance(ms);
  }

  /** Makes a job misbehave (per version, group, task). */
  script(jobId: string, failure: FailureScript): void {
    this.ctx.scripts.set(jobId, [...(this.ctx.scripts.get(jobId) ?? []), failure]);
  }

  clearScripts(): void {
    this.ctx.scripts.clear();
  }

  setTimings(timings: Partial<Timings>): void {
    this.ctx.timings = { ...this.ctx.timings, ...timings };
  }

  /** Switches the event broker on or off, as a server reload does; off ends every open event stream. */
  setEventBroker(enabled: boolean): void {
    this.deps.eventBroker.enabled = enabled;
    if (!enabled) for (const end of [...this.deps.eventBroker.openStreams]) end();
  }

  addFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  enableAcl(): Token {
    this.acl.enabled = true;
    return this.acl.createToken({ name: 'Bootstrap Token', management: true });
  }

  createToken(spec: TokenSpec): Token {
    return this.acl.createToken(spec);
  }

  createNamespace(name: string, description = ''): void {
    this.ctx.store.write((index) => {
      this.ctx.store.namespaces.set(name, namespaceRecord({ Name: name, Description: description }, index));
      return { tables: ['namespaces'], keys: [`namespace:${name}`] };
    });
  }

  /** Appends to a task's log (followers receive it as new frames). */
  appendLog(allocId: string, task: string, type: 'stdout' | 'stderr', text: string): void {
    this.ctx.logs.append(allocId, this.ctx.logs.path(task, type), text, this.ctx.clock.now());
  }

  // --- HTTP --------------------------------------------------------------------------------------------------

  private async listen(options: SimulatorOptions): Promise<void> {
    // Go's net/http reads request lines and headers up to DefaultMaxHeaderBytes (1 MiB); Node's default is 16 KiB.
    const server = createServer({ keepAlive: true, maxHeaderSize: 1 << 20 }, (req, res) => {
      this.handle(req, res).catch((error) => {
        if (!res.headersSent)
          writeText(
            res,
            { headers: {}, query: new URLSearchParams() } as SimRequest,
            500,
            String(error?.message ?? error),
          );
        else res.destroy();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (options.socketPath) server.listen(options.socketPath, resolve);
      else server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    if (options.socketPath) this.listenAddress = `unix://${options.socketPath}`;
    else {
      const { port } = server.address() as AddressInfo;
      this.listenAddress = `http://${options.host ?? '127.0.0.1'}:${port}`;
    }
  }

  private async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(raw.url ?? '/', 'http://simulator');
    const body = await collect(raw);
    const clientGone = abortWhenClientGoes(res);
    if (url.pathname.startsWith('/__sim/'))
      return this.control(url.pathname.slice('/__sim/'.length), body, res);
    const req: SimRequest = {
      method: raw.method ?? 'GET',
      path: url.pathname.replace(/^\/v1/, ''),
      query: url.searchParams,
      headers: raw.headers,
      body,
      secret: Acl.secretFrom(raw.headers),
      get signal() {
        return clientGone();
      },
    };
    if (!url.pathname.startsWith('/v1/')) return send(res, req, 404, 'text/plain', Buffer.alloc(0));
    this.requests.push(`${req.method} ${url.pathname}`);

    const blocking = Number(req.query.get('index') ?? 0) > 0;
    const staleParam = req.query.get('stale');
    const stale =
      staleParam === '' ||
      (staleParam !== null && ['1', 't', 'true', 'True', 'TRUE', 'T'].includes(staleParam));
    const faults = this.faults.take(req.method, url.pathname, blocking, stale);
    const latency = faults
      .filter((f) => f.kind === 'latency')
      .reduce((sum, f) => sum + (f.latencyMs ?? 0), 0);
    if (latency > 0) {
      await waitUnlessClientGoes(res, latency);
      if (res.destroyed) return;
    }
    const drop = faults.find((f) => f.kind === 'drop' || f.kind === 'cut');
    if (drop) {
      setTimeout(() => raw.socket.destroy(), drop.afterMs ?? 20);
      if (drop.kind === 'drop' && !blocking) return;
    }
    const failure = faults.find((f) => f.kind === 'status');
    if (failure) return writeText(res, req, failure.status ?? 500, failure.body ?? 'injected failure');
    if (faults.some((f) => f.kind === 'no-leader')) return writeText(res, req, 500, 'No cluster leader');
    const slow = faults.find((f) => f.kind === 'slow-body');
    if (slow) slowDown(res, slow.chunkDelayMs ?? 50);

    try {
      if (staleParam !== null && staleParam !== '') {
        try {
          parseBool(staleParam, 'stale');
        } catch {
          throw new RpcError(400, 'Expect `true` or `false` for `stale` query string parameter');
        }
      }
      const region = req.query.get('region');
      if (region && region !== this.ctx.region) throw new RpcError(500, 'No path to region');
      const reply: Reply | undefined =
        routeJobs(this.deps, req) ??
        routeCluster(this.deps, req) ??
        routeNamespaces(this.deps, req) ??
        routeNodePools(this.deps, req) ??
        routeAcl(this.deps, req) ??
        routeClient(this.deps, req) ??
        this.variables.route(this.acl, req);
      if (!reply) return send(res, req, 404, 'text/plain', Buffer.alloc(0));
      await this.respond(reply, req, res);
    } catch (error) {
      if (error instanceof RpcError) return writeText(res, req, error.status, error.body);
      throw error;
    }
  }

  private async respond(reply: Reply, req: SimRequest, res: ServerResponse): Promise<void> {
    switch (reply.kind) {
      case 'json':
        return writeJson(res, req, reply.status ?? 200, reply.body, reply.index ?? this.ctx.store.index);
      case 'read': {
        const result = await blockingRead(this.ctx.store, req, reply.run);
        if (res.destroyed) return;
        if (result.nextToken) res.setHeader('X-Nomad-NextToken', result.nextToken);
        if (result.status === 404) {
          setIndexHeaders(res, result.index);
          return writeText(res, req, 404, result.errorText ?? 'not found');
        }
        return writeJson(res, req, 200, result.body, result.index);
      }
      case 'raw':
        return send(res, req, 200, reply.contentType, reply.body);
      case 'empty':
        return send(res, req, 200, 'application/json', Buffer.alloc(0));
      case 'answer':
        if (reply.index !== undefined) res.setHeader('X-Nomad-Index', String(reply.index));
        return send(
          res,
          req,
          reply.status,
          reply.sniffed && acceptsGzip(req) ? '' : reply.contentType,
          Buffer.from(reply.body),
        );
      case 'stream':
        return reply.start(res, req.signal);
    }
  }

  /** The control API over HTTP, for the simulator running as its own process (e2e tests, the demo). */
  private control(action: string, body: Buffer, res: ServerResponse): void {
    const input = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    const reply = (value: unknown) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(value ?? {}));
    };
    switch (action) {
      case 'advance':
        return reply(this.advance(Number(input.ms ?? 0)));
      case 'script':
        return reply(this.script(String(input.job), input as unknown as FailureScript));
      case 'clear-scripts':
        return reply(this.clearScripts());
      case 'timings':
        return reply(this.setTimings(input as Partial<Timings>));
      case 'fault':
        return reply(this.addFault(input as unknown as FaultRule));
      case 'event-broker':
        return reply(this.setEventBroker(input.enabled !== false));
      case 'clear-faults':
        return reply(this.faults.clear());
      case 'acl':
        return reply(this.enableAcl());
      case 'token':
        return reply(this.createToken(input as TokenSpec));
      case 'namespace':
        return reply(this.createNamespace(String(input.name), String(input.description ?? '')));
      case 'log':
        return reply(
          this.appendLog(
            String(input.alloc),
            String(input.task),
            input.type === 'stderr' ? 'stderr' : 'stdout',
            String(input.text ?? ''),
          ),
        );
      case 'requests':
        return reply({ count: this.requests.length, requests: this.requests });
      case 'cpu': {
        // The whole process's CPU (all threads: the JIT and GC helpers too), for benchmarks.
        const { user, system } = process.cpuUsage();
        return reply({ userMicros: user, systemMicros: system });
      }
      default:
        res.statusCode = 404;
        return reply({ error: `unknown control action ${action}` });
    }
  }
}

/** Fault "slow-body": the response goes out 16 bytes at a time. */
function slowDown(res: ServerResponse, delayMs: number): void {
  const end = res.end.bind(res);
  res.end = ((payload?: Buffer | string) => {
    const data = payload === undefined ? Buffer.alloc(0) : Buffer.from(payload);
    const write = async () => {
      for (let i = 0; i < data.length; i += 16) {
        res.write(data.subarray(i, i + 16));
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      end();
    };
    void write();
    return res;
  }) as ServerResponse['end'];
}
