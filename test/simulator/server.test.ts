import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { streamOpening } from '../support/api-shapes.js';
import { serviceJob, startSimulatedNomad, type SimulatedNomad } from '../support/simulated-nomad.js';

describe('simulator: HTTP conventions, blocking, ACLs and faults', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  const get = (path: string, init: RequestInit = {}) => fetch(`${env.sim.address}${path}`, init);
  const put = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${env.sim.address}${path}`, { method: 'PUT', body: JSON.stringify(body), headers });

  it('answers errors as plain text, unknown paths with an empty 404, wrong methods with 405', async () => {
    const missing = await get('/v1/job/nope');
    expect([missing.status, missing.headers.get('content-type'), await missing.text()]).toEqual([
      404,
      'text/plain; charset=utf-8',
      'job not found',
    ]);
    expect(Number(missing.headers.get('x-nomad-index'))).toBeGreaterThan(0);
    const unknown = await get('/v1/nothing-here');
    expect([unknown.status, await unknown.text()]).toEqual([404, '']);
    const wrong = await fetch(`${env.sim.address}/v1/jobs`, { method: 'DELETE' });
    expect([wrong.status, await wrong.text()]).toEqual([405, 'Invalid method']);
    const empty = await fetch(`${env.sim.address}/v1/jobs`, { method: 'PUT' });
    expect([empty.status, await empty.text()]).toEqual([400, 'Request body is empty']);
    const region = await get('/v1/jobs?region=mars');
    expect([region.status, await region.text()]).toEqual([500, 'No path to region']);
    const stale = await get('/v1/jobs?stale=maybe');
    expect([stale.status, await stale.text()]).toEqual([
      400,
      'Expect `true` or `false` for `stale` query string parameter',
    ]);
  });

  it.each(['manual', 'realtime'] as const)(
    "starts its %s clock at the wall clock, as a real agent's: a job registered now was submitted now",
    async (mode) => {
      const started = Date.now();
      const sim = await startSimulatedNomad({ clock: { mode, speed: 10 } });
      try {
        await sim.nomad.jobs.register({ Job: serviceJob('now') });
        // Nanoseconds past 2^53 divide into milliseconds with a rounding error: round to the millisecond.
        const submitted = Math.round((await sim.nomad.jobs.read('now')).body.SubmitTime! / 1e6);
        expect(submitted).toBeGreaterThanOrEqual(started);
        expect(submitted).toBeLessThanOrEqual(started + (Date.now() - started) * 10 + 1);
      } finally {
        await sim.close();
      }
    },
  );

  it('gzips when asked, pretty-prints with ?pretty', async () => {
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve) => {
      request(`${env.sim.address}/v1/agent/self`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
        );
      }).end();
    });
    expect(raw.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(raw.body).toString()).config.Region).toBe('global');
    const pretty = await (await get('/v1/status/leader?pretty')).text();
    expect(pretty).toBe('"127.0.0.1:4647"\n');
  });

  it('validates blocking parameters and returns the unchanged index when the wait runs out', async () => {
    expect(await (await get('/v1/jobs?index=abc')).text()).toBe('Invalid index');
    expect(await (await get('/v1/jobs?index=1&wait=forever')).text()).toBe('Invalid wait time');
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    const first = await get('/v1/job/web');
    const index = first.headers.get('x-nomad-index');
    const started = Date.now();
    const held = await get(`/v1/job/web?index=${index}&wait=200ms`);
    const elapsed = Date.now() - started;
    expect(held.headers.get('x-nomad-index')).toBe(index);
    // wait plus Nomad's jitter of at most wait/16.
    expect(elapsed).toBeGreaterThanOrEqual(195);
    expect(elapsed).toBeLessThan(200 + 200 / 16 + 150);
  });

  it('wakes a blocked job-allocations query only for that job, answering with the allocs table index', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    await env.nomad.jobs.register({ Job: serviceJob('other') });
    env.sim.advance(100);
    const index = Number((await get('/v1/job/web/allocations')).headers.get('x-nomad-index'));
    let woke = false;
    const pending = get(`/v1/job/web/allocations?index=${index}&wait=2s`).then((r) => ((woke = true), r));
    env.sim.advance(1000); // both jobs' allocations start running
    const response = await pending;
    expect(woke).toBe(true);
    expect(Number(response.headers.get('x-nomad-index'))).toBe(env.sim.ctx.store.table('allocs'));
  });

  it('reads job IDs that contain "/" (dispatched children) through %2F', async () => {
    await env.nomad.jobs.register({
      Job: {
        ...serviceJob('parent/dispatch-1-abc'),
        Type: 'batch',
        TaskGroups: [{ Name: 'g', Tasks: [{ Name: 't', Driver: 'exec' }] }],
      },
    });
    expect((await get('/v1/job/parent%2Fdispatch-1-abc')).status).toBe(200);
    expect((await get('/v1/job/parent%2Fdispatch-1-abc/summary')).status).toBe(200);
  });

  it("refuses a job in a namespace that does not exist, with Nomad's multierror text", async () => {
    const response = await put('/v1/jobs?namespace=ghost', { Job: serviceJob('web') });
    expect([response.status, await response.text()]).toEqual([
      500,
      '1 error occurred:\n\t* job "web" is in nonexistent namespace "ghost"\n\n',
    ]);
  });

  it('emits a Job and an Evaluation event, both typed JobRegistered, for one registration', async () => {
    const before = env.sim.ctx.store.eventLog.length;
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    const [batch] = env.sim.ctx.store.eventLog.slice(before);
    expect(batch!.Events.map((e) => [e.Topic, e.Type])).toEqual([
      ['Job', 'JobRegistered'],
      ['Evaluation', 'JobRegistered'],
    ]);
  });

  describe('ACLs', () => {
    it('refuses a missing or unknown token, allows the management token', async () => {
      const management = env.sim.enableAcl();
      expect([(await get('/v1/jobs')).status, await (await get('/v1/jobs')).text()]).toEqual([
        403,
        'Permission denied',
      ]);
      expect(
        (await get('/v1/jobs', { headers: { 'X-Nomad-Token': '8c6d1e0b-0000-0000-0000-000000000000' } }))
          .status,
      ).toBe(403);
      expect((await get('/v1/jobs', { headers: { 'X-Nomad-Token': management.SecretID } })).status).toBe(200);
      expect(
        (await get('/v1/jobs', { headers: { Authorization: `Bearer ${management.SecretID}` } })).status,
      ).toBe(200);
    });

    it('applies namespace rules, globs and policy shorthands; namespace=* lists only what the token may see', async () => {
      const management = env.sim.enableAcl();
      const admin = env.client({ token: management.SecretID });
      env.sim.createNamespace('shop-eu');
      env.sim.createNamespace('ops');
      await admin.jobs.register({ Job: serviceJob('a') }, { namespace: 'shop-eu' });
      await admin.jobs.register({ Job: serviceJob('b') }, { namespace: 'ops' });
      const token = env.sim.createToken({
        namespaces: { 'shop-*': { policy: 'write' }, ops: { capabilities: ['list-jobs'] } },
      });
      const nomad = env.client({ token: token.SecretID });
      expect((await nomad.jobs.list({ namespace: '*' })).body.map((j) => j.Namespace).sort()).toEqual([
        'ops',
        'shop-eu',
      ]);
      await expect(nomad.jobs.read('b', { namespace: 'ops' })).rejects.toMatchObject({ status: 403 });
      await expect(
        nomad.jobs.register({ Job: serviceJob('c') }, { namespace: 'shop-eu' }),
      ).resolves.toBeDefined();
      const denied = env.sim.createToken({
        namespaces: { '*': { policy: 'read' }, ops: { policy: 'deny' } },
      });
      await expect(
        env.client({ token: denied.SecretID }).jobs.list({ namespace: 'ops' }),
      ).rejects.toMatchObject({ status: 403 });
    });

    it('refuses an event stream of every topic without management, and of "*" without read-job everywhere', async () => {
      env.sim.enableAcl();
      env.sim.createNamespace('ops', '');
      const reader = env.sim.createToken({ namespaces: { default: { policy: 'read' } } });
      const opening = (query: string) =>
        streamOpening(env.sim.address, `/v1/event/stream${query}`, reader.SecretID, 200);
      const silent = { status: 200, contentType: 'application/json', text: '' };
      expect(await opening('')).toEqual(silent);
      expect(await opening('?topic=Job&namespace=*')).toEqual(silent);
      expect(await opening('?topic=Job')).toEqual({ ...silent, text: '{}\n' });
    });
  });

  describe('faults', () => {
    it('injects statuses a given number of times, and latency', async () => {
      env.sim.addFault({
        kind: 'status',
        status: 503,
        body: 'upstream unavailable',
        path: '^/v1/jobs$',
        times: 1,
      });
      const failed = await get('/v1/jobs');
      expect([failed.status, await failed.text()]).toEqual([503, 'upstream unavailable']);
      expect((await get('/v1/jobs')).status).toBe(200);
      env.sim.addFault({ kind: 'latency', latencyMs: 150, times: 1 });
      const started = Date.now();
      await get('/v1/jobs');
      expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    });

    it('has no leader for consistent reads and writes, but serves stale reads', async () => {
      env.sim.addFault({ kind: 'no-leader' });
      expect(await (await get('/v1/jobs')).text()).toBe('No cluster leader');
      expect((await get('/v1/jobs?stale')).status).toBe(200);
      expect((await put('/v1/jobs', { Job: serviceJob('web') })).status).toBe(500);
    });

    it('drops the connection of a blocking query mid-wait', async () => {
      env.sim.addFault({ kind: 'drop', blockingOnly: true, afterMs: 50 });
      await expect(get('/v1/jobs?index=1000&wait=5s')).rejects.toThrow();
      expect((await get('/v1/jobs')).status).toBe(200);
    });
  });
});
