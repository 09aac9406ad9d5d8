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
    [['--purge']],
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
    expect(readFileSync(out, 'utf8')).toContain('"action":"delete"');
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

  describe('destroy as a plan', () => {
    const requests = () =>
      fetch(`${sim.address}/__sim/requests`, { method: 'POST' })
        .then((r) => r.json() as Promise<{ count: number }>)
        .then((r) => r.count);

    it('plan --destroy shows the deletes (dependents first) and changes nothing; destroy shows the same plan', async () => {
      const dir = makeProject('doomed-plan', ['db', 'api']);
      writeFileSync(
        join(dir, 'drover.hcl'),
        'stack = "doomed-plan"\njob "api" {\n  depends_on = ["db"]\n}\n',
      );
      expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
      const planned = await runCli(['plan', '--destroy', dir, '--detailed-exitcode', '--no-color'], env);
      expect(planned.stderr).toBe('');
      expect(planned.code).toBe(2);
      expect(planned.stdout).toMatch(/^drover plan --destroy \(stack doomed-plan, namespace default, /);
      expect(planned.stdout.indexOf('- job "api"')).toBeGreaterThan(0);
      expect(planned.stdout.indexOf('- job "api"')).toBeLessThan(planned.stdout.indexOf('- job "db"'));
      expect(planned.stdout).toContain('Plan: 0 to create, 0 to update, 2 to delete.');
      for (const id of ['db', 'api'])
        expect(
          ((await fetch(`${sim.address}/v1/job/${id}`).then((r) => r.json())) as { Stop: boolean }).Stop,
        ).toBe(false);
      // destroy, declined without a terminal, prints the very plan first (only the heading's command differs).
      const declined = await runCli(['destroy', dir, '--no-color'], env);
      expect(declined.code).toBe(1);
      const body = (text: string) => text.slice(text.indexOf('\n'), text.indexOf('Plan: ')).trim();
      expect(body(declined.stdout)).toBe(body(planned.stdout));
      expect(declined.stdout).toMatch(/^drover destroy \(stack doomed-plan, /);
      const json = JSON.parse((await runCli(['plan', '--destroy', dir, '--json'], env)).stdout) as {
        settings: { destroy: boolean; purge: boolean };
        changes: Array<{ address: { name: string }; action: string; wave: number }>;
      };
      expect(json.settings).toMatchObject({ destroy: true, purge: false });
      expect(json.changes.map((c) => `${c.action} ${c.address.name} ${c.wave}`)).toEqual([
        'delete api 1',
        'delete db 2',
      ]);
      const markdown = await runCli(['plan', '--destroy', dir, '--markdown'], env);
      expect(markdown.stdout).toMatch(/^### drover plan --destroy\n/);
      expect(markdown.stdout).toContain('This plan **deletes** `api`, `db`.');
    });

    it('apply PLAN_FILE carries out a saved destroy plan, purging as planned; the same file again is refused as stale', async () => {
      const dir = makeProject('doomed-saved', ['one', 'two']);
      expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
      const out = join(dir, 'destroy.plan');
      const planned = await runCli(['plan', '--destroy', dir, '--purge', '--out', out], env);
      expect(planned.code).toBe(0);
      expect(planned.stderr).toContain(`Saved the plan to ${out}`);
      const shown = await runCli(['show', out, '--no-color'], env);
      expect(shown.stdout).toMatch(/^drover plan --destroy \(stack doomed-saved, /);
      const refused = await runCli(['apply', out, '--purge', '--auto-approve'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('--purge would change it');
      const applied = await runCli(['apply', out, '--auto-approve'], env);
      expect(applied.stderr).toBe('');
      expect(applied.stdout).toContain('Destroy complete: 2 succeeded.');
      expect(applied.code).toBe(0);
      for (const id of ['one', 'two']) expect((await fetch(`${sim.address}/v1/job/${id}`)).status).toBe(404);
      const history = await runCli(['history', dir, '--json'], env);
      expect((JSON.parse(history.stdout) as { records: unknown[] }).records[0]).toMatchObject({
        outcome: 'succeeded',
        jobs: [
          { id: 'one', action: 'delete', outcome: 'succeeded' },
          { id: 'two', action: 'delete', outcome: 'succeeded' },
        ],
      });
      const again = await runCli(['apply', out, '--auto-approve'], env);
      expect(again.code).toBe(1);
      expect(again.stdout).toMatch(/one.*(changed|gone|no longer)/);
    });

    it('a saved destroy plan whose job changed since is refused for that job, and the job is left running', async () => {
      const dir = makeProject('doomed-stale', ['moved']);
      expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
      const out = join(dir, 'destroy.plan');
      expect((await runCli(['plan', '--destroy', dir, '--out', out], env)).code).toBe(0);
      writeFileSync(join(dir, 'moved.nomad.hcl'), JOB('moved').replace(':1', ':2'));
      expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
      const applied = await runCli(['apply', out, '--auto-approve'], env);
      expect(applied.code).toBe(1);
      expect(applied.stdout).toContain('moved');
      expect(applied.stdout).not.toContain('Destroy complete: 1 succeeded');
      const live = (await fetch(`${sim.address}/v1/job/moved`).then((r) => r.json())) as { Stop: boolean };
      expect(live.Stop).toBe(false);
    });

    it.each([
      [['--target', 'web'], '--target=web cannot also be provided when using --destroy'],
      [['--prune'], '--prune=true cannot also be provided when using --destroy'],
      [['--var', 'x=1'], 'cannot also be provided when using --destroy'],
      [['a', 'b'], 'plan --destroy takes one project directory, not 2 paths (a, b)'],
    ])('refuses plan --destroy %j and sends nothing', async (extra, message) => {
      const before = await requests();
      const result = await runCli(['plan', '--destroy', '--stack', 'x', ...extra], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
      expect(await requests()).toBe(before);
    });

    it('plan --destroy of a stack with no jobs says so and exits 0', async () => {
      const result = await runCli(
        ['plan', '--destroy', '--stack', 'empty-stack', '--detailed-exitcode'],
        env,
      );
      expect(result.stdout).toContain('No changes. Stack "empty-stack" has no jobs; nothing to destroy.');
      expect(result.code).toBe(0);
    });
  });
});
