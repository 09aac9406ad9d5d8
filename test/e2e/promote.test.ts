import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

const JOB = (image: string, id = 'web') =>
  `job "${id}" {\n  update {\n    canary = 1\n  }\n  group "g" {\n    count = 2\n    task "app" {\n      driver = "docker"\n      config {\n        image = "${image}"\n      }\n    }\n  }\n}\n`;

describe('canaries waiting for promotion, outside an apply', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address, CI: 'true' };
  });
  afterAll(() => sim.stop());

  it('status and plan name the waiting deployment; promote promotes it and waits; then nothing waits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-promote-'));
    writeFileSync(join(dir, 'drover.hcl'), 'stack = "canary"\n');
    writeFileSync(join(dir, 'web.nomad.hcl'), JOB('example/app:1'));
    const cli = (args: string[]) => runCli(args, env, undefined, dir);
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    writeFileSync(join(dir, 'web.nomad.hcl'), JOB('example/app:2'));
    const waiting = await cli(['apply', '--auto-approve']);
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toMatch(/web +update +promotion-ready/);

    const since = /canaries healthy, waiting for promotion since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/;
    const status = await cli(['status']);
    expect(status.stdout).toMatch(/\nweb +service +running +1 +[0-9a-f]{8} promotion-ready /);
    expect(status.stdout).toMatch(new RegExp(`\\n\\nweb: ${since.source}: drover promote web\\n$`));
    const json = JSON.parse((await cli(['status', '--json'])).stdout) as {
      jobs: Array<{ deployment: { waiting_for_promotion_since: string | null } }>;
    };
    expect(json.jobs[0]!.deployment.waiting_for_promotion_since).toMatch(/^\d{4}-\d\d-\d\dT/);

    // The files are unchanged: nothing to do (as Nomad 2.0.5 plans it), but the plan says what waits.
    const plan = await cli(['plan']);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.stdout).toMatch(new RegExp(`Notes:\n  · web: ${since.source}: drover promote web\n`));

    const unknown = await cli(['promote', 'nope']);
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      'Error: nope: not a job of stack "canary"\nHint: The stack\'s jobs: web.\n',
    ]);

    // Promote runs as apply does: under the stack's lock (a held lock refuses it), with apply's progress.
    const lock = await fetch(`${sim.address}/v1/var/drover/stacks/canary/lock?lock-acquire`, {
      method: 'PUT',
      body: JSON.stringify({
        Items: { holder: 'bo@laptop', command: 'apply', started: '2026-12-02T09:00:00.000Z' },
      }),
    });
    expect(lock.status).toBe(200);
    const locked = await cli(['promote']);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('Error: stack "canary" is locked by bo@laptop');
    expect((await cli(['force-unlock', 'canary', '--force'])).code).toBe(0);
    expect((await cli(['status'])).stdout).toMatch(
      /\nweb +service +running +1 +[0-9a-f]{8} promotion-ready /,
    );

    const promoted = await cli(['promote']);
    expect(promoted.stderr).toBe('');
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(
      /^\S+ wave 1: web\n\S+ web: deployment [0-9a-f]{8} running: g 1\/2 healthy, canaries 1\/1\n/,
    );
    expect(promoted.stdout).toMatch(/\n\S+ web: promoting canaries of deployment [0-9a-f]{8}\n/);
    expect(promoted.stdout).toMatch(
      /\n\S+ web: succeeded: Deployment completed successfully\n\nJOB +ACTION +OUTCOME +VERSION +DEPLOYMENT +DURATION\nweb +promote +succeeded +1 +[0-9a-f]{8} +\d+\.\ds\n\nPromote complete: 1 succeeded\.\n$/,
    );
    const history = JSON.parse((await cli(['history', '--json'])).stdout) as {
      records: Array<{ command: string; outcome: string; jobs: unknown[] }>;
    };
    expect(history.records[0]).toMatchObject({
      command: 'promote',
      outcome: 'succeeded',
      jobs: [{ id: 'web', action: 'promote', outcome: 'succeeded', version: 1 }],
    });
    expect((await cli(['status'])).stdout).toMatch(/\nweb +service +running +1 +[0-9a-f]{8} successful /);

    expect(await cli(['promote'])).toMatchObject({
      code: 0,
      stdout: 'Nothing to promote: no deployment of stack "canary" waits for promotion.\n',
    });
    const named = await cli(['promote', 'web']);
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(
      /^Error: web: no deployment waits for promotion \(latest: [0-9a-f]{8} successful\)\n/,
    );
  }, 60_000);

  it('promote --namespace keeps the run under the lock and in the history of that namespace, as apply does', async () => {
    await fetch(`${sim.address}/__sim/namespace`, { method: 'POST', body: JSON.stringify({ name: 'ops' }) });
    const dir = mkdtempSync(join(tmpdir(), 'drover-promote-ns-'));
    writeFileSync(join(dir, 'drover.hcl'), 'stack = "ops-canary"\n');
    const cli = (args: string[]) => runCli([...args, '--namespace', 'ops'], env, undefined, dir);
    writeFileSync(join(dir, 'worker.nomad.hcl'), JOB('example/app:1', 'worker'));
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    writeFileSync(join(dir, 'worker.nomad.hcl'), JOB('example/app:2', 'worker'));
    expect((await cli(['apply', '--auto-approve'])).stdout).toMatch(/worker +update +promotion-ready/);

    const promoted = await cli(['promote']);
    expect([promoted.code, promoted.stderr]).toEqual([0, '']);
    const history = JSON.parse((await cli(['history', '--json'])).stdout) as {
      namespace: string;
      records: Array<{ command: string }>;
    };
    expect(history.namespace).toBe('ops');
    expect(history.records.map((r) => r.command)).toEqual(['promote', 'apply', 'apply']);
  }, 60_000);

  it('apply --auto-promote promotes a waiting deployment of an unchanged job, fresh or from a saved plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-autopromote-'));
    writeFileSync(join(dir, 'drover.hcl'), 'stack = "auto"\n');
    const cli = (args: string[]) => runCli(args, env, undefined, dir);
    const waitFor = async (image: string) => {
      writeFileSync(join(dir, 'front.nomad.hcl'), JOB(image, 'front'));
      const applied = await cli(['apply', '--auto-approve']);
      expect(applied.stdout).toMatch(/front +update +promotion-ready/);
    };
    writeFileSync(join(dir, 'front.nomad.hcl'), JOB('example/app:1', 'front'));
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    await waitFor('example/app:2');

    // Without --auto-promote, an unchanged job is no change.
    expect((await cli(['apply', '--auto-approve'])).stdout).toContain('No changes.');
    const promoted = await cli(['apply', '--auto-approve', '--auto-promote', '--no-color']);
    expect(promoted.stderr).toBe('');
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(
      / {2}# front will be promoted \(unchanged; its canaries are healthy and wait\) {2}\[wave 1\]\n {2}↑ job "front" {2}front\.nomad\.hcl\n {6}deployment [0-9a-f]{8}: promote every canary group\n/,
    );
    expect(promoted.stdout).toContain('Plan: 0 to create, 0 to update, 1 to promote, 0 to delete.');
    expect(promoted.stdout).toMatch(/\nfront +promote +succeeded +1 +[0-9a-f]{8} /);
    expect(promoted.stdout).toContain('Apply complete: 1 succeeded.');
    expect((await cli(['status'])).stdout).toMatch(/\nfront +service +running +1 +[0-9a-f]{8} successful /);

    // A plan saved while the deployment waited: apply --auto-promote promotes it too.
    await waitFor('example/app:3');
    const out = join(dir, 'saved.plan');
    expect((await cli(['plan', '--out', out])).stdout).toContain('No changes.');
    const fromSaved = await cli(['apply', out, '--auto-approve', '--auto-promote']);
    expect(fromSaved.code).toBe(0);
    expect(fromSaved.stdout).toMatch(/\nfront +promote +succeeded +2 +[0-9a-f]{8} /);
    expect((await cli(['apply', '--auto-approve', '--auto-promote'])).stdout).toContain('No changes.');
  }, 60_000);
});
