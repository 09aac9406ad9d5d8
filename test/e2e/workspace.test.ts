import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, runCli, startSimulatorProcess } from '../support/cli.js';

const job = (id: string, image = 'var.image') =>
  `variable "image" {\n  type = string\n}\n\njob "${id}" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config {\n        image = ${image}\n      }\n    }\n  }\n}\n`;

/** A project: drover.hcl (stack shop, prune, a var file every job needs, api after redis), and two jobs. */
function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-workspace-'));
  mkdirSync(join(dir, 'jobs'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(
    join(dir, 'drover.hcl'),
    'stack     = "shop"\njobs      = ["jobs/*.nomad.hcl"]\nvar_files = ["prod.vars.hcl"]\nprune     = true\n\njob "api" {\n  depends_on = ["redis"]\n}\n',
  );
  writeFileSync(join(dir, 'prod.vars.hcl'), 'image = "example/app:1"\n');
  writeFileSync(join(dir, 'jobs/api.nomad.hcl'), job('api'));
  writeFileSync(join(dir, 'jobs/redis.nomad.hcl'), job('redis'));
  return dir;
}

/** A path as drover names it: relative to where it ran, unless that climbs out of it. */
const named = (path: string, cwd: string) => {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
};

describe('a job file given by path is planned within its project', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address };
    dir = makeProject();
    const applied = await runCli(['apply', dir, '--auto-approve'], env);
    expect(applied.code).toBe(0);
  }, 60_000);
  afterAll(() => sim.stop());

  it('finds drover.hcl from a file path: its stack, var files and header; no changes', async () => {
    const file = join(dir, 'jobs/api.nomad.hcl');
    for (const [cwd, path] of [
      [ROOT, relative(ROOT, file)],
      [join(dir, 'jobs'), 'api.nomad.hcl'],
      [dir, 'jobs/api.nomad.hcl'],
    ] as const) {
      const result = await runCli(['plan', path, '--detailed-exitcode'], env, undefined, cwd);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(
        `drover plan (stack shop, namespace default, ${sim.address}, project ${named(join(dir, 'drover.hcl'), cwd)})`,
      );
      expect(result.stdout).toContain('No changes. Nomad matches the job files.');
      expect(result.code).toBe(0);
    }
  });

  it('from a subdirectory with no paths, plans the whole project', async () => {
    const result = await runCli(['plan', '--json'], env, undefined, join(dir, 'jobs'));
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.settings).toMatchObject({
      stack: 'shop',
      project_file: join(dir, 'drover.hcl'),
      prune: true,
    });
    expect(document.changes.map((c: { address: { name: string } }) => c.address.name)).toEqual([
      'redis',
      'api',
    ]);
  });

  it("never prunes the project's other jobs when given some of its files", async () => {
    writeFileSync(join(dir, 'jobs/api.nomad.hcl'), job('api', '"example/app:2"'));
    const one = await runCli(['plan', join(dir, 'jobs/api.nomad.hcl'), '--json'], env);
    expect(one.code).toBe(0);
    const document = JSON.parse(one.stdout);
    expect(
      document.changes.map(
        (c: { address: { name: string }; action: string }) => `${c.action} ${c.address.name}`,
      ),
    ).toEqual(['update api']);
    const pruning = await runCli(['plan', join(dir, 'jobs/api.nomad.hcl'), '--prune'], env);
    expect(pruning.code).toBe(1);
    expect(pruning.stderr).toContain(
      `--prune with some of the job files of ${named(join(dir, 'drover.hcl'), ROOT)} would delete the stack's other jobs`,
    );
    writeFileSync(join(dir, 'jobs/api.nomad.hcl'), job('api'));
  });

  it('refuses to take a stamped job out of its stack: no project, or another stack', async () => {
    const loose = mkdtempSync(join(tmpdir(), 'drover-loose-'));
    mkdirSync(join(loose, '.git'));
    copyFileSync(join(dir, 'jobs/api.nomad.hcl'), join(loose, 'api.nomad.hcl'));
    const before = (await fetch(`${sim.address}/v1/job/api`).then((r) => r.json())) as {
      JobModifyIndex: number;
      Meta: Record<string, string>;
    };
    for (const args of [
      ['apply', 'api.nomad.hcl', '--var', 'image=example/app:1', '--auto-approve'],
      ['plan', 'api.nomad.hcl', '--var', 'image=example/app:1'],
    ]) {
      const result = await runCli(args, env, undefined, loose);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'Error: job default/api belongs to stack "shop", and this plan names no stack: registering it would take it out of its stack',
      );
      expect(result.stderr).toContain('or pass --stack shop.');
    }
    const other = await runCli(
      ['apply', 'api.nomad.hcl', '--var', 'image=example/app:1', '--stack', 'other', '--auto-approve'],
      env,
      undefined,
      loose,
    );
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('job default/api belongs to stack "shop", not "other"');
    const after = (await fetch(`${sim.address}/v1/job/api`).then((r) => r.json())) as {
      JobModifyIndex: number;
      Meta: Record<string, string>;
    };
    expect(after.JobModifyIndex).toBe(before.JobModifyIndex);
    expect(after.Meta['drover.stack']).toBe('shop');
    // Named explicitly and matching, the same file plans as part of the stack.
    const explicit = await runCli(
      ['plan', 'api.nomad.hcl', '--var', 'image=example/app:1', '--stack', 'shop', '--detailed-exitcode'],
      env,
      undefined,
      loose,
    );
    expect(explicit.stdout).toContain('No changes.');
    expect(explicit.code).toBe(0);
  });

  it('validates one file of a project with the project var files', async () => {
    const result = await runCli(['validate', join(dir, 'jobs/redis.nomad.hcl')], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('a syntax error in drover.hcl is a positioned user error in every command, and nothing is sent', async () => {
    const broken = makeProject();
    writeFileSync(join(broken, 'drover.hcl'), 'stack = "shop"\njobs = ["jobs/*.nomad.hcl"\n');
    const sent = () =>
      fetch(`${sim.address}/__sim/requests`, { method: 'POST' }).then(
        (r) => r.json() as Promise<{ count: number }>,
      );
    const before = (await sent()).count;
    for (const args of [
      ['validate', broken],
      ['plan', broken],
      ['plan', join(broken, 'jobs/api.nomad.hcl')],
      ['apply', broken, '--auto-approve'],
      ['destroy', broken, '--auto-approve'],
      ['status', broken],
    ]) {
      const result = await runCli(args, env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^Error: \S*drover\.hcl has errors:\n\S*drover\.hcl:3:1: /);
      expect(result.stderr).not.toContain('Internal error');
    }
    expect((await sent()).count).toBe(before);
  });

  it('names drover.hcl in its errors as it names job files: relative to where drover runs', async () => {
    const project = makeProject();
    const [parent, name] = [join(project, '..'), relative(join(project, '..'), project)];
    writeFileSync(join(project, 'drover.hcl'), 'stack = "shop"\njobs = ["jobs/*.nomad.hcl"\n');
    for (const [cwd, path, shown] of [
      [parent, name, `${name}/drover.hcl`],
      [join(project, 'jobs'), 'api.nomad.hcl', join(project, 'drover.hcl')],
      [project, '.', 'drover.hcl'],
    ] as const) {
      const result = await runCli(['validate', path], env, undefined, cwd);
      expect(result.stderr).toMatch(new RegExp(`^Error: ${shown} has errors:\n${shown}:3:1: error: `));
    }
    writeFileSync(join(project, 'drover.hcl'), 'stack = "shop"\njob "api" {\n  depends_on = ["rediss"]\n}\n');
    writeFileSync(
      join(project, 'jobs/redis.nomad.hcl'),
      'job "redis" {\n  group "g" {\n    count = "x"\n  }\n}\n',
    );
    const jobFile = await runCli(['validate', name], env, undefined, parent);
    expect(jobFile.stdout).toContain(`${name}/jobs/redis.nomad.hcl:3:13: error: `);
    writeFileSync(join(project, 'jobs/redis.nomad.hcl'), job('redis'));
    const dependency = await runCli(['validate', name, '--var', 'image=x:1'], env, undefined, parent);
    expect(dependency.stderr).toContain(
      `Error: ${name}/drover.hcl:3:17: drover.hcl's job "api" depends_on names "rediss", which no job file declares\n`,
    );
  });

  it('with no job files, plan is an error naming where it looked', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'drover-empty-'));
    mkdirSync(join(empty, '.git'));
    const result = await runCli(['plan', '--detailed-exitcode'], env, undefined, empty);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: no job files in ${empty} (the current directory)`);
    expect(result.stdout).toBe('');
  });

  it('refuses a depends_on naming a job no file declares, where it is written', async () => {
    const typo = makeProject();
    writeFileSync(
      join(typo, 'drover.hcl'),
      'stack = "shop"\njobs  = ["jobs/*.nomad.hcl"]\nvars  = { image = "x:1" }\n\njob "api" {\n  depends_on = ["redis", "rediss"]\n}\n',
    );
    // validate checks it as plan does: a project it passes must plan.
    for (const command of ['plan', 'validate']) {
      const result = await runCli([command, typo], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `Error: ${join(typo, 'drover.hcl')}:6:26: drover.hcl's job "api" depends_on names "rediss", which no job file declares\nHint: Did you mean "redis"?`,
      );
    }
    writeFileSync(
      join(typo, 'drover.hcl'),
      'stack = "shop"\njobs  = ["jobs/*.nomad.hcl"]\nvars  = { image = "x:1" }\n',
    );
    writeFileSync(
      join(typo, 'jobs/api.nomad.hcl'),
      job('api').replace('job "api" {', 'job "api" {\n  meta = {\n    "drover.depends_on" = "wrker"\n  }'),
    );
    const meta = await runCli(['plan', typo], env);
    expect(meta.code).toBe(1);
    expect(meta.stderr).toContain(
      `jobs/api.nomad.hcl:7:5: job "api"'s meta drover.depends_on names "wrker", which no job file declares\nHint: The job files declare api, redis.`,
    );
  });
});
