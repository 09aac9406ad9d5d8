import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, type UserError } from '../../../src/errors.js';
import { NomadClient } from '../../../src/nomad/client.js';
import {
  NomadConnectionError,
  NomadEnforceIndexError,
  NomadNotFoundError,
  NomadPermissionError,
  NomadServerError,
  NomadValidationError,
} from '../../../src/nomad/errors.js';
import { isLoopback, withoutCredentials } from '../../../src/nomad/transport.js';
import { createLogger } from '../../../src/util/logger.js';
import { Simulator } from '../../simulator/simulator.js';
import { serviceJob, startSimulatedNomad, type SimulatedNomad } from '../../support/simulated-nomad.js';

const fixture = (name: string) => join(import.meta.dirname, '../../fixtures/tls', name);

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Transport against the simulator', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  it('decodes gzip and exposes X-Nomad-Index, KnownLeader and LastContact', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    const response = await env.client({ compression: true }).jobs.list();
    expect(response.body.map((j) => j.ID)).toEqual(['web']);
    expect(response.meta).toMatchObject({ status: 200, knownLeader: true, lastContactMs: 0 });
    expect(response.meta.index).toBe(env.sim.ctx.store.table('jobs'));
  });

  it('shortens a huge path in errors and debug lines instead of printing megabytes', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', (line) => lines.push(line));
    // Past the 1 MiB of request line and headers Go's net/http reads (and the simulator with it): refused.
    const id = 'x'.repeat(1_100_000);
    const error = (await env
      .client({ logger })
      .jobs.plan({ ...serviceJob('web'), ID: id, Name: id })
      .catch((caught: unknown) => caught)) as Error;
    expect(error.message.length).toBeLessThan(600);
    expect(error.message).toContain('…(1,100,013 characters)');
    expect(lines.every((line) => line.length < 600)).toBe(true);
  });

  it('asks for gzip only off this machine: not from a loopback address or a unix socket, unless told', async () => {
    const encodings: Array<string | undefined> = [];
    const server = createHttpServer((req, res) => {
      encodings.push(req.headers['accept-encoding'] as string | undefined);
      res.end('[]');
    });
    const host = await listen(server);
    try {
      for (const compression of [undefined, true, false]) {
        const nomad = new NomadClient({ address: `http://${host}`, compression });
        await nomad.jobs.list();
        await nomad.close();
      }
    } finally {
      server.close();
    }
    expect(encodings).toEqual([undefined, 'gzip', undefined]);
    expect(
      [
        '127.0.0.1',
        '127.8.0.2',
        'localhost',
        'api.localhost',
        '[::1]',
        'nomad.example',
        '10.0.0.7',
        '::2',
      ].map(isLoopback),
    ).toEqual([true, true, true, true, true, false, false, false]);
  });

  it("retries reads and plans that Nomad's per-address connection limit refused (429), never a registration", async () => {
    const refused = new Map<string, number>();
    const server = createHttpServer((req, res) => {
      const key = `${req.method} ${req.url!.split('?')[0]}`;
      const count = refused.get(key) ?? 0;
      if (count < 2) {
        refused.set(key, count + 1);
        res.writeHead(429, { 'Content-Type': 'text/plain' });
        return res.end('Your IP is issuing too many concurrent connections, please rate limit your calls\n');
      }
      res.setHeader('X-Nomad-Index', '3');
      res.end(req.url!.includes('/plan') ? '{"Diff":null,"JobModifyIndex":0}' : '[]');
    });
    const host = await listen(server);
    const nomad = new NomadClient({ address: `http://${host}`, retry: { baseMs: 1, maxMs: 5 } });
    try {
      expect((await nomad.jobs.list()).body).toEqual([]);
      expect(await nomad.jobs.plan(serviceJob('web'))).toMatchObject({ JobModifyIndex: 0 });
      await expect(nomad.jobs.register({ Job: serviceJob('web') })).rejects.toThrow(
        /Nomad said: Your IP is issuing too many concurrent connections/,
      );
      expect([...refused.values()]).toEqual([2, 2, 1]);
    } finally {
      await nomad.close();
      server.close();
    }
  });

  it('adds the namespace and region to requests and the token as X-Nomad-Token', async () => {
    const seen: Array<{ url: string; token: string | undefined }> = [];
    const server = createHttpServer((req, res) => {
      seen.push({ url: req.url!, token: req.headers['x-nomad-token'] as string | undefined });
      res.setHeader('X-Nomad-Index', '7');
      res.end('[]');
    });
    const host = await listen(server);
    const nomad = new NomadClient({
      address: `http://${host}`,
      token: 's3cret',
      namespace: 'shop',
      region: 'eu',
    });
    try {
      await nomad.jobs.list({ prefix: 'we' });
      await nomad.node.stats();
      expect(seen[0]).toEqual({ url: '/v1/jobs?prefix=we&namespace=shop&region=eu', token: 's3cret' });
      // Node endpoints are not namespaced.
      expect(seen[1]!.url).toBe('/v1/client/stats?region=eu');
    } finally {
      await nomad.close();
      server.close();
    }
  });

  it('sends credentials in the address as basic auth, and never prints them', async () => {
    const seen: Array<string | undefined> = [];
    const server = createHttpServer((req, res) => {
      seen.push(req.headers.authorization);
      res.setHeader('X-Nomad-Index', '7');
      res.end('[]');
    });
    const host = await listen(server);
    const nomad = new NomadClient({ address: `http://ops:pa%40ss-TOKEN-42@${host}` });
    try {
      await nomad.jobs.list();
      expect(seen).toEqual([`Basic ${Buffer.from('ops:pa@ss-TOKEN-42').toString('base64')}`]);
      expect(nomad.address).toBe(`http://${host}`);
    } finally {
      await nomad.close();
      server.close();
    }
    const refused = new NomadClient({
      address: 'http://ops:TOKEN-42@127.0.0.1:1',
      retry: { retries: 0, baseMs: 1, maxMs: 1 },
    });
    const error = await refused.jobs.list().catch((e) => e);
    await refused.close();
    expect(error.message).toContain('cannot reach Nomad at http://127.0.0.1:1');
    expect(`${error.message} ${error.hint}`).not.toContain('TOKEN-42');
    const bad = (() => {
      try {
        return new NomadClient({ address: 'ftp://ops:TOKEN-42@nomad:4646' });
      } catch (caught) {
        return caught as Error;
      }
    })() as Error;
    expect(bad.message).toBe(
      'the Nomad address "ftp://nomad:4646" (from address) must start with http://, https:// or unix://, not ftp://',
    );
  });

  it("turns a 400 into a validation error carrying Nomad's own text", async () => {
    const error = await env.nomad.jobs.register({ Job: { Name: 'no-id' } }).catch((e) => e);
    expect(error).toBeInstanceOf(NomadValidationError);
    expect(error.body).toBe("Job ID hasn't been provided");
    expect(error.message).toContain("Nomad said: Job ID hasn't been provided");
  });

  it('turns a 403 into a permission error naming the address, namespace and capability, never the token', async () => {
    env.sim.enableAcl();
    const reader = env.sim.createToken({ namespaces: { default: { policy: 'read' } } });
    const nomad = env.client({ token: reader.SecretID, tokenSource: 'NOMAD_TOKEN' });
    const error = await nomad.jobs.register({ Job: serviceJob('web') }).catch((e) => e);
    expect(error).toBeInstanceOf(NomadPermissionError);
    expect(error.capability).toBe('submit-job');
    expect(error.hint).toContain(`namespace "default" at ${env.sim.address}`);
    expect(error.hint).toContain('the token from NOMAD_TOKEN probably lacks the "submit-job" capability');
    expect(`${error.message} ${error.hint}`).not.toContain(reader.SecretID);
    // Reading is allowed with the same token.
    await expect(nomad.jobs.list()).resolves.toBeDefined();
  });

  it('turns a 404 into a not-found error that keeps the X-Nomad-Index; find() answers null', async () => {
    const error = await env.nomad.jobs.read('missing').catch((e) => e);
    expect(error).toBeInstanceOf(NomadNotFoundError);
    expect(error.body).toBe('job not found');
    expect(error.index).toBeGreaterThan(0);
    const found = await env.nomad.jobs.find('missing');
    expect(found.body).toBeNull();
    expect(found.meta.index).toBe(error.index);
  });

  it('parses EnforceIndex refusals', async () => {
    const first = await env.nomad.jobs.register({ Job: serviceJob('web') });
    const stale = await env.nomad.jobs
      .register({
        Job: serviceJob('web', { Priority: 60 }),
        EnforceIndex: true,
        JobModifyIndex: first.JobModifyIndex - 1,
      })
      .catch((e) => e);
    expect(stale).toBeInstanceOf(NomadEnforceIndexError);
    expect(stale).toMatchObject({
      expectedIndex: first.JobModifyIndex - 1,
      actualIndex: first.JobModifyIndex,
      reason: 'conflict',
    });
    const exists = await env.nomad.jobs
      .register({ Job: serviceJob('web'), EnforceIndex: true, JobModifyIndex: 0 })
      .catch((e) => e);
    expect(exists).toMatchObject({
      reason: 'exists',
      body: 'Enforcing job modify index 0: job already exists',
    });
  });

  it('retries reads through "No cluster leader" but never retries a write', async () => {
    env.sim.addFault({ kind: 'no-leader', times: 2 });
    await expect(env.nomad.jobs.list()).resolves.toBeDefined();
    expect(env.sim.requests.filter((r) => r === 'GET /v1/jobs')).toHaveLength(3);

    env.sim.addFault({ kind: 'no-leader', times: 1 });
    const error = await env.nomad.jobs.register({ Job: serviceJob('web') }).catch((e) => e);
    expect(error).toBeInstanceOf(NomadServerError);
    expect(error.noLeader).toBe(true);
    expect(env.sim.requests.filter((r) => r === 'PUT /v1/jobs')).toHaveLength(1);
  });

  it('gives up on reads after the configured retries', async () => {
    env.sim.addFault({ kind: 'no-leader' });
    const nomad = env.client({ retry: { retries: 2, baseMs: 1, maxMs: 2 } });
    await expect(nomad.jobs.list()).rejects.toBeInstanceOf(NomadServerError);
    expect(env.sim.requests.filter((r) => r === 'GET /v1/jobs')).toHaveLength(3);
  });

  it('reads a slow body to the end', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    env.sim.addFault({ kind: 'slow-body', path: '/v1/job/web$', chunkDelayMs: 1, times: 1 });
    const { body } = await env.nomad.jobs.read('web');
    expect(body.TaskGroups?.[0]?.Name).toBe('web');
  });

  it('times out, and stops at the caller’s abort, while the body is still arriving', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('trickle') });
    env.sim.addFault({ kind: 'slow-body', path: '/v1/job/trickle$', chunkDelayMs: 20, times: 2 });
    const timedOut = await env
      .client({ timeoutMs: 150, retry: { retries: 0 } })
      .jobs.read('trickle')
      .catch((e) => e);
    expect(timedOut).toBeInstanceOf(NomadConnectionError);
    expect(timedOut.message).toMatch(/no answer within 150ms$/);
    const controller = new AbortController();
    const pending = env.nomad.jobs.read('trickle', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it('times out a request that gets no answer', async () => {
    env.sim.addFault({ kind: 'latency', latencyMs: 300, times: 1 });
    const nomad = env.client({ timeoutMs: 50, retry: { retries: 0 } });
    const error = await nomad.jobs.list().catch((e) => e);
    expect(error).toBeInstanceOf(NomadConnectionError);
    expect(error.kind).toBe('timeout');
  });

  it('bounds a request with all its retries by the timeout it names, in the units a person writes', async () => {
    env.sim.addFault({ kind: 'latency', latencyMs: 5_000 });
    const nomad = env.client({ timeoutMs: 400, retry: { retries: 4, baseMs: 5, maxMs: 20 } });
    const started = performance.now();
    const error = await nomad.jobs.list().catch((e) => e);
    // Before, each of the five attempts had the whole timeout: five times as long as the message said.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(NomadConnectionError);
    expect(error.message).toMatch(/no answer within 400ms$/);
    env.sim.faults.clear();
    const minute = env.client({ timeoutMs: 60_000 });
    env.sim.addFault({ kind: 'latency', latencyMs: 100, times: 1 });
    await expect(minute.jobs.list()).resolves.toBeDefined();
  });

  it('stops at once when the caller aborts', async () => {
    env.sim.addFault({ kind: 'latency', latencyMs: 2000, times: 1 });
    const controller = new AbortController();
    const pending = env.nomad.jobs.list({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('listens once to a signal its requests share (past 10, Node warns of a leak), and its abort stops them all', async () => {
    env.sim.addFault({ kind: 'latency', latencyMs: 2000 });
    const controller = new AbortController();
    const pending = Array.from({ length: 30 }, () =>
      env.nomad.jobs.list({ signal: controller.signal }).catch((e) => e),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    const outcomes = await Promise.all(pending);
    expect(outcomes.filter((o) => o instanceof CancelledError)).toHaveLength(30);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('traces each request at debug level, without the token', async () => {
    const lines: string[] = [];
    const nomad = env.client({ token: 'tok-123', logger: createLogger('debug', (l) => lines.push(l)) });
    await nomad.jobs.list();
    await nomad.jobs.read('missing').catch(() => undefined);
    expect(lines[0]).toMatch(/^debug: GET \/v1\/jobs 200 \d+ms X-Nomad-Index=\d+$/);
    expect(lines[1]).toMatch(/^debug: GET \/v1\/job\/missing 404 \d+ms X-Nomad-Index=\d+$/);
    expect(lines.join('\n')).not.toContain('tok-123');
  });
});

describe('Transport connection failures', () => {
  it('names the address and where it came from when nothing listens', async () => {
    const server = createHttpServer();
    const host = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    const nomad = new NomadClient({
      address: `http://${host}`,
      addressSource: 'NOMAD_ADDR',
      retry: { retries: 1, baseMs: 1 },
    });
    const error = await nomad.agent.leader().catch((e) => e);
    await nomad.close();
    expect(error).toBeInstanceOf(NomadConnectionError);
    expect(error.kind).toBe('refused');
    expect(error.message).toBe(`cannot reach Nomad at http://${host} (from NOMAD_ADDR): connection refused`);
  });

  it('retries a GET whose connection was dropped, but not a PUT', async () => {
    let hits = 0;
    const server = createHttpServer((req, res) => {
      hits++;
      if (hits === 1 || req.method === 'PUT') return req.socket.destroy();
      res.end('"127.0.0.1:4647"');
    });
    const host = await listen(server);
    const nomad = new NomadClient({ address: `http://${host}`, retry: { baseMs: 1, maxMs: 2 } });
    try {
      await expect(nomad.agent.leader()).resolves.toBe('127.0.0.1:4647');
      expect(hits).toBe(2);
      hits = 10;
      await expect(nomad.jobs.register({ Job: serviceJob('web') })).rejects.toBeInstanceOf(
        NomadConnectionError,
      );
      expect(hits).toBe(11);
    } finally {
      await nomad.close();
      server.close();
    }
  });

  it('rejects an address without a scheme, naming where it came from', () => {
    expect(() => new NomadClient({ address: 'nomad.example:4646', addressSource: '--address' })).toThrow(
      'the Nomad address "nomad.example:4646" (from --address) has no scheme: it must start with http://, https:// or unix://',
    );
  });

  it.each([
    ['http://127.0.0.1:99999', 'has port 99999, which no server can listen on (ports go from 1 to 65535)'],
    ['http://[::1', 'opens an IPv6 address with [ that it never closes'],
    ['admin:PW-77@nomad:4646', 'has no scheme: it must start with http://, https:// or unix://'],
  ])('says what is wrong with %s, never echoing credentials', (address, problem) => {
    const error = (() => {
      try {
        return new NomadClient({ address, addressSource: 'NOMAD_ADDR' });
      } catch (caught) {
        return caught as UserError;
      }
    })() as UserError;
    expect(error.message).toBe(
      `the Nomad address "${withoutCredentials(address)}" (from NOMAD_ADDR) ${problem}`,
    );
    expect(`${error.message} ${error.hint}`).not.toContain('PW-77');
  });

  it('talks HTTP over a unix socket (unix:// addresses)', async () => {
    const socketPath = join(tmpdir(), `drover-sim-${process.pid}-${Date.now()}.sock`);
    const sim = await Simulator.start({ socketPath });
    const nomad = new NomadClient({ address: sim.address });
    try {
      expect(sim.address).toBe(`unix://${socketPath}`);
      await expect(nomad.agent.leader()).resolves.toBe('127.0.0.1:4647');
    } finally {
      await nomad.close();
      await sim.stop();
    }
  });
});

describe('Transport TLS', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createHttpsServer(
      { cert: readFileSync(fixture('server.pem')), key: readFileSync(fixture('server-key.pem')) },
      (_req, res) => res.end('"10.0.0.1:4647"'),
    );
    port = Number((await listen(server)).split(':')[1]);
  });
  afterAll(() => server.close());

  const client = (tls: ConstructorParameters<typeof NomadClient>[0]['tls']) =>
    new NomadClient({ address: `https://127.0.0.1:${port}`, tls, retry: { retries: 0 } });

  it('verifies certificates by default and says how to trust the CA', async () => {
    const nomad = client({});
    const error = await nomad.agent.leader().catch((e) => e);
    await nomad.close();
    expect(error).toBeInstanceOf(NomadConnectionError);
    expect(error.kind).toBe('tls');
    expect(error.hint).toContain('NOMAD_CACERT');
  });

  it('explains that Nomad certificates name server.<region>.nomad when reached by IP', async () => {
    const nomad = client({ caCert: fixture('ca.pem') });
    const error = await nomad.agent.leader().catch((e) => e);
    await nomad.close();
    expect(error.kind).toBe('tls');
    expect(error.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(error.hint).toContain('NOMAD_TLS_SERVER_NAME');
  });

  it('connects with the CA and the server name', async () => {
    const nomad = client({ caCert: fixture('ca.pem'), serverName: 'server.global.nomad' });
    await expect(nomad.agent.leader()).resolves.toBe('10.0.0.1:4647');
    await nomad.close();
  });

  it('reads CA files from a directory (NOMAD_CAPATH)', async () => {
    const nomad = client({
      caPath: join(import.meta.dirname, '../../fixtures/tls'),
      serverName: 'server.global.nomad',
    });
    await expect(nomad.agent.leader()).resolves.toBe('10.0.0.1:4647');
    await nomad.close();
  });

  it('skips verification only when told to', async () => {
    const nomad = client({ skipVerify: true });
    await expect(nomad.agent.leader()).resolves.toBe('10.0.0.1:4647');
    await nomad.close();
  });

  it('names a CA file it cannot read', () => {
    expect(() => client({ caCert: '/nonexistent/ca.pem' })).toThrow(
      'cannot read the CA certificate /nonexistent/ca.pem',
    );
  });
});
