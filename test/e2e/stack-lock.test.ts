import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, ROOT, runCli, startSimulatorProcess, type CliResult } from '../support/cli.js';

/** A service whose rollout takes ~3 s of real time on the simulator at 50× (min_healthy_time 150 s). */
const SLOW_JOB = (id: string, image = 'nginx:1') =>
  `job "${id}" {\n  group "g" {\n    update {\n      min_healthy_time = "150s"\n      healthy_deadline = "300s"\n      progress_deadline = "600s"\n    }\n    task "app" {\n      driver = "docker"\n      config {\n        image = "${image}"\n      }\n    }\n  }\n}\n`;

function project(stack: string, jobs: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-lock-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'drover.hcl'), `stack = "${stack}"\n`);
  for (const [id, text] of Object.entries(jobs)) writeFileSync(join(dir, `${id}.nomad.hcl`), text);
  return dir;
}

/** The first run's identity, as GitHub Actions gives it. */
const HOLDER_ENV = {
  GITHUB_ACTIONS: 'true',
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_RUN_ID: '41',
  GITHUB_ACTOR: 'ana',
};

describe('the stack lock: one run of a stack at a time', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let env: Record<string, string>;
  const control = (action: string, body: unknown = {}) =>
    fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) });
  const lockVariable = async (stack: string) =>
    (await (await fetch(`${sim.address}/v1/var/drover/stacks/${stack}/lock`)).json()) as {
      Items: Record<string, string>;
      Lock?: { ID: string };
    };
  /** Starts a run in the background; once it holds the stack's lock, gives the promise of its end. */
  const holdingRun = async (args: string[], stack: string) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/run.cjs'), ...args], {
      env: { ...cleanEnv(), ...env, ...HOLDER_ENV },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    let ended = false;
    const done = once(child, 'close').then(([code]) => {
      ended = true;
      return { code, stdout, stderr } as CliResult;
    });
    // A run that ends before it holds the lock (a refused job file) ends the wait too: the test then says why.
    while (!ended) {
      const response = await fetch(`${sim.address}/v1/var/drover/stacks/${stack}/lock`);
      if (response.ok && ((await response.json()) as { Lock?: unknown }).Lock) return { done };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { done };
  };
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address, CI: 'true' };
  });
  afterAll(() => sim.stop());

  it('refuses a second apply of a locked stack at once, naming the holder; with --lock-timeout it waits', async () => {
    const first = project('shop', { web: SLOW_JOB('web') });
    const second = project('shop', { web: SLOW_JOB('web'), api: SLOW_JOB('api') });
    const { done: running } = await holdingRun(['apply', first, '--auto-approve'], 'shop');
    expect((await lockVariable('shop')).Items).toMatchObject({
      holder: 'GitHub Actions acme/shop run 41 by ana',
      command: 'apply',
      drover_version: expect.any(String),
      url: expect.stringContaining('acme/shop/actions/runs/41'),
    });

    // plan takes no lock, but says who holds it.
    const planned = await runCli(['plan', second], env);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(
      /Notes:\n {2}· stack "shop" is locked by GitHub Actions acme\/shop run 41 by ana \(drover \S+ apply, since [^)]*\) https:\/\/github\.example\/acme\/shop\/actions\/runs\/41: an apply now fails \(or waits, with --lock-timeout\)/,
    );

    const refused = await runCli(['apply', second, '--auto-approve'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /Error: stack "shop" is locked by GitHub Actions acme\/shop run 41 by ana \(drover \S+ apply, since \d{4}-\d\d-\d\dT[\d:.]+Z, \d+s ago\)/,
    );
    expect(refused.stderr).toContain('--lock-timeout');
    expect((await fetch(`${sim.address}/v1/job/api`)).status).toBe(404);

    const waited = await runCli(['apply', second, '--auto-approve', '--lock-timeout', '1m'], env);
    const first_ = await running;
    expect(first_.code).toBe(0);
    expect(waited.code).toBe(0);
    expect(waited.stderr).toContain('warn: stack "shop" is locked by GitHub Actions acme/shop run 41');
    // Planned again once the lock was its own: web, created meanwhile by the first run, is unchanged now.
    expect(waited.stdout).toContain('Apply complete: 1 succeeded, 1 unchanged.');
    expect((await fetch(`${sim.address}/v1/job/api`)).status).toBe(200);
    expect((await lockVariable('shop')).Lock).toBeUndefined();
  }, 60_000);

  it('refuses a destroy beside an apply, leaving the jobs; --lock=false runs without the lock', async () => {
    const dir = project('side', { side: SLOW_JOB('side') });
    const { done: running } = await holdingRun(['apply', dir, '--auto-approve'], 'side');
    const destroy = await runCli(['destroy', dir, '--auto-approve'], env);
    expect(destroy.code).toBe(1);
    expect(destroy.stderr).toContain('Error: stack "side" is locked by GitHub Actions acme/shop run 41');
    expect(destroy.stdout).not.toContain('Destroy complete');
    expect((await running).code).toBe(0);
    expect((await fetch(`${sim.address}/v1/job/side`)).status).toBe(200);

    // A saved plan is applied under the lock too.
    const saved = join(dir, 'plan.json');
    expect((await runCli(['plan', dir, '--out', saved], env)).code).toBe(0);
    const { done: holding } = await holdingRun(
      ['apply', project('side', { side: SLOW_JOB('side', 'nginx:3') }), '--auto-approve'],
      'side',
    );
    const savedRefused = await runCli(['apply', saved, '--auto-approve'], env);
    expect(savedRefused.code).toBe(1);
    expect(savedRefused.stderr).toContain('Error: stack "side" is locked by GitHub Actions acme/shop run 41');
    expect((await holding).code).toBe(0);

    const { done: held } = await holdingRun(
      ['apply', project('side', { side: SLOW_JOB('side', 'nginx:2') }), '--auto-approve'],
      'side',
    );
    const reckless = await runCli(['destroy', dir, '--auto-approve', '--lock=false'], env);
    expect(reckless.code).toBe(0);
    expect(reckless.stdout).toContain('Destroy complete: 1 succeeded.');
    await held;
  }, 60_000);

  it('releases the lock when the run is stopped with SIGTERM', async () => {
    const dir = project('term', { term: SLOW_JOB('term') });
    const stopped = await runCli(['apply', dir, '--auto-approve'], env, /wave 1: term/, ROOT, 'SIGTERM');
    expect(stopped.code).toBe(143);
    expect((await lockVariable('term')).Lock).toBeUndefined();
    const history = JSON.parse((await runCli(['history', dir, '--json'], env)).stdout) as {
      records: Array<{ outcome: string }>;
    };
    expect(history.records.map((r) => r.outcome)).toEqual(['cancelled']);
  }, 60_000);

  it('says once that the lock was lost, and for each job that it stopped because of it', async () => {
    // Rollouts of ~12 s: the lock is renewed every 5 s, and the renewal after a force-unlock is refused.
    const slower = (id: string) =>
      SLOW_JOB(id).replace('"600s"', '"1200s"').replace('"300s"', '"900s"').replace('"150s"', '"600s"');
    const dir = project('lost', {
      'lost-a': slower('lost-a'),
      'lost-b': slower('lost-b'),
      'lost-c': slower('lost-c'),
    });
    const run = await holdingRun(['apply', dir, '--auto-approve'], 'lost');
    const held = await lockVariable('lost');
    await fetch(`${sim.address}/v1/var/drover/stacks/lost/lock?lock-release`, {
      method: 'PUT',
      body: JSON.stringify({ Lock: { ID: held.Lock!.ID } }),
    });
    const result = await run.done;
    expect(result.code).toBe(1);
    expect(result.stderr.match(/lost the lock/g)).toHaveLength(1);
    for (const job of ['lost-a', 'lost-b', 'lost-c']) {
      expect(result.stdout).toMatch(new RegExp(`\\n${job} +create +cancelled `));
      expect(result.stdout).toContain(
        `\n${job}: stopped waiting: the stack lock was lost (Nomad carries on)\n`,
      );
    }
    const history = JSON.parse((await runCli(['history', dir, '--json'], env)).stdout) as {
      records: Array<{ outcome: string }>;
    };
    expect(history.records.map((r) => r.outcome)).toEqual(['lock lost']);
  }, 60_000);

  it('force-unlock shows the holder, asks, and releases a lock a dead run left', async () => {
    const acquired = await fetch(`${sim.address}/v1/var/drover/stacks/left/lock?lock-acquire`, {
      method: 'PUT',
      body: JSON.stringify({
        Items: {
          holder: 'bo@laptop',
          command: 'apply',
          started: '2026-11-30T09:00:00.000Z',
          drover_version: '0.1.0',
        },
      }),
    });
    expect(acquired.status).toBe(200);
    const dir = project('left', { left: SLOW_JOB('left') });
    const refused = await runCli(['apply', dir, '--auto-approve'], env);
    expect(refused.stderr).toContain(
      'Error: stack "left" is locked by bo@laptop (drover 0.1.0 apply, since 2026-11-30T09:00:00.000Z',
    );

    const unasked = await runCli(['force-unlock', 'left'], env);
    expect(unasked.code).toBe(1);
    expect(unasked.stdout).toContain('Stack "left" is locked by bo@laptop');
    expect(unasked.stderr).toBe(
      'Error: refusing to release the lock without approval: there is no terminal to ask on\n' +
        'Hint: Make sure the run that holds it has ended, then run again with --force.\n',
    );
    expect((await lockVariable('left')).Lock).toBeDefined();

    const forced = await runCli(['force-unlock', 'left', '--force'], env);
    expect([forced.code, forced.stdout]).toEqual([
      0,
      expect.stringContaining('Released the lock of stack "left".'),
    ]);
    expect((await lockVariable('left')).Lock).toBeUndefined();
    const again = await runCli(['force-unlock', 'left', '--force'], env);
    expect(again.stdout).toBe('Stack "left" is not locked (drover/stacks/left/lock in namespace default).\n');
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
  }, 60_000);

  it('names the missing capability, or the missing API, and never runs unlocked without --lock=false', async () => {
    const dir = project('guarded', { guarded: SLOW_JOB('guarded') });
    await control('fault', {
      kind: 'status',
      method: 'PUT',
      path: '^/v1/var/',
      status: 404,
      body: '',
      times: 1,
    });
    const old = await runCli(['apply', dir, '--auto-approve'], env);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('has no variables API for the stack lock');
    expect(old.stderr).toContain('--lock=false');
    expect((await fetch(`${sim.address}/v1/job/guarded`)).status).toBe(404);

    // Nomad 1.4–1.6 has variables but no locks: it ignores ?lock-acquire and writes the variable, lock-less.
    await control('fault', {
      kind: 'status',
      method: 'PUT',
      path: '^/v1/var/',
      status: 200,
      body: JSON.stringify({
        Namespace: 'default',
        Path: 'drover/stacks/guarded/lock',
        Items: { holder: 'x' },
        CreateIndex: 50,
        ModifyIndex: 50,
        CreateTime: 1,
        ModifyTime: 1,
      }),
      times: 1,
    });
    const lockless = await runCli(['apply', dir, '--auto-approve'], env);
    expect(lockless.code).toBe(1);
    expect(lockless.stderr).toContain(
      'took no lock: it has no variable locks (Nomad 1.7 and later have them)',
    );
    expect((await fetch(`${sim.address}/v1/job/guarded`)).status).toBe(404);

    const management = (await (await control('acl')).json()) as { SecretID: string };
    const deployer = (await (
      await control('token', { name: 'deployer', namespaces: { default: { policy: 'write' } } })
    ).json()) as { SecretID: string };
    const forbidden = await runCli(['apply', dir, '--auto-approve'], {
      ...env,
      NOMAD_TOKEN: deployer.SecretID,
    });
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain('the token may not use the stack lock drover/stacks/guarded/lock');
    expect(forbidden.stderr).toContain('variables capabilities "write" and "read" on path "drover/stacks/*"');
    expect(forbidden.stderr).not.toContain(deployer.SecretID);
    const headers = { 'X-Nomad-Token': management.SecretID };
    expect((await fetch(`${sim.address}/v1/job/guarded`, { headers })).status).toBe(404);

    const unlocked = await runCli(['apply', dir, '--auto-approve', '--lock=false'], {
      ...env,
      NOMAD_TOKEN: deployer.SecretID,
    });
    expect(unlocked.code).toBe(0);
    const granted = (await (
      await control('token', {
        name: 'deployer with variables',
        namespaces: { default: { policy: 'write', variables: { 'drover/stacks/*': ['write', 'read'] } } },
      })
    ).json()) as { SecretID: string };
    const locked = await runCli(['destroy', dir, '--auto-approve'], {
      ...env,
      NOMAD_TOKEN: granted.SecretID,
    });
    expect(locked.code).toBe(0);
  }, 60_000);
});
