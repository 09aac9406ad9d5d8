import { EventStreamUnavailableError } from '../../../src/nomad/errors.js';
import { decodeFrames, decodeLines } from '../../../src/nomad/frame-decoder.js';
import type { EventBatch, StreamFrame } from '../../../src/nomad/types.js';
import {
  runFor,
  serviceJob,
  startSimulatedNomad,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

async function collect<T>(iterable: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) {
    items.push(item);
    if (items.length >= limit) break;
  }
  return items;
}

const text = (frames: StreamFrame[]) => frames.map((f) => f.Data.toString('utf8')).join('');

describe('frame decoding', () => {
  async function* chunks(...parts: string[]) {
    for (const part of parts) yield Buffer.from(part);
  }

  it('splits back-to-back frames across chunk borders, decodes Data and drops heartbeats', async () => {
    const a = JSON.stringify({
      Offset: 0,
      Data: Buffer.from('he{l}lo "x"\n').toString('base64'),
      File: 'alloc/logs/app.stdout.0',
    });
    const b = JSON.stringify({
      Offset: 12,
      Data: Buffer.from('world\n').toString('base64'),
      File: 'alloc/logs/app.stdout.0',
    });
    const stream = `{}${a}{}${b}{"File":"alloc/logs/app.stdout.0","FileEvent":"file truncated"}`;
    const frames = await collect(
      decodeFrames(chunks(stream.slice(0, 7), stream.slice(7, 40), stream.slice(40))),
    );
    expect(frames.map((f) => [f.Offset, f.Data.toString(), f.FileEvent])).toEqual([
      [0, 'he{l}lo "x"\n', undefined],
      [12, 'world\n', undefined],
      [0, '', 'file truncated'],
    ]);
  });

  it('reads newline-delimited JSON split anywhere', async () => {
    const lines = await collect(
      decodeLines<Record<string, number>>(chunks('{"a":1}\n{"a"', ':2}\n\n{"a":3}')),
    );
    expect(lines).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });
});

describe('client endpoints against the simulator', () => {
  let env: SimulatedNomad;
  let allocId: string;
  beforeEach(async () => {
    env = await startSimulatedNomad({ heartbeats: { framesMs: 20, eventsMs: 20 } });
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    runFor(env.sim, 20_000);
    allocId = (await env.nomad.jobs.allocations('web')).body[0]!.ID;
    env.sim.appendLog(allocId, 'app', 'stderr', 'warning: cache cold\nerror: upstream timeout\n');
  });
  afterEach(() => env.close());

  it('lists, stats, cats and reads files of an allocation', async () => {
    const root = (await env.nomad.clientFs.ls(allocId)).body;
    expect(root.map((e) => [e.Name, e.IsDir])).toEqual([
      ['alloc', true],
      ['app', true],
    ]);
    const logs = (await env.nomad.clientFs.ls(allocId, '/alloc/logs')).body.map((e) => e.Name);
    expect(logs).toEqual(['app.stderr.0', 'app.stdout.0']);
    const stat = (await env.nomad.clientFs.stat(allocId, 'alloc/logs/app.stderr.0')).body;
    expect(stat).toMatchObject({ Name: 'app.stderr.0', IsDir: false, Size: 44 });
    expect((await env.nomad.clientFs.cat(allocId, 'alloc/logs/app.stderr.0')).toString()).toBe(
      'warning: cache cold\nerror: upstream timeout\n',
    );
    expect((await env.nomad.clientFs.readAt(allocId, 'alloc/logs/app.stderr.0', 9, 10)).toString()).toBe(
      'cache cold',
    );
    await expect(env.nomad.clientFs.cat(allocId, 'nope')).rejects.toMatchObject({ status: 404 });
    await expect(env.nomad.clientFs.ls('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
      status: 404,
      body: 'Unknown allocation "00000000-0000-0000-0000-000000000000"',
    });
  });

  it('streams logs as frames, plain, and from the end', async () => {
    const frames = await collect(env.nomad.clientFs.logs(allocId, 'app', { type: 'stderr' }));
    expect(frames[0]).toMatchObject({ Offset: 0, File: 'alloc/logs/app.stderr.0' });
    expect(text(frames)).toBe('warning: cache cold\nerror: upstream timeout\n');
    expect((await env.nomad.clientFs.logsPlain(allocId, 'app', { type: 'stderr' })).toString()).toContain(
      'upstream timeout',
    );
    const tail = await collect(
      env.nomad.clientFs.logs(allocId, 'app', { type: 'stderr', origin: 'end', offset: 24 }),
    );
    expect(text(tail)).toBe('error: upstream timeout\n');
    expect(text(await collect(env.nomad.clientFs.logs(allocId, 'app')))).toContain('app: started');
  });

  it('follows a log: new lines arrive as frames, heartbeats are skipped, abort ends it', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      try {
        for await (const frame of env.nomad.clientFs.logs(allocId, 'app', {
          type: 'stderr',
          follow: true,
          signal: controller.signal,
        }))
          seen.push(frame.Data.toString());
      } catch {
        // aborted
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 80));
    env.sim.appendLog(allocId, 'app', 'stderr', 'fatal: out of memory\n');
    await new Promise((resolve) => setTimeout(resolve, 80));
    controller.abort();
    await done;
    expect(seen.join('')).toBe('warning: cache cold\nerror: upstream timeout\nfatal: out of memory\n');
  });

  it('streams an arbitrary file', async () => {
    const frames = await collect(
      env.nomad.clientFs.stream(allocId, 'alloc/logs/app.stderr.0', { offset: 20 }),
    );
    expect(text(frames)).toBe('error: upstream timeout\n');
  });

  it('rejects log requests without a valid type or task', async () => {
    await expect(collect(env.nomad.clientFs.logs(allocId, 'ghost'))).rejects.toMatchObject({ status: 404 });
    const response = await fetch(`${env.sim.address}/v1/client/fs/logs/${allocId}?task=app`);
    expect([response.status, await response.text()]).toEqual([400, 'must provide log type (stdout/stderr)']);
  });

  it('reads host stats and node metadata; sets and unsets dynamic metadata', async () => {
    const stats = (await env.nomad.node.stats()).body;
    expect(stats.CPU).toHaveLength(2);
    expect(stats.Memory.Total).toBeGreaterThan(0);
    expect((await env.nomad.node.metadata()).body).toEqual({
      Meta: { rack: 'r1' },
      Dynamic: {},
      Static: { rack: 'r1' },
    });
    const updated = await env.nomad.node.updateMetadata({ maintenance: 'true' });
    expect(updated.Dynamic).toEqual({ maintenance: 'true' });
    expect(updated.Meta).toEqual({ rack: 'r1', maintenance: 'true' });
    expect((await env.nomad.node.updateMetadata({ maintenance: null })).Dynamic).toEqual({});
    await env.nomad.node.gc();
    await expect(env.nomad.node.stats('not-a-node')).rejects.toMatchObject({ status: 404 });
  });

  it('needs node:write to change metadata when ACLs are on', async () => {
    env.sim.enableAcl();
    const reader = env.sim.createToken({ node: 'read' });
    const nomad = env.client({ token: reader.SecretID });
    await expect(nomad.node.metadata()).resolves.toBeDefined();
    await expect(nomad.node.updateMetadata({ a: 'b' })).rejects.toMatchObject({
      status: 403,
      capability: 'node:write',
    });
  });

  it('streams events for one job as an async iterator', async () => {
    const controller = new AbortController();
    const batches: EventBatch[] = [];
    const start = env.sim.ctx.store.index;
    const done = (async () => {
      try {
        for await (const batch of env.nomad.events.stream({
          topics: { Job: ['api'], Deployment: ['api'] },
          index: start + 1,
          signal: controller.signal,
        }))
          batches.push(batch);
      } catch {
        // aborted
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await env.nomad.jobs.register({ Job: serviceJob('api') });
    env.sim.advance(100);
    await new Promise((resolve) => setTimeout(resolve, 80));
    controller.abort();
    await done;
    const events = batches.flatMap((b) => b.Events);
    expect(events[0]).toMatchObject({
      Topic: 'Job',
      Type: 'JobRegistered',
      Key: 'api',
      Namespace: 'default',
    });
    expect(events.some((e) => e.Topic === 'Deployment' && e.Type === 'PlanResult')).toBe(true);
    expect(events.every((e) => e.Key === 'api' || (e.FilterKeys ?? []).includes('api'))).toBe(true);
  });

  it('reconnects a dropped event stream from the last index seen', async () => {
    const controller = new AbortController();
    const indexes: number[] = [];
    env.sim.addFault({ kind: 'cut', path: '/v1/event/stream', times: 1, afterMs: 30 });
    const done = (async () => {
      try {
        for await (const batch of env.nomad.events.stream({ topics: { Job: [] }, signal: controller.signal }))
          indexes.push(batch.Index);
      } catch {
        // aborted
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await env.nomad.jobs.register({ Job: serviceJob('late') });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await done;
    expect(env.sim.requests.filter((r) => r === 'GET /v1/event/stream').length).toBeGreaterThanOrEqual(2);
    expect(new Set(indexes).size).toBe(indexes.length);
    expect(indexes.at(-1)).toBe(env.sim.ctx.store.eventLog.at(-1)!.Index);
  });

  it('gives up an event stream it cannot have: an error status, or 200 and silence', async () => {
    const first = (options: Partial<Parameters<typeof env.nomad.events.stream>[0]> = {}) =>
      env.nomad.events.stream({ topics: { Job: [] }, firstLineMs: 50, ...options }).next();
    env.sim.addFault({
      kind: 'status',
      path: '/v1/event/stream',
      status: 403,
      body: 'Permission denied',
      times: 1,
    });
    await expect(first()).rejects.toThrow(
      new EventStreamUnavailableError('Nomad answered 403: Permission denied'),
    );
    env.sim.addFault({ kind: 'status', path: '/v1/event/stream', status: 404, body: '', times: 1 });
    await expect(first()).rejects.toThrow(
      /^the event stream is unavailable: .*HTTP 404 with an empty body: no such API path/,
    );
    env.sim.setEventBroker(false);
    await expect(first()).rejects.toThrow(
      /^the event stream is unavailable: Nomad sent nothing within 0.05s of accepting it/,
    );
  });
});
