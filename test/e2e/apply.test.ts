import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

const JOB = (id: string, image: string, extra = '') =>
  `job "${id}" {\n  group "g" {\n    count = 2\n    task "app" {\n      driver = "docker"\n      config {\n        image = "${image}"\n      }\n    }\n${extra}  }\n}\n`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-apply-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('drover apply, status, logs and destroy, as a user runs them', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let env: Record<string, string>;
  const control = (action: string, body: unknown = {}) =>
    fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) });
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address, CI: 'true' };
  });
  afterAll(() => sim.stop());
  const requestCount = async () => ((await (await control('requests')).json()) as { count: number }).count;

  it('refuses to apply without a terminal unless --auto-approve, sending nothing', async () => {
    const dir = project({
      'drover.hcl': 'stack = "refused"\n',
      'web.nomad.hcl': JOB('refused-web', 'nginx:1'),
    });
    const result = await runCli(['apply', dir], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete.');
    expect(result.stderr).toContain(
      'Error: refusing to apply without approval: there is no terminal to ask on',
    );
    expect((await fetch(`${sim.address}/v1/job/refused-web`)).status).toBe(404);
  });

  it('applies a project, prints timestamped transitions in CI and a summary; status and logs then show it', async () => {
    const dir = project({
      'drover.hcl': 'stack = "shop"\n\njob "api" {\n  depends_on = ["redis"]\n}\n',
      'redis.nomad.hcl': JOB('redis', 'redis:7'),
      'api.nomad.hcl': JOB('api', 'example/api:1'),
    });
    const result = await runCli(['apply', dir, '--auto-approve'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ wave 1: redis$/),
        expect.stringMatching(/Z api: succeeded: Deployment completed successfully$/),
      ]),
    );
    expect(result.stdout.indexOf('wave 1: redis')).toBeLessThan(result.stdout.indexOf('wave 2: api'));
    expect(result.stdout).toMatch(
      /JOB {4}ACTION {2}OUTCOME {4}VERSION {2}DEPLOYMENT {2}DURATION\nredis {2}create {2}succeeded {2}0 {8}[0-9a-f]{8} {4}\d+\.\ds\napi {4}create {2}succeeded {2}0 {8}[0-9a-f]{8} {4}\d+\.\ds\n\nApply complete: 2 succeeded\.\n$/,
    );

    const status = await runCli(['status', dir], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      /^Stack "shop":\nJOB +TYPE +STATUS +VERSION +DEPLOYMENT +RUNNING +HEALTHY +FAILED +CPU +MEMORY\napi +service +running +0 +[0-9a-f]{8} successful +2 +2 +0 +\d+\.\d% +\d+ MiB\nredis/,
    );
    const statusJson = JSON.parse((await runCli(['status', dir, '--json'], env)).stdout) as {
      jobs: Array<{ id: string; usage: unknown }>;
    };
    // Every JSON output of drover names its keys in snake_case.
    const keys = (v: unknown): string[] =>
      v !== null && typeof v === 'object'
        ? Object.entries(v).flatMap(([k, x]) => [...(Array.isArray(v) ? [] : [k]), ...keys(x)])
        : [];
    expect(keys(statusJson).filter((k) => !/^[a-z]+(_[a-z]+)*$/.test(k))).toEqual([]);
    expect(statusJson.jobs.find((j) => j.id === 'api')!.usage).toEqual({
      cpu_percent: expect.any(Number),
      memory_bytes: expect.any(Number),
    });
    const logs = await runCli(['logs', 'api', '--tail', '1'], env);
    expect([logs.code, logs.stdout]).toEqual([0, 'app: started (simulated service task, version 0)\n']);
    expect(await runCli(['logs', 'api', '--stderr', '--tail', '3'], env)).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(await runCli(['logs', 'nosuch'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error: job nosuch does not exist in namespace default\nHint: drover status lists the jobs of the stack.\n',
    });
  });

  it('shares a --var between job files (each takes what it declares) and runs one job at a time with --parallelism 1, followed over the event stream by default', async () => {
    const dir = project({
      'drover.hcl': 'stack = "serial"\n',
      'one.nomad.hcl': `variable "image" {}\n\n${JOB('serial-one', '${var.image}')}`,
      'two.nomad.hcl': JOB('serial-two', 'redis:7'),
    });
    const result = await runCli(
      [
        'apply',
        dir,
        '--auto-approve',
        '--parallelism',
        '1',
        '--var',
        'image=nginx:2',
        '--log-level',
        'debug',
      ],
      env,
    );
    expect(result.code).toBe(0);
    const firstDone = result.stdout.indexOf('serial-one: succeeded');
    const secondRegistered = result.stdout.indexOf('serial-two: registered');
    expect(firstDone).toBeGreaterThan(0);
    expect(secondRegistered).toBeGreaterThan(firstDone);
    expect(result.stderr.match(/GET \/v1\/event\/stream/g)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/GET \/v1\/deployment\/\S+[?&]index=/);
    const job = (await (await fetch(`${sim.address}/v1/job/serial-one`)).json()) as {
      TaskGroups: { Tasks: { Config: { image: string } }[] }[];
    };
    expect(job.TaskGroups[0]!.Tasks[0]!.Config.image).toBe('nginx:2');
  });

  it('applies a saved plan later, as it is, and refuses it once the job changed', async () => {
    const dir = project({ 'web.nomad.hcl': JOB('saved', 'nginx:1') });
    const out = join(dir, 'plan.json');
    expect((await runCli(['plan', dir, '--stack', 'saved', '--out', out], env)).code).toBe(0);
    const applied = await runCli(['apply', out, '--auto-approve'], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 1 succeeded.');
    const again = await runCli(['apply', out, '--auto-approve'], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('saved: job saved changed since the plan (it exists now); run plan again');
  });

  it('stops waiting on Ctrl-C, says where each job stands and exits 130; Nomad keeps the job', async () => {
    await control('script', { job: 'stuck', kind: 'unhealthy' });
    const dir = project({
      'drover.hcl': 'stack = "stuck"\n\njob "later" {\n  depends_on = ["stuck"]\n}\n',
      'stuck.nomad.hcl': JOB('stuck', 'example/stuck:1'),
      'later.nomad.hcl': JOB('later', 'example/later:1'),
    });
    const result = await runCli(['apply', dir, '--auto-approve'], env, /stuck: deployment \w+ running/);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain(
      'Stopping: no more jobs will be started; Nomad carries on with what it has.',
    );
    expect(result.stdout).toMatch(
      /\nstuck +create +cancelled +0 +[0-9a-f]{8} +\d+\.\ds\nlater +create +not-run /,
    );
    expect((await fetch(`${sim.address}/v1/job/stuck`)).status).toBe(200);
    expect((await fetch(`${sim.address}/v1/job/later`)).status).toBe(404);
  });

  it('on SIGTERM stops the same way, reports the cancelled job as cancelled, and exits 143', async () => {
    await control('script', { job: 'stuck-term', kind: 'unhealthy' });
    const dir = project({
      'drover.hcl': 'stack = "stuck-term"\n\njob "after-term" {\n  depends_on = ["stuck-term"]\n}\n',
      'stuck.nomad.hcl': JOB('stuck-term', 'example/stuck:1'),
      'later.nomad.hcl': JOB('after-term', 'example/later:1'),
    });
    const result = await runCli(
      ['apply', dir, '--auto-approve'],
      env,
      /stuck-term: deployment \w+ running/,
      undefined,
      'SIGTERM',
    );
    expect(result.code).toBe(143);
    expect(result.stdout).toMatch(/Z stuck-term: cancelled: stopped waiting \(Nomad carries on\)\n/);
    expect(result.stdout).toContain('\nstuck-term: stopped waiting (Nomad carries on)\n');
    expect(result.stdout).not.toMatch(/stopped waiting: stopped waiting/);
    expect(result.stdout).toMatch(/\nstuck-term +create +cancelled +/);
    expect(result.stdout).toMatch(/\nafter-term +create +not-run +/);
    expect(result.stdout).toContain('\nafter-term: cancelled before it started\n');
    expect(result.stdout).not.toContain('did not succeed');
  });

  it('exits 1 with the failure explained when a deployment fails', async () => {
    await control('script', {
      job: 'broken',
      kind: 'driver-failure',
      message: 'image not found: example/broken:1',
      stderr: ['fatal: no such image'],
    });
    const dir = project({ 'web.nomad.hcl': JOB('broken', 'example/broken:1') });
    const result = await runCli(['apply', dir, '--stack', 'broken', '--auto-approve', '--json'], env);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document.ok).toBe(false);
    expect(document.jobs[0]).toMatchObject({
      id: 'broken',
      action: 'create',
      outcome: 'failed',
      message: 'Failed due to unhealthy allocations',
    });
    expect(document.jobs[0].explanation.join('\n')).toContain(
      'driver failure: image not found: example/broken:1',
    );
    expect(document.jobs[0].explanation.join('\n')).toContain('fatal: no such image');
  });

  it('destroys the stack, dependents first (--watch blocking)', async () => {
    const dir = project({
      'drover.hcl': 'stack = "doomed"\n\njob "front" {\n  depends_on = ["back"]\n}\n',
      'back.nomad.hcl': JOB('back', 'x:1'),
      'front.nomad.hcl': JOB('front', 'x:1'),
    });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    const unasked = await runCli(['destroy', dir], env);
    expect(unasked.code).toBe(1);
    expect(unasked.stdout).toContain('Plan: 0 to create, 0 to update, 2 to delete.');
    expect(unasked.stderr).toBe(
      'Error: refusing to destroy without approval: there is no terminal to ask on\n' +
        'Hint: Review the jobs above, then run again with --auto-approve.\n',
    );
    expect((await fetch(`${sim.address}/v1/job/front`)).status).toBe(200);
    const result = await runCli(['destroy', dir, '--auto-approve', '--purge', '--watch', 'blocking'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^drover destroy \(stack doomed, namespace default, /);
    expect(result.stdout.indexOf('front: purging')).toBeLessThan(result.stdout.indexOf('back: purging'));
    expect(result.stdout).toMatch(/\n\nDestroy complete: 2 succeeded\.\n$/);
    expect((await fetch(`${sim.address}/v1/job/front`)).status).toBe(404);
  });

  it('follows with blocking queries, saying so on stderr only, when the event stream is refused (apply --json, destroy)', async () => {
    const dir = project({
      'drover.hcl': 'stack = "nobroker"\n',
      'web.nomad.hcl': JOB('nobroker-web', 'x:1').replace(
        'driver = "docker"',
        'driver = "docker"\n      kill_timeout = "4m"',
      ),
    });
    await control('event-broker', { enabled: false });
    try {
      const applied = await runCli(['apply', dir, '--auto-approve', '--json'], env);
      expect(applied.code).toBe(0);
      expect(JSON.parse(applied.stdout)).toMatchObject({
        ok: true,
        jobs: [{ id: 'nobroker-web', outcome: 'succeeded' }],
      });
      const fallback =
        /^warn: the event stream is unavailable: .*; following the jobs with blocking queries instead$/m;
      expect(applied.stderr).toMatch(fallback);
      // Tasks that take their kill timeout (4m of simulated time, ~5 s here) keep the destroy waiting past the
      // stream's first-line wait; a stop quicker than that would end before the refusal is known.
      await control('script', { job: 'nobroker-web', kind: 'slow-stop' });
      const destroyed = await runCli(['destroy', dir, '--auto-approve'], env);
      expect(destroyed.stdout).toMatch(/Destroy complete: 1 succeeded\.\n$/);
      expect(destroyed.stderr).toMatch(fallback);
      expect(destroyed.code).toBe(0);
    } finally {
      await control('event-broker', { enabled: true });
    }
  });

  it('refuses a --timeout that is not a duration before it sends anything', async () => {
    const before = await requestCount();
    const result = await runCli(['destroy', '--stack', 'shop', '--timeout', 'soon', '--auto-approve'], env);
    expect([result.code, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toBe(
      'Error: --timeout soon: not a duration\nHint: Use a duration such as 90s, 10m or 1h (0s: no bound).\n',
    );
    expect(await requestCount()).toBe(before);
  });
});
