import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

const JOB = (id: string) =>
  `job "${id}" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config {\n        image = "example/${id}:1"\n      }\n    }\n  }\n}\n`;

function makeProject(stack: string, ids: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-saved-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'drover.hcl'), `stack = "${stack}"\n`);
  for (const id of ids) writeFileSync(join(dir, `${id}.nomad.hcl`), JOB(id));
  return dir;
}

describe('saved plans and prune, as CI runs them', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address };
  });
  afterAll(() => sim.stop());

  it('prune settles: plan → apply --prune → plan ends at exit 0; --purge then purges the stopped job', async () => {
    const dir = makeProject('settle', ['hello', 'world']);
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    rmSync(join(dir, 'hello.nomad.hcl'));
    const first = await runCli(['plan', dir, '--prune', '--detailed-exitcode'], env);
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('- job "hello"');
    expect((await runCli(['apply', dir, '--prune', '--auto-approve'], env)).code).toBe(0);
    const settled = await runCli(['plan', dir, '--prune', '--detailed-exitcode'], env);
    expect(settled.stdout).toContain('No changes.');
    expect(settled.code).toBe(0);
    // The stopped job is still in Nomad; asking for more purges it, after which nothing is left to do.
    const purged = await runCli(['apply', dir, '--prune', '--purge', '--auto-approve'], env);
    expect(purged.stdout).toContain('- job "hello"');
    expect(purged.code).toBe(0);
    expect((await fetch(`${sim.address}/v1/job/hello`)).status).toBe(404);
    expect((await runCli(['apply', dir, '--prune', '--purge', '--auto-approve'], env)).stdout).toContain(
      'No changes.',
    );
  });

  it('knows a saved plan by its content, whatever its name', async () => {
    for (const name of ['tfplan', 'plan.out']) {
      const dir = makeProject(`named-${name.replace('.', '-')}`, [`job-${name.replace('.', '-')}`]);
      const out = join(dir, name);
      expect((await runCli(['plan', dir, '--out', out], env)).code).toBe(0);
      const applied = await runCli(['apply', out, '--auto-approve'], env);
      expect(applied.stderr).toBe('');
      expect(applied.stdout).toContain('Apply complete: 1 succeeded.');
      expect(applied.code).toBe(0);
    }
  });

  it.each([
    [['--var', 'x=1']],
    [['--var-file', 'prod.vars.hcl']],
    [['--target', 'web']],
    [['--stack', 'other']],
    [['--prune']],
    [['--no-prune']],
    [['--namespace', 'batch']],
    [['--region', 'eu']],
  ])('refuses %j beside a saved plan, and sends nothing', async (flags) => {
    const dir = makeProject('flags', ['flagged']);
    const out = join(dir, 'plan.bin');
    expect((await runCli(['plan', dir, '--out', out], env)).code).toBe(0);
    const before = await fetch(`${sim.address}/__sim/requests`, { method: 'POST' }).then(
      (r) => r.json() as Promise<{ count: number }>,
    );
    const result = await runCli(['apply', out, ...flags, '--auto-approve'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${out} is a saved plan, applied exactly as planned: ${flags[0]!.replace('--no-', '--')} would change it`,
    );
    const after = await fetch(`${sim.address}/__sim/requests`, { method: 'POST' }).then(
      (r) => r.json() as Promise<{ count: number }>,
    );
    expect(after.count).toBe(before.count);
  });

  it('refuses paths beside a saved plan', async () => {
    const dir = makeProject('paths', ['pathed']);
    const out = join(dir, 'plan.json');
    expect((await runCli(['plan', dir, '--out', out], env)).code).toBe(0);
    const result = await runCli(['apply', out, join(dir, 'pathed.nomad.hcl'), '--auto-approve'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `is a saved plan; it is applied on its own, not with ${join(dir, 'pathed.nomad.hcl')}`,
    );
  });

  it('a saved delete of a job re-stamped to another stack since the plan is not carried out', async () => {
    const dir = makeProject('owner', ['hello', 'stays']);
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    copyFileSync(join(dir, 'hello.nomad.hcl'), join(tmpdir(), 'hello-backup.nomad.hcl'));
    rmSync(join(dir, 'hello.nomad.hcl'));
    const out = join(dir, 'prune.plan');
    expect((await runCli(['plan', dir, '--prune', '--out', out], env)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('"action": "delete"');
    // Another stack takes hello over before the saved plan is applied.
    const other = makeProject('someone-else', []);
    copyFileSync(join(tmpdir(), 'hello-backup.nomad.hcl'), join(other, 'hello.nomad.hcl'));
    const live = (await fetch(`${sim.address}/v1/job/hello`).then((r) => r.json())) as {
      Meta: Record<string, string>;
    };
    await fetch(`${sim.address}/v1/jobs`, {
      method: 'PUT',
      body: JSON.stringify({ Job: { ...live, Meta: { ...live.Meta, 'drover.stack': 'someone-else' } } }),
    });
    const applied = await runCli(['apply', out, '--auto-approve'], env);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain(
      'job hello does not belong to stack "owner" (its stamp says "someone-else"); not deleted',
    );
    const after = (await fetch(`${sim.address}/v1/job/hello`).then((r) => r.json())) as { Stop: boolean };
    expect(after.Stop).toBe(false);
  });
});
