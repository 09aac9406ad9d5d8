import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, startSimulatorProcess } from '../support/cli.js';

const FIXTURES = join(ROOT, 'test/fixtures/jobs');

interface PlanJson {
  changes: Array<{
    address: { kind: string; namespace: string | null; name: string };
    action: string;
    diff?: { Type: string } | null;
  }>;
  summary: Record<string, number | boolean>;
}

interface ImportJson {
  jobs: Array<{
    namespace: string;
    id: string;
    origin: string;
    file: string;
    varFile?: string;
    differing: string[];
  }>;
  files: string[];
  gitignored: string[];
}

/** A job file registered through the API without a submission, as Levant and CI scripts do. */
async function registerBare(address: string, file: string, namespace?: string): Promise<void> {
  const rendered = await runCli(['render', join(FIXTURES, file)]);
  expect(rendered.code).toBe(0);
  const body = JSON.parse(rendered.stdout) as { Job: Record<string, unknown> };
  if (namespace) body.Job.Namespace = namespace;
  const response = await fetch(`${address}/v1/jobs`, { method: 'POST', body: JSON.stringify(body) });
  expect(`${response.status} ${file}`).toBe(`200 ${file}`);
}

describe('drover import: a running cluster written back as a project that plans as adopt', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address, CI: 'true' };
    await fetch(`${sim.address}/v1/namespace/payments`, {
      method: 'POST',
      body: JSON.stringify({ Name: 'payments', Description: 'Payments team', Meta: { team: 'pay' } }),
    });
    await fetch(`${sim.address}/v1/node/pool/batch`, {
      method: 'POST',
      body: JSON.stringify({ Name: 'batch', Description: 'Batch nodes' }),
    });
    // Through the API, no source kept: every block of the jobspec the corpus covers.
    for (const file of [
      '01-minimal-service.nomad.hcl',
      '02-periodic-batch.nomad.hcl',
      '03-parameterized.nomad.hcl',
      '04-system.nomad.hcl',
      '05-sysbatch.nomad.hcl',
      '06-constraints.nomad.hcl',
      '07-affinity-spread.nomad.hcl',
      '08-policies.nomad.hcl',
      '09-network.nomad.hcl',
      '10-services-checks.nomad.hcl',
      '13-volumes.nomad.hcl',
      '14-templates.nomad.hcl',
      '17-task-lifecycle.nomad.hcl',
      '22-scaling.nomad.hcl',
      '26-disconnect.nomad.hcl',
      '36-encoding-functions.nomad.hcl',
    ])
      await registerBare(sim.address, file);
    await registerBare(sim.address, '01-minimal-service.nomad.hcl', 'payments');
    // With `nomad job run`'s submission: the source and its variables.
    const applied = await runCli(
      [
        'apply',
        join(FIXTURES, '43-var-sources.nomad.hcl'),
        '--var-file',
        join(FIXTURES, '43-var-sources.vars.hcl'),
        '--var',
        'image=example/api:9',
        '--auto-approve',
        '--detach',
      ],
      env,
    );
    expect(applied.stderr).toBe('');
  }, 120_000);
  afterAll(() => sim.stop());

  it('writes every job exactly, then plan adopts each with no field change, and after apply plans nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'drover-import-')), 'shop');
    const imported = await runCli(['import', '--all-namespaces', '--out', out, '--json'], env);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout) as ImportJson;
    expect(result.jobs).toHaveLength(18);
    expect(result.jobs.filter((j) => j.differing.length > 0)).toEqual([]);
    const withSource = result.jobs.find((j) => j.origin === 'submission')!;
    expect(withSource.varFile).toMatch(/\.vars\.hcl$/);
    expect(readFileSync(join(out, withSource.varFile!), 'utf8')).toContain('image = "example/api:9"');
    expect(result.jobs.find((j) => j.namespace === 'payments')!.file).toBe('jobs/payments/hello.nomad.hcl');
    expect(readFileSync(join(out, 'drover.hcl'), 'utf8')).toContain(
      'namespace "payments" {\n  description = "Payments team"\n  meta        = { team = "pay" }\n}',
    );
    const templated = readFileSync(join(out, 'jobs/templated.nomad.hcl'), 'utf8');
    expect(templated).toMatch(/data += <<EOT\n/);
    expect(readFileSync(join(out, 'jobs/hello.nomad.hcl'), 'utf8')).toBe(
      'job "hello" {\n  group "web" {\n    task "server" {\n      driver = "docker"\n      config {\n        args  = ["-text", "hello"]\n        image = "hashicorp/http-echo:1.0"\n      }\n    }\n  }\n}\n',
    );

    const generated = result.jobs.filter((j) => j.origin === 'generated' && j.file.endsWith('.hcl'));
    expect(generated.length).toBeGreaterThan(10);
    const fmt = await runCli(
      ['fmt', '--check', ...generated.map((j) => join(out, j.file)), join(out, 'drover.hcl')],
      env,
    );
    expect(fmt.code).toBe(0);
    const plan = await runCli(['plan', out, '--json'], env);
    expect(plan.code).toBe(0);
    const changes = (JSON.parse(plan.stdout) as PlanJson).changes;
    const jobs = changes.filter((c) => c.address.kind === 'job');
    expect(jobs).toHaveLength(18);
    expect(jobs.filter((c) => c.action !== 'adopt' || c.diff?.Type !== 'None')).toEqual([]);
    expect(changes.filter((c) => c.address.kind === 'namespace').map((c) => c.action)).toEqual(['adopt']);

    const apply = await runCli(['apply', out, '--auto-approve', '--detach'], env);
    expect(apply.code).toBe(0);
    const after = await runCli(['plan', out, '--detailed-exitcode'], env);
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);
  }, 240_000);

  it('never overwrites without --force, and --dry-run writes nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'drover-import-'));
    const dry = await runCli(['import', 'hello', '--out', out, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Files would write: jobs/hello.nomad.hcl, drover.hcl');
    expect(readdirSync(out)).toEqual([]);
    writeFileSync(join(out, 'drover.hcl'), 'stack = "mine"\n');
    const refused = await runCli(['import', 'hello', '--out', out], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('1 file already exist');
    expect(readFileSync(join(out, 'drover.hcl'), 'utf8')).toBe('stack = "mine"\n');
    expect(existsSync(join(out, 'jobs'))).toBe(false);
    // The first test's apply stamped hello with stack "shop": a project of another stack could not plan it.
    const foreign = await runCli(['import', 'hello', '--out', out, '--force', '--stack', 'web'], env);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('these jobs belong to drover stack "shop", not "web"');
    const forced = await runCli(['import', 'hello', '--out', out, '--force'], env);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(out, 'drover.hcl'), 'utf8')).toContain('stack = "shop"');
  }, 60_000);

  it('says which files hold secret-looking values and keeps them out of git', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'drover-import-'));
    mkdirSync(join(repo, '.git'));
    const out = join(repo, 'deploy');
    const imported = await runCli(['import', 'api', '--out', out], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('These files hold secret-looking values as Nomad has them:');
    expect(imported.stdout).toContain(
      'jobs/api.nomad.hcl: TaskGroups[api].Services[api].Checks[http-alive].Header[Authorization]',
    );
    expect(readFileSync(join(out, '.gitignore'), 'utf8')).toContain('/jobs/api.nomad.hcl\n');
  }, 60_000);

  it('says there are no ACL policies or roles to import on a cluster without ACLs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'drover-import-'));
    const imported = await runCli(['import', 'hello', '--include', 'acl', '--out', out, '--dry-run'], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(
      'No ACL policies to import: this Nomad runs with ACLs disabled.\nNo ACL roles to import: this Nomad runs with ACLs disabled.',
    );
  }, 60_000);

  it('leaves out the children Nomad creates for periodic and parameterized jobs', async () => {
    const dispatched = await fetch(`${sim.address}/v1/job/transcode/dispatch`, {
      method: 'POST',
      body: JSON.stringify({ Meta: { input: 's3://x' } }),
    });
    expect(dispatched.status).toBe(200);
    const out = mkdtempSync(join(tmpdir(), 'drover-import-'));
    const imported = await runCli(['import', '--out', out, '--json'], env);
    const result = JSON.parse(imported.stdout) as ImportJson;
    expect(result.jobs.some((j) => j.id.startsWith('transcode/'))).toBe(false);
    expect(result.jobs.some((j) => j.id === 'transcode')).toBe(true);
  }, 60_000);
});
