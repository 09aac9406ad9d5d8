import { jobAddress } from '../../../src/kinds/job/change.js';
import { namespaceAddress } from '../../../src/kinds/namespace/change.js';
import { variableAddress } from '../../../src/kinds/variable/change.js';
import { jobLogs } from '../../../src/actions/job-logs.js';
import type { ApplyEvent, ApplyResult } from '../../../src/apply/apply-plan.js';
import { renderApplySummary } from '../../../src/render/apply-summary.js';
import { LiveLines, TransitionLines } from '../../../src/render/progress.js';
import {
  runFor,
  serviceJob,
  startSimulatedNomad,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

const job = (name: string) => jobAddress('default', 'default', name);

const deployment: ApplyEvent = {
  type: 'watch',
  address: job('api'),
  event: {
    type: 'deployment',
    job: 'api',
    deploymentId: '7a94e2a3-0000-0000-0000-000000000000',
    version: 3,
    status: 'running',
    description: 'Deployment is running but requires manual promotion',
    groups: [
      {
        group: 'web',
        desired: 3,
        placed: 1,
        healthy: 1,
        unhealthy: 0,
        canaries: 1,
        desiredCanaries: 1,
        promoted: false,
      },
    ],
  },
};

describe('apply output', () => {
  it('prints one timestamped line per transition for CI', () => {
    const at = new Date('2026-11-22T12:00:05.123Z');
    const lines = new TransitionLines();
    const lineFor = (event: ApplyEvent, now: Date) => lines.line(event, now);
    expect(lineFor({ type: 'wave', wave: 0, changes: [job('redis'), job('api')] }, at)).toBe(
      '2026-11-22T12:00:05Z wave 1: redis, api',
    );
    expect(lineFor({ type: 'registered', address: job('api'), evalId: '460fdf39-aaaa' }, at)).toBe(
      '2026-11-22T12:00:05Z api: registered (evaluation 460fdf39)',
    );
    expect(lineFor(deployment, at)).toBe(
      '2026-11-22T12:00:05Z api: deployment 7a94e2a3 running: web 1/3 healthy, canaries 1/1',
    );
    expect(
      lineFor(
        {
          type: 'watch',
          address: job('api'),
          event: { type: 'reverting', job: 'api', toVersion: 3, by: 'nomad' },
        },
        at,
      ),
    ).toBe('2026-11-22T12:00:05Z api: Nomad is rolling back to version 3');
  });

  it('shows allocations placed but not yet healthy, and drops a line that would repeat the one before', () => {
    const lines = new TransitionLines();
    const at = new Date('2026-11-22T12:00:05Z');
    const rolling = (placed: number, healthy: number, description: string): ApplyEvent => ({
      type: 'watch',
      address: job('api'),
      event: {
        type: 'deployment',
        job: 'api',
        deploymentId: '4befbba2-0000-0000-0000-000000000000',
        version: 1,
        status: 'running',
        description,
        groups: [
          {
            group: 'api',
            desired: 2,
            placed,
            healthy,
            unhealthy: 0,
            canaries: 0,
            desiredCanaries: 0,
            promoted: false,
          },
        ],
      },
    });
    const printed = [
      rolling(1, 0, 'Deployment is running'),
      rolling(1, 1, 'Deployment is running'),
      rolling(2, 1, 'Deployment is running'),
      rolling(2, 1, 'Deployment is running pending automatic promotion'),
      rolling(2, 2, 'Deployment is running'),
    ].map((event) => lines.line(event, at));
    expect(printed).toEqual([
      '2026-11-22T12:00:05Z api: deployment 4befbba2 running: api 0/2 healthy, 1 placed',
      '2026-11-22T12:00:05Z api: deployment 4befbba2 running: api 1/2 healthy',
      '2026-11-22T12:00:05Z api: deployment 4befbba2 running: api 1/2 healthy, 2 placed',
      undefined,
      '2026-11-22T12:00:05Z api: deployment 4befbba2 running: api 2/2 healthy',
    ]);
  });

  it('redraws one live line per job on a terminal, with elapsed time', () => {
    let now = 0;
    const live = new LiveLines(() => now);
    const first = live.update({ type: 'registered', address: job('api'), evalId: 'e' })!;
    expect(first).toBe(
      '\u001b[2K\u001b[1mapi\u001b[22m  \u001b[36mregistered (evaluation e)\u001b[39m\u001b[90m  0s\u001b[39m\n',
    );
    now = 4000;
    const second = live.update(deployment)!;
    expect(second.startsWith('\u001b[1A\u001b[2K')).toBe(true);
    expect(second).toContain('deployment 7a94e2a3 running: web 1/3 healthy, canaries 1/1');
    expect(second).toContain('  4s');
  });

  it('ends with a summary per job and why failures failed', () => {
    const result: ApplyResult = {
      ok: false,
      cancelled: false,
      results: [
        {
          address: job('redis'),
          action: 'create',
          outcome: 'succeeded',
          message: 'Deployment completed successfully',
          version: 0,
          deploymentId: '4acf128f-1111',
          durationMs: 12_340,
          explanation: [],
        },
        {
          address: job('api'),
          action: 'update',
          outcome: 'failed',
          message: 'Failed due to unhealthy allocations',
          version: 3,
          deploymentId: '7a94e2a3-2222',
          durationMs: 61_000,
          explanation: ['allocation 1a2b3c4d (api.web[0]) failed:', '  task "app": exited with code 1'],
        },
        {
          address: job('web'),
          action: 'update',
          outcome: 'not-run',
          message: 'not started: api did not succeed',
          durationMs: 0,
          explanation: [],
        },
        {
          address: job('cache'),
          action: 'noop',
          outcome: 'unchanged',
          message: 'unchanged',
          durationMs: 0,
          explanation: [],
        },
      ],
    };
    expect(renderApplySummary(result)).toBe(
      [
        'JOB    ACTION  OUTCOME    VERSION  DEPLOYMENT  DURATION',
        'redis  create  succeeded  0        4acf128f    12.3s',
        'api    update  failed     3        7a94e2a3    61.0s',
        'web    update  not-run    -        -           -',
        '',
        'api: Failed due to unhealthy allocations',
        '  allocation 1a2b3c4d (api.web[0]) failed:',
        '    task "app": exited with code 1',
        '',
        'web: not started: api did not succeed',
        '',
        'Apply FAILED: 1 succeeded, 1 failed, 1 not run, 1 unchanged.',
      ].join('\n'),
    );
  });

  it('names an object of another kind by its noun, then its namespace and name, as drift and history do', () => {
    const done = (address: ApplyResult['results'][number]['address']) => ({
      address,
      action: 'create' as const,
      outcome: 'succeeded' as const,
      message: 'created',
      durationMs: 0,
      explanation: [],
    });
    const summary = renderApplySummary({
      ok: true,
      cancelled: false,
      results: [
        done(namespaceAddress('default', 'payments')),
        done(variableAddress('default', 'payments', 'nomad/jobs/api')),
        done(variableAddress('default', 'default', 'nomad/jobs/web')),
        done(jobAddress('default', 'payments', 'api')),
      ],
    });
    expect(summary.split('\n').slice(0, 5)).toEqual([
      'OBJECT                            ACTION  OUTCOME    VERSION  DEPLOYMENT  DURATION',
      'namespace payments                create  succeeded  -        -           -',
      'variable payments/nomad/jobs/api  create  succeeded  -        -           -',
      'variable nomad/jobs/web           create  succeeded  -        -           -',
      'payments/api                      create  succeeded  -        -           -',
    ]);
  });
});

describe('drover logs (jobLogs)', () => {
  let env: SimulatedNomad;
  let alloc: string;
  beforeEach(async () => {
    env = await startSimulatedNomad({ heartbeats: { framesMs: 20 } });
    await env.nomad.jobs.register({ Job: serviceJob('api', {}, { Count: 1 }) });
    runFor(env.sim, 20_000);
    alloc = (await env.nomad.jobs.allocations('api')).body[0]!.ID;
    env.sim.appendLog(alloc, 'app', 'stderr', 'one\ntwo\nthree\n');
  });
  afterEach(() => env.close());

  const collect = async (options: Partial<Parameters<typeof jobLogs>[0]>) => {
    const chunks: Buffer[] = [];
    const where = await jobLogs({
      connect: () => env.nomad,
      env: {},
      job: 'api',
      write: (c) => chunks.push(c),
      ...options,
    });
    return { ...where, text: Buffer.concat(chunks).toString() };
  };

  it("reads the newest running allocation's only task, stdout or stderr, whole or its last lines", async () => {
    expect(await collect({ stderr: true })).toEqual({ alloc, task: 'app', text: 'one\ntwo\nthree\n' });
    expect((await collect({ stderr: true, tail: 2 })).text).toBe('two\nthree\n');
    expect((await collect({})).text).toBe('app: started (simulated service task, version 0)\n');
  });

  it('follows new lines until stopped', async () => {
    const controller = new AbortController();
    const chunks: string[] = [];
    const following = jobLogs({
      connect: () => env.nomad,
      env: {},
      job: 'api',
      stderr: true,
      follow: true,
      signal: controller.signal,
      write: (c) => chunks.push(c.toString()),
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 60));
    env.sim.appendLog(alloc, 'app', 'stderr', 'four\n');
    await new Promise((resolve) => setTimeout(resolve, 60));
    controller.abort();
    await following;
    expect(chunks.join('')).toBe('one\ntwo\nthree\nfour\n');
  });

  it('prints nothing for the last lines of an empty log, or for --tail 0', async () => {
    expect(await collect({ tail: 3 })).toEqual({
      alloc,
      task: 'app',
      text: 'app: started (simulated service task, version 0)\n',
    });
    env.sim.appendLog(alloc, 'app', 'stderr', 'four');
    expect((await collect({ stderr: true, tail: 1 })).text).toBe('four');
    expect((await collect({ stderr: true, tail: 0 })).text).toBe('');
    await env.nomad.jobs.register({ Job: serviceJob('quiet', {}, { Count: 1 }) });
    runFor(env.sim, 20_000);
    expect((await collect({ job: 'quiet', stderr: true, tail: 3 })).text).toBe('');
  });

  it('says a job Nomad does not have does not exist, and a job without allocations has none', async () => {
    await expect(collect({ job: 'nosuch' })).rejects.toThrow(
      'job nosuch does not exist in namespace default',
    );
    await expect(collect({ job: 'nosuch', alloc: 'ffff' })).rejects.toThrow(
      'job nosuch does not exist in namespace default',
    );
    await env.nomad.jobs.register({ Job: serviceJob('idle', {}, { Count: 0 }) });
    await expect(collect({ job: 'idle' })).rejects.toThrow('job idle has no allocations');
  });

  it('names what is missing: an allocation, a task', async () => {
    await expect(collect({ alloc: 'ffff' })).rejects.toThrow('job api has no allocation ffff');
    await expect(collect({ task: 'nope' })).rejects.toThrow(
      `allocation ${alloc.slice(0, 8)} has no task "nope" (it runs app)`,
    );
  });
});
