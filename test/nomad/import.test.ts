import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../support/cli.js';
import { nomadBinary, startNomadAgent, type NomadAgent } from './agent.js';

const FIXTURES = join(ROOT, 'test/fixtures/jobs');

/** Registered through the API without a source, as Levant and CI scripts do: every block the corpus covers. */
const BY_API = [
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
];

interface ImportJson {
  jobs: Array<{ namespace: string; id: string; origin: string; differing: string[] }>;
  aclPolicies: string[];
  aclRoles: string[];
  variables: Array<{ namespace: string; path: string }>;
  estateDiffering: string[];
  unread: unknown[];
}

/** Values of the variables: in the var file --with-values writes, nowhere else. */
const SECRET = 'real-agent-s3cret';

/** A job whose template reads a Nomad Variable (and whose workload identity a policy is attached to). */
const READER = `job "reader" {
  namespace = "payments"
  group "app" {
    task "app" {
      driver = "docker"
      config {
        image = "example/reader:1"
      }
      template {
        data        = <<EOT
{{ with nomadVar "app/db" }}PASSWORD={{ .password }}{{ end }}
EOT
        destination = "secrets/env"
        env         = true
      }
    }
  }
}
`;

/** Every file under dir with its text. */
function filesUnder(dir: string): Array<[string, string]> {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory()
      ? filesUnder(join(dir, name))
      : [[join(dir, name), readFileSync(join(dir, name), 'utf8')] as [string, string]],
  );
}

/**
 * A field a diff changes. Nomad may call a block edited without naming a changed field (a scaling policy's
 * numbers held as int64 against the float64 a plan sends): that is no field change, for import as for plan.
 */
const changedField = (node: unknown): boolean =>
  Array.isArray(node)
    ? node.some(changedField)
    : typeof node === 'object' && node !== null
      ? ('Old' in node && (node as { Type?: unknown }).Type !== 'None') ||
        Object.values(node).some(changedField)
      : false;

describe('drover import against a real Nomad agent (ACLs on)', () => {
  let agent: NomadAgent;
  let env: Record<string, string>;
  beforeAll(async () => {
    agent = await startNomadAgent({ acl: true });
    env = { ...agent.env };
    await agent.api('POST', '/v1/namespace/payments', { Name: 'payments', Description: 'Payments team' });
    await agent.api('POST', '/v1/node/pool/batch', { Name: 'batch', Description: 'Batch nodes' });
    for (const file of BY_API) {
      const rendered = await runCli(['render', join(FIXTURES, file)], env);
      expect(rendered.code).toBe(0);
      await agent.api('POST', '/v1/jobs', JSON.parse(rendered.stdout));
    }
    const hello = JSON.parse(
      (await runCli(['render', join(FIXTURES, '01-minimal-service.nomad.hcl')], env)).stdout,
    );
    await agent.api('POST', '/v1/jobs', { Job: { ...hello.Job, Namespace: 'payments' } });
    // `nomad job run` with -var and -var-file: Nomad keeps the source and the variables.
    const run = spawnSync(
      nomadBinary()!,
      [
        'job',
        'run',
        '-detach',
        '-var',
        'image=example/api:9',
        '-var-file',
        join(FIXTURES, '43-var-sources.vars.hcl'),
        join(FIXTURES, '43-var-sources.nomad.hcl'),
      ],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
    );
    expect(`${run.status} ${run.stderr}`).toMatch(/^0 /);
    // Beside the jobs: a variable a template reads, one at a job's own path, a workload-identity policy, a role.
    const readerFile = join(mkdtempSync(join(tmpdir(), 'drover-import-')), 'reader.nomad.hcl');
    writeFileSync(readerFile, READER);
    await agent.api('POST', '/v1/jobs', JSON.parse((await runCli(['render', readerFile], env)).stdout));
    await agent.api('PUT', '/v1/var/app/db?namespace=payments', { Items: { password: SECRET } });
    await agent.api('PUT', '/v1/var/nomad/jobs/hello', { Items: { greeting: `${SECRET}-2 \${x}\n` } });
    await agent.api('PUT', '/v1/acl/policy/reader-wi', {
      Name: 'reader-wi',
      Description: 'reader reads app/*',
      Rules:
        'namespace "payments" {\n  variables {\n    path "app/*" {\n      capabilities = ["read"]\n    }\n  }\n}\n',
      JobACL: { Namespace: 'payments', JobID: 'reader' },
    });
    await agent.api('PUT', '/v1/acl/policy/deploy', {
      Name: 'deploy',
      Rules: 'namespace "*" {\n  policy = "write"\n}',
    });
    await agent.api('PUT', '/v1/acl/role', { Name: 'ci', Description: 'CI', Policies: [{ Name: 'deploy' }] });
  }, 180_000);
  afterAll(() => agent?.stop());

  it('writes every job exactly; plan adopts each with no field change, and after apply none changes a field', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'drover-import-')), 'estate');
    const imported = await runCli(
      ['import', '--all-namespaces', '--include', 'acl', '--with-values', '--out', out, '--json'],
      env,
    );
    const result = JSON.parse(imported.stdout) as ImportJson;
    const differing = result.jobs.filter((j) => j.differing.length > 0);
    const exact = result.jobs.length - differing.length;
    // The figure for the issue: jobs imported, exact, differing.
    console.log(
      `real agent: ${result.jobs.length} jobs imported, ${exact} exact, ${differing.length} differing` +
        differing.map((j) => `\n  ${j.namespace}/${j.id}: ${j.differing.join(', ')}`).join(''),
    );
    expect(differing).toEqual([]);
    expect(result.estateDiffering).toEqual([]);
    expect(result.unread).toEqual([]);
    expect(imported.code).toBe(0);
    expect(result.jobs).toHaveLength(BY_API.length + 3);
    expect(result.aclPolicies).toEqual(['deploy', 'reader-wi']);
    expect(result.aclRoles).toEqual(['ci']);
    expect(result.variables.map((v) => `${v.namespace}/${v.path}`)).toEqual([
      'default/nomad/jobs/hello',
      'payments/app/db',
    ]);
    expect(result.jobs.find((j) => j.id === 'var-sources')?.origin).toBe('submission');
    expect(readFileSync(join(out, 'drover.hcl'), 'utf8')).toContain('namespace "payments" {');

    const plan = await runCli(['plan', out, '--json'], env);
    expect(plan.stderr).toBe('');
    const parsed = JSON.parse(plan.stdout) as {
      changes: Array<{
        address: { kind: string; name: string };
        action: string;
        diff?: unknown;
        fields?: unknown[];
      }>;
    };
    const { changes } = parsed;
    const jobs = changes.filter((c) => c.address.kind === 'job');
    expect(
      jobs.filter((c) => c.action !== 'adopt' || changedField(c.diff)).map((c) => c.address.name),
    ).toEqual([]);
    const others = changes.filter((c) => ['acl-policy', 'acl-role', 'variable'].includes(c.address.kind));
    const unchanged = others.filter((c) => c.action === 'adopt' && JSON.stringify(c.fields) === '[]');
    console.log(
      `real agent: ${result.aclPolicies.length} ACL policies, ${result.aclRoles.length} ACL role, ${result.variables.length} variables imported; plan adopts ${unchanged.length} of ${others.length} with no field change`,
    );
    expect(
      others.map((c) => `${c.address.kind} ${c.address.name} ${c.action} ${JSON.stringify(c.fields)}`).sort(),
    ).toEqual([
      'acl-policy deploy adopt []',
      'acl-policy reader-wi adopt []',
      'acl-role ci adopt []',
      'variable app/db adopt []',
      'variable nomad/jobs/hello adopt []',
    ]);

    const apply = await runCli(['apply', out, '--auto-approve', '--detach'], env);
    expect(apply.code).toBe(0);
    const after = JSON.parse((await runCli(['plan', out, '--json'], env)).stdout) as typeof parsed;
    expect(
      after.changes.filter((c) => c.action !== 'noop' && changedField(c.diff)).map((c) => c.address.name),
    ).toEqual([]);
    expect(
      after.changes.filter((c) => c.address.kind !== 'job' && c.action !== 'noop').map((c) => c.address.name),
    ).toEqual([]);
    // The values are in the var file and nowhere else.
    expect(readFileSync(join(out, 'import.secrets.vars.hcl'), 'utf8')).toContain(SECRET);
    expect([imported, plan, apply].filter((r) => `${r.stdout}${r.stderr}`.includes(SECRET))).toEqual([]);
    expect(
      filesUnder(out)
        .filter(([path, text]) => !path.endsWith('import.secrets.vars.hcl') && text.includes(SECRET))
        .map(([path]) => path),
    ).toEqual([]);
  }, 300_000);
});
