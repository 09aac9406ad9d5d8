import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

const REDIS =
  'job "redis" {\n  group "cache" {\n    task "redis" {\n      driver = "docker"\n      config {\n        image = "redis:7"\n      }\n    }\n  }\n}\n';
const API = (image: string) =>
  `variable "image" {\n  default = "${image}"\n}\n\njob "api" {\n  group "api" {\n    task "server" {\n      driver = "docker"\n      config {\n        image = var.image\n      }\n    }\n  }\n}\n`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-plan-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('drover plan and show, as a user runs them', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  const control = (action: string, body: unknown = {}) =>
    fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) }).then(
      (r) => r.json() as Promise<{ count: number }>,
    );
  beforeAll(async () => {
    sim = await startSimulatorProcess();
  });
  afterAll(() => sim.stop());

  it('plans a project directory (drover.hcl) in dependency order; --detailed-exitcode says 2 for changes', async () => {
    const dir = project({
      'drover.hcl':
        'stack = "shop"\njobs  = ["jobs/*.nomad.hcl"]\n\njob "api" {\n  depends_on = ["redis"]\n}\n',
      'jobs/redis.nomad.hcl': REDIS,
      'jobs/api.nomad.hcl': API('example/api:1'),
    });
    const plain = await runCli(['plan', dir], { NOMAD_ADDR: sim.address });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(
      `drover plan (stack shop, namespace default, ${sim.address}, project ${join(dir, 'drover.hcl')})`,
    );
    expect(plain.stdout.indexOf('# redis will be created  [wave 1]')).toBeLessThan(
      plain.stdout.indexOf('# api will be created  [wave 2]'),
    );
    expect(plain.stdout.trimEnd().split('\n').at(-1)).toBe('Plan: 2 to create, 0 to update, 0 to delete.');
    const detailed = await runCli(['plan', dir, '--detailed-exitcode'], { NOMAD_ADDR: sim.address });
    expect(detailed.code).toBe(2);
  });

  it('exits 0 with --detailed-exitcode when Nomad already matches the files', async () => {
    const dir = project({ 'redis.nomad.hcl': REDIS.replace('"redis"', '"settled"') });
    const rendered = JSON.parse((await runCli(['render', join(dir, 'redis.nomad.hcl')])).stdout);
    rendered.Job.Meta = { 'drover.stack': 'settled' };
    await fetch(`${sim.address}/v1/jobs`, { method: 'PUT', body: JSON.stringify(rendered) });
    const result = await runCli(['plan', dir, '--stack', 'settled', '--detailed-exitcode'], {
      NOMAD_ADDR: sim.address,
    });
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('No changes. Nomad matches the job files.');
    expect(result.code).toBe(0);
  });

  it('prints only the JSON document with --json', async () => {
    const dir = project({ 'redis.nomad.hcl': REDIS });
    const result = await runCli(['plan', dir, '--json', '--stack', 'cache'], { NOMAD_ADDR: sim.address });
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.summary).toMatchObject({ create: 1, has_changes: true });
    expect(document.settings).toMatchObject({ stack: 'cache', namespace: 'default', address: sim.address });
  });

  it('saves a plan with --out (mode 0600), and show renders it in any format', async () => {
    const dir = project({ 'redis.nomad.hcl': REDIS });
    const out = join(dir, 'plan.json');
    const result = await runCli(['plan', dir, '--out', out, '--stack', 'cache'], {
      NOMAD_ADDR: sim.address,
      NOMAD_TOKEN: 'tok-e2e-secret',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Saved the plan to ${out}; apply it with: drover apply ${out}`);
    expect(readFileSync(out, 'utf8')).not.toContain('tok-e2e-secret');
    const shown = await runCli(['show', out]);
    expect(shown.stdout).toBe(result.stdout);
    expect((await runCli(['show', out, '--markdown'])).stdout).toContain('| 1 | 0 | 0 | 0 | 0 | 0 |');
    writeFileSync(out, readFileSync(out, 'utf8').replace('"create"', '"delete"'));
    const tampered = await runCli(['show', out]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(
      'is not a usable plan: its checksum does not match: the file was changed after drover wrote it',
    );
  });

  it('sends nothing to Nomad when a job file is invalid, and exits 1 with the errors', async () => {
    const dir = project({
      'bad.nomad.hcl':
        'job "bad" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      cofnig {}\n    }\n  }\n}\n',
    });
    const before = (await control('requests')).count;
    const result = await runCli(['plan', dir], { NOMAD_ADDR: sim.address });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: 1 job file has errors; nothing was sent to Nomad:');
    expect(result.stderr).toContain('bad.nomad.hcl:5:7: error: Unsupported block type "cofnig"');
    expect(result.stderr).toContain('did you mean "config"?');
    expect((await control('requests')).count).toBe(before);
  });

  it("names the file and Nomad's words when Nomad refuses a job, for plan and apply, and changes nothing", async () => {
    const dir = project({
      // A vault block on a cluster without Vault: a rule of the servers' configuration, left to Nomad.
      'batch.nomad.hcl':
        'job "nightly" {\n  type = "batch"\n  group "g" {\n    task "a" {\n      driver = "raw_exec"\n      config {\n        command = "true"\n      }\n      vault {}\n    }\n  }\n}\n',
    });
    const env = { NOMAD_ADDR: sim.address };
    for (const command of [
      ['plan', dir],
      ['apply', dir, '--auto-approve'],
      ['plan', dir, '--json'],
    ]) {
      const result = await runCli(command, env);
      expect([command[0], result.code, result.stdout]).toEqual([command[0], 1, '']);
      expect(result.stderr).toContain(
        `Error: Nomad refuses job "nightly" (${join(dir, 'batch.nomad.hcl')}):\n  Vault "default" not enabled but used in the job\n`,
      );
    }
    expect((await fetch(`${sim.address}/v1/job/nightly`)).status).toBe(404);
  });

  it("leaves a multiregion job to the servers: validate refuses it as nomad job validate does, plan and apply show an open-source Nomad's refusal", async () => {
    const dir = project({
      'mr.nomad.hcl':
        'job "mr" {\n  multiregion {\n    region "global" {\n      count = 1\n    }\n  }\n  group "g" {\n    task "a" {\n      driver = "raw_exec"\n      config {\n        command = "true"\n      }\n    }\n  }\n}\n',
    });
    const validate = await runCli(['validate', dir]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('mr.nomad.hcl:2:3: error: Multiregion jobs are unlicensed.');
    const env = { NOMAD_ADDR: sim.address };
    for (const command of [
      ['plan', dir],
      ['apply', dir, '--auto-approve'],
      ['plan', dir, '--json'],
    ]) {
      const result = await runCli(command, env);
      expect([command[0], result.code, result.stdout]).toEqual([command[0], 1, '']);
      expect(result.stderr).toContain(
        `Error: Nomad refuses job "mr" (${join(dir, 'mr.nomad.hcl')}):\n  Multiregion jobs are unlicensed.\n`,
      );
    }
    expect((await fetch(`${sim.address}/v1/job/mr`)).status).toBe(404);
  });

  it('refuses --prune without a stack, with the way out', async () => {
    const dir = project({ 'redis.nomad.hcl': REDIS });
    const result = await runCli(['plan', dir, '--prune'], { NOMAD_ADDR: sim.address });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Error: prune needs a stack name\nHint: Set stack = "name" in drover.hcl or pass --stack NAME: only jobs stamped with this stack are ever deleted.\n',
    );
  });

  it('takes flags over the environment over drover.hcl', async () => {
    const dir = project({
      'drover.hcl': 'stack = "from-file"\nnamespace = "file-ns"\n',
      'redis.nomad.hcl': REDIS,
    });
    await control('namespace', { name: 'env-ns' });
    await control('namespace', { name: 'flag-ns' });
    const fromEnv = JSON.parse(
      (await runCli(['plan', dir, '--json'], { NOMAD_ADDR: sim.address, NOMAD_NAMESPACE: 'env-ns' })).stdout,
    );
    expect(fromEnv.settings).toMatchObject({ stack: 'from-file', namespace: 'env-ns' });
    const fromFlag = JSON.parse(
      (
        await runCli(['plan', dir, '--json', '--namespace', 'flag-ns', '--stack', 'flag'], {
          NOMAD_ADDR: sim.address,
          NOMAD_NAMESPACE: 'env-ns',
        })
      ).stdout,
    );
    expect(fromFlag.settings).toMatchObject({ stack: 'flag', namespace: 'flag-ns' });
  });

  it("sends drover.hcl's region with every request, as NOMAD_REGION is sent, on either diff source", async () => {
    const dir = project({ 'drover.hcl': 'stack = "far"\nregion = "mars"\n', 'redis.nomad.hcl': REDIS });
    for (const flags of [[], ['--read-only']]) {
      const result = await runCli(['plan', dir, ...flags], { NOMAD_ADDR: sim.address });
      expect([result.code, result.stderr]).toEqual([
        1,
        // The first request of a plan of a stack reads its inventory.
        'Error: GET /v1/var/drover/stacks/far/inventory: Nomad said: No path to region\n',
      ]);
    }
    writeFileSync(join(dir, 'drover.hcl'), 'stack = "far"\nregion = "global"\n');
    const own = await runCli(['plan', dir, '--read-only'], { NOMAD_ADDR: sim.address });
    expect([own.code, own.stderr]).toEqual([0, '']);
    expect(own.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete.');
  });

  it("shows a spread, lifecycle or task restart change, which Nomad's own diff leaves out, in every rendering", async () => {
    const job = (weight: number, sidecar: boolean) =>
      `job "spread" {\n  group "g" {\n    spread {\n      attribute = "\${node.datacenter}"\n      weight    = ${weight}\n    }\n    task "init" {\n      driver = "raw_exec"\n      lifecycle {\n        hook    = "prestart"\n        sidecar = ${sidecar}\n      }\n      config {\n        command = "/bin/true"\n      }\n    }\n    task "main" {\n      driver = "raw_exec"\n      config {\n        command = "/bin/sleep"\n        args    = ["600"]\n      }\n    }\n  }\n}\n`;
    const dir = project({ 'spread.nomad.hcl': job(50, false) });
    const env = { NOMAD_ADDR: sim.address };
    const rendered = (await runCli(['render', join(dir, 'spread.nomad.hcl')])).stdout;
    await fetch(`${sim.address}/v1/jobs`, { method: 'PUT', body: rendered });
    writeFileSync(join(dir, 'spread.nomad.hcl'), job(80, true));
    const human = await runCli(['plan', dir], env);
    expect(human.stdout).toContain(`~ Spreads[0].Weight: "50" → "80"  (not in Nomad's diff)`);
    expect(human.stdout).toContain(`~ Lifecycle.Sidecar: "false" → "true"  (not in Nomad's diff)`);
    expect(human.stdout.trimEnd().split('\n').at(-1)).toBe('Plan: 0 to create, 1 to update, 0 to delete.');
    const json = JSON.parse((await runCli(['plan', dir, '--json'], env)).stdout);
    const group = json.changes[0].diff.TaskGroups[0];
    expect(group.Fields).toEqual([
      {
        Type: 'Edited',
        Name: 'Spreads[0].Weight',
        Old: '50',
        New: '80',
        Annotations: ["not in Nomad's diff"],
      },
    ]);
    const out = join(dir, 'saved.plan');
    expect((await runCli(['plan', dir, '--out', out], env)).code).toBe(0);
    expect((await runCli(['show', out], env)).stdout).toContain('~ Lifecycle.Sidecar: "false" → "true"');
    expect((await runCli(['show', out, '--markdown'], env)).stdout).toMatch(
      /^~ +Spreads\[0\]\.Weight: "50" → "80" {2}\(not in Nomad's diff\)$/m,
    );
  });
});
