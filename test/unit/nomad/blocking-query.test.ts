import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CancelledError } from '../../../src/errors.js';
import { NomadClient } from '../../../src/nomad/client.js';
import {
  serviceJob,
  startSimulatedNomad,
  withImage,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BlockingQuery against the simulator', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
    await env.nomad.jobs.register({ Job: serviceJob('web') });
  });
  afterEach(() => env.close());

  const jobReads = () => env.sim.requests.filter((r) => r === 'GET /v1/job/web').length;

  it('delivers the current state first, then wakes as soon as the job changes', async () => {
    const watch = env.nomad.watch((q) => env.nomad.jobs.read('web', q), { wait: '30s' });
    const first = await watch.next();
    expect(first.value.Version).toBe(0);

    const started = Date.now();
    const next = watch.next();
    await sleep(50);
    await env.nomad.jobs.register({ Job: withImage(serviceJob('web'), 'example/app:2.0') });
    const second = await next;
    expect(second.value.Version).toBe(1);
    expect(second.index).toBeGreaterThan(first.index);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('keeps waiting across wait expiries that bring nothing new', async () => {
    const watch = env.nomad.watch((q) => env.nomad.jobs.read('web', q), { wait: '100ms' });
    await watch.next();
    let settled = false;
    const next = watch.next().then((s) => ((settled = true), s));
    await sleep(450);
    expect(settled).toBe(false);
    // The server held each request for ~100 ms (+ jitter): a handful of requests, not a spin.
    expect(jobReads()).toBeGreaterThanOrEqual(3);
    expect(jobReads()).toBeLessThanOrEqual(6);
    await env.nomad.jobs.register({ Job: withImage(serviceJob('web'), 'example/app:2.0') });
    expect((await next).value.Version).toBe(1);
  });

  it('passes index and wait to the server', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url!);
      res.setHeader('X-Nomad-Index', String(seen.length * 10));
      res.end('{"ID":"web"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const nomad = new NomadClient({ address: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    const watch = nomad.watch((q) => nomad.jobs.read('web', q), { wait: '45s' });
    await watch.next();
    await watch.next();
    await nomad.close();
    server.close();
    expect(seen).toEqual(['/v1/job/web', '/v1/job/web?index=10&wait=45s']);
  });

  it('stops promptly when aborted mid-wait', async () => {
    const controller = new AbortController();
    const watch = env.nomad.watch((q) => env.nomad.jobs.read('web', q), {
      wait: '5m',
      signal: controller.signal,
    });
    await watch.next();
    const pending = watch.next();
    await sleep(50);
    const started = Date.now();
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('resumes from the last index after the connection drops mid-wait', async () => {
    const watch = env.nomad.watch((q) => env.nomad.jobs.read('web', q), {
      wait: '30s',
      backoff: { baseMs: 10, maxMs: 20 },
    });
    const first = await watch.next();
    env.sim.addFault({ kind: 'drop', blockingOnly: true, times: 1, afterMs: 30 });
    const next = watch.next();
    await sleep(200);
    await env.nomad.jobs.register({ Job: withImage(serviceJob('web'), 'example/app:2.0') });
    const second = await next;
    expect(second.value.Version).toBe(1);
    expect(second.index).toBeGreaterThan(first.index);
    // One dropped request, then the resumed one that saw the change.
    expect(jobReads()).toBeGreaterThanOrEqual(3);
  });

  it('rides out "No cluster leader" during a watch', async () => {
    const watch = env.nomad.watch((q) => env.nomad.jobs.read('web', q), {
      wait: '30s',
      backoff: { baseMs: 5, maxMs: 10 },
    });
    await watch.next();
    env.sim.addFault({ kind: 'no-leader', blockingOnly: true, times: 3 });
    const next = watch.next();
    await sleep(100);
    await env.nomad.jobs.register({ Job: withImage(serviceJob('web'), 'example/app:2.0') });
    expect((await next).value.Version).toBe(1);
  });
});

describe('BlockingQuery against misbehaving servers', () => {
  let server: Server;
  let address: string;
  let respond: (count: number) => { index: number; delayMs?: number };
  let count = 0;

  beforeEach(async () => {
    count = 0;
    server = createServer((_req, res) => {
      const { index, delayMs = 0 } = respond(++count);
      setTimeout(() => {
        res.setHeader('X-Nomad-Index', String(index));
        res.end(JSON.stringify({ ID: 'web', Version: count }));
      }, delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  it('starts over when the index goes backwards (a restored snapshot, another server)', async () => {
    respond = (n) => ({ index: n === 1 ? 100 : 40 });
    const nomad = new NomadClient({ address });
    const watch = nomad.watch((q) => nomad.jobs.read('web', q), { wait: '1s' });
    expect((await watch.next()).index).toBe(100);
    const reset = await watch.next();
    expect(reset.index).toBe(40);
    expect(watch.index).toBe(40);
    await nomad.close();
  });

  it('does not spin when a server answers at once with the same index', async () => {
    respond = () => ({ index: 7 });
    const nomad = new NomadClient({ address });
    const controller = new AbortController();
    const watch = nomad.watch((q) => nomad.jobs.read('web', q), {
      wait: '5m',
      signal: controller.signal,
      backoff: { baseMs: 50, maxMs: 200 },
    });
    await watch.next();
    const pending = watch.next().catch((e) => e);
    await sleep(600);
    controller.abort();
    expect(await pending).toBeInstanceOf(CancelledError);
    // Backoff 25–50, 50–100, 100–200, 100–200 ms…: a few requests in 600 ms, not thousands.
    expect(count).toBeGreaterThanOrEqual(3);
    expect(count).toBeLessThanOrEqual(9);
    await nomad.close();
  });
});
