import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenHeader } from '../support/api-shapes.js';
import { runCli } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';
import { sleepingService, stackProject } from './projects.js';

/** The commands users reach for beside plan and apply, against a real agent: full specs, promote, rollback, destroy plans. */
describe('drover against a real Nomad agent: new jobs in full, promote, rollback, destroy as a plan', () => {
  let agent: NomadAgent;
  let env: Record<string, string>;
  beforeAll(async () => {
    agent = await startNomadAgent();
    env = { ...agent.env };
  }, 120_000);
  afterAll(() => agent?.stop());

  it("shows a new job in full from Nomad's plan endpoint, its secret masked; --compact as one line per group", async () => {
    const dir = stackProject('full', {
      'web.nomad.hcl': sleepingService('web', { env: { API_TOKEN: 's3cr3t' } }),
    });
    const text = await runCli(['plan', dir, '--no-color'], env);
    expect(text.code).toBe(0);
    for (const line of [
      '      + Priority: "50"',
      '      + group "g"  (1 to place)',
      '          + Count: "1"  (forces create)',
      '          + task "t"  (forces create)',
      '              + Driver: "raw_exec"',
      '              + Env[API_TOKEN]: "(sensitive)"',
      '                  + command: "/bin/sleep"',
    ])
      expect(text.stdout.split('\n')).toContain(line);
    expect(text.stdout).not.toContain('s3cr3t');
    const json = JSON.parse((await runCli(['plan', dir, '--json'], env)).stdout) as {
      changes: Array<{ diff: { Type: string } | null }>;
    };
    expect(json.changes[0]!.diff!.Type).toBe('Added');
    expect((await runCli(['plan', dir, '--compact', '--no-color'], env)).stdout).toContain(
      '      + group "g": count 1, tasks t  (1 to place)\n',
    );
  });

  it("shows what Nomad's diff leaves out (a spread weight, a task restart), where nomad job plan shows nothing", async () => {
    const withSpread = (weight: number, attempts: number) =>
      sleepingService('spread-web')
        .replace(
          '    update {',
          `    spread {\n      attribute = "\${node.datacenter}"\n      weight    = ${weight}\n    }\n    update {`,
        )
        .replace(
          '      driver = "raw_exec"',
          `      driver = "raw_exec"\n      restart {\n        attempts = ${attempts}\n      }`,
        );
    const dir = stackProject('unlisted', { 'web.nomad.hcl': withSpread(50, 2) });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    writeFileSync(join(dir, 'web.nomad.hcl'), withSpread(80, 4));
    const plan = await runCli(['plan', dir, '--no-color'], env);
    expect(plan.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        `          ~ Spreads[0].Weight: "50" → "80"  (not in Nomad's diff)`,
        `              ~ RestartPolicy.Attempts: "2" → "4"  (not in Nomad's diff)`,
      ]),
    );
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    expect((await runCli(['plan', dir, '--detailed-exitcode'], env)).code).toBe(0);
  });

  it("reports Nomad's refusal of a job, with the file, in Nomad's words", async () => {
    // A rule of the servers' configuration, which drover leaves to Nomad: the dev agent has no Vault.
    const bad = sleepingService('refused').replace('      config {', '      vault {}\n      config {');
    const dir = stackProject('refused', { 'web.nomad.hcl': bad });
    const plan = await runCli(['plan', dir], env);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(
      `Nomad refuses job "refused" (${join(dir, 'web.nomad.hcl')}):\n  Vault "default" not enabled but used in the job\n`,
    );
  });

  it('promotes a deployment left waiting by apply, with apply --auto-promote and with drover promote', async () => {
    const canary = (script: string) =>
      sleepingService('canary-web')
        .replace(
          'update {\n      min_healthy_time = "1s"\n    }',
          'count = 2\n    update {\n      canary           = 1\n      min_healthy_time = "1s"\n    }',
        )
        .replace('args    = ["3600"]', `args    = [${JSON.stringify(script)}]`);
    const dir = stackProject('waiting', { 'web.nomad.hcl': canary('3600') });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    const wait = async (seconds: string) => {
      writeFileSync(join(dir, 'web.nomad.hcl'), canary(seconds));
      expect((await runCli(['apply', dir, '--auto-approve'], env)).stdout).toMatch(
        /canary-web +update +promotion-ready/,
      );
    };
    await wait('3601');
    const promoted = await runCli(['apply', dir, '--auto-approve', '--auto-promote', '--no-color'], env);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toContain('↑ job "canary-web"');
    expect(promoted.stdout).toMatch(/\ncanary-web +promote +succeeded +1 /);
    await wait('3602');
    const command = await runCli(['promote'], env, undefined, dir);
    expect(command.stderr).toBe('');
    expect(command.code).toBe(0);
    expect(command.stdout).toMatch(/\ncanary-web +promote +succeeded +2 +[0-9a-f]{8} /);
    const history = JSON.parse((await runCli(['history', dir, '--json'], env)).stdout) as {
      records: Array<{ command: string }>;
    };
    expect(history.records[0]!.command).toBe('promote');
  });

  it('rolls a job back to its previous stable version, showing the diff Nomad computes, and records it', async () => {
    const dir = stackProject('rollback', { 'web.nomad.hcl': sleepingService('back') });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    writeFileSync(join(dir, 'web.nomad.hcl'), sleepingService('back', { env: { MODE: 'new' } }));
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    const reverted = await runCli(
      ['rollback', 'back', '--auto-approve', '--no-color'],
      { ...env },
      undefined,
      dir,
    );
    expect(reverted.stderr).toBe('');
    expect(reverted.code).toBe(0);
    expect(reverted.stdout).toContain(
      "to version 0's spec (now version 1; Nomad registers it as a new version)",
    );
    expect(reverted.stdout).toContain('- Env[MODE]: "new"');
    expect(reverted.stdout).toMatch(/\nback +revert +succeeded +2 +[0-9a-f]{8} /);
    const history = JSON.parse((await runCli(['history', dir, '--json'], env)).stdout) as {
      records: Array<{ command: string }>;
    };
    expect(history.records[0]!.command).toBe('rollback');
  });

  it('saves a destroy plan and applies it later, purging as planned', async () => {
    const dir = stackProject('doomed', { 'a.nomad.hcl': sleepingService('doomed-a') });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    const out = join(dir, 'destroy.plan');
    const planned = await runCli(
      ['plan', '--destroy', dir, '--purge', '--out', out, '--detailed-exitcode'],
      env,
    );
    expect(planned.code).toBe(2);
    expect(planned.stdout).toContain('  - job "doomed-a"');
    const applied = await runCli(['apply', out, '--auto-approve'], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Destroy complete: 1 succeeded.');
    expect(
      (await fetch(`${agent.address}/v1/job/doomed-a`, { headers: tokenHeader(agent.managementToken) }))
        .status,
    ).toBe(404);
  });
});
