/**
 * drover import beside the jobs: the ACL policies attached to them, the Nomad Variables their templates read,
 * and with --include every policy, role and variable; plan adopts each unchanged, apply leaves nothing to plan.
 * A variable's values appear only in the var file --with-values writes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startAclSimulatorProcess, type AclSimulator, type CliResult } from '../support/cli.js';

interface ImportJson {
  jobs: Array<{ id: string; differing: string[] }>;
  aclPolicies: string[];
  aclRoles: string[];
  variables: Array<{ namespace: string; path: string; items: Array<{ item: string; input: string }> }>;
  valuesFile?: string;
  valuesToSupply: string[];
  estateDiffering: string[];
  unread: Array<{ kind: string; needs: string }>;
  files: string[];
  gitignored: string[];
}

interface PlanJson {
  changes: Array<{
    address: { kind: string; name: string };
    action: string;
    fields?: unknown[];
    diff?: { Type: string } | null;
  }>;
}

const SECRETS = ['s3cr3t-P4ss', 'feature-flag-on', 'unreferenced-value'];

const JOB = `job "api" {
  namespace = "payments"
  group "api" {
    task "app" {
      driver = "docker"
      config {
        image = "example/api:1"
      }
      template {
        data        = <<EOT
{{ with nomadVar "nomad/jobs/api" }}DB={{ .db_password }}{{ end }}
{{ range nomadVarList "app" }}{{ .Path }}{{ end }}
EOT
        destination = "local/env"
      }
    }
  }
}
`;

/** Every file under dir, relative, with its text. */
function filesUnder(dir: string, at = ''): Array<[string, string]> {
  return readdirSync(join(dir, at)).flatMap((name) => {
    const path = join(at, name);
    return statSync(join(dir, path)).isDirectory()
      ? filesUnder(dir, path)
      : [[path, readFileSync(join(dir, path), 'utf8')] as [string, string]];
  });
}

const leaks = (results: readonly CliResult[]) =>
  results.flatMap((r) => SECRETS.filter((s) => r.stdout.includes(s) || r.stderr.includes(s)));

/** A request to the simulator's API as the management token, which must succeed; its JSON answer. */
async function call(address: string, token: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${address}${path}`, {
    method,
    body: JSON.stringify(body),
    headers: { 'X-Nomad-Token': token },
  });
  expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 200`);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

describe('drover import: ACL policies, roles and Nomad Variables', () => {
  let sim: AclSimulator;
  let management: string;
  let readOnly: string;
  const env = (token = management): Record<string, string> => ({
    NOMAD_ADDR: sim.address,
    NOMAD_TOKEN: token,
    CI: 'true',
  });
  const api = (method: string, path: string, body: unknown) =>
    call(sim.address, management, method, path, body);

  beforeAll(async () => {
    sim = await startAclSimulatorProcess(['--speed', '50']);
    management = sim.token;
    await api('POST', '/v1/namespace/payments', { Name: 'payments', Description: 'Payments' });
    await api('PUT', '/v1/acl/policy/api-wi', {
      Name: 'api-wi',
      Description: 'api reads its config',
      Rules:
        'namespace "payments" {\n  variables {\n    path "app/*" {\n      capabilities = ["read"]\n    }\n  }\n}\n',
      JobACL: { Namespace: 'payments', JobID: 'api' },
    });
    await api('PUT', '/v1/acl/policy/deploy', {
      Name: 'deploy',
      Rules: 'namespace "*" { policy = "write" }',
    });
    await api('PUT', '/v1/acl/policy/reader', {
      Name: 'reader',
      Rules: 'namespace "*" {\n  policy = "read"\n}',
    });
    await api('PUT', '/v1/acl/role', { Name: 'ci', Description: 'CI', Policies: [{ Name: 'deploy' }] });
    await api('PUT', '/v1/var/nomad/jobs/api?namespace=payments', {
      Items: { db_password: SECRETS[0], 'log-level': 'debug ${x}' },
    });
    await api('PUT', '/v1/var/app/config?namespace=payments', { Items: { feature: SECRETS[1] } });
    await api('PUT', '/v1/var/other/thing', { Items: { k: SECRETS[2] } });
    const token = await api('PUT', '/v1/acl/token', { Name: 'ro', Type: 'client', Policies: ['reader'] });
    readOnly = String(token.SecretID);
    const dir = mkdtempSync(join(tmpdir(), 'drover-import-estate-'));
    writeFileSync(join(dir, 'api.nomad.hcl'), JOB);
    const applied = await runCli(['apply', join(dir, 'api.nomad.hcl'), '--auto-approve', '--detach'], env());
    expect(applied.stderr).toBe('');
  }, 120_000);
  afterAll(() => sim.stop());

  it('imports what the jobs depend on; without --with-values the plan refuses, naming each missing value', async () => {
    const out = mkdtempSync(join(tmpdir(), 'drover-import-'));
    const imported = await runCli(['import', '--all-namespaces', '--out', out, '--json'], env());
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout) as ImportJson;
    expect(result.aclPolicies).toEqual(['api-wi']);
    expect(result.aclRoles).toEqual([]);
    expect(
      result.variables.map((v) => `${v.namespace} ${v.path} ${v.items.map((i) => i.item).join(',')}`),
    ).toEqual(['payments app/config feature', 'payments nomad/jobs/api db_password,log-level']);
    expect(result.valuesToSupply).toEqual([
      'payments_app_config_feature',
      'payments_nomad_jobs_api_db_password',
      'payments_nomad_jobs_api_log_level',
    ]);
    expect(result.files).not.toContain('import.secrets.vars.hcl');
    const text = await runCli(['import', '--all-namespaces', '--out', out, '--force'], env());
    expect(text.stdout).toContain(
      '  payments_nomad_jobs_api_db_password  (item db_password of nomad/jobs/api in namespace payments)',
    );

    const plan = await runCli(['plan', out], env());
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('error: Unset variable "payments_nomad_jobs_api_db_password"');
    expect(plan.stderr).toContain(
      'It is the value of item "db_password" of nomad_variable "nomad/jobs/api": drover writes a variable\'s items whole, so it plans nothing until each value is given',
    );
    expect(leaks([imported, text, plan])).toEqual([]);
    expect(filesUnder(out).filter(([, t]) => SECRETS.some((s) => t.includes(s)))).toEqual([]);
  }, 120_000);

  it('with --include acl,nomad_variable --with-values: plan adopts each object unchanged, apply leaves nothing', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'drover-import-'));
    mkdirSync(join(repo, '.git'));
    const out = join(repo, 'deploy');
    const args = [
      'import',
      '--all-namespaces',
      '--include',
      'acl,nomad_variable',
      '--with-values',
      '--out',
      out,
    ];
    const dry = await runCli([...args, '--dry-run'], env());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('policies/reader.policy.hcl, import.secrets.vars.hcl, drover.hcl');
    expect(() => readdirSync(out)).toThrow();

    const imported = await runCli([...args, '--json'], env());
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout) as ImportJson;
    expect(result.aclPolicies).toEqual(['api-wi', 'deploy', 'reader']);
    expect(result.aclRoles).toEqual(['ci']);
    expect(result.variables.map((v) => v.path)).toEqual(['other/thing', 'app/config', 'nomad/jobs/api']);
    expect(result.valuesFile).toBe('import.secrets.vars.hcl');
    expect(result.gitignored).toEqual(['import.secrets.vars.hcl']);
    expect(readFileSync(join(out, '.gitignore'), 'utf8')).toContain('/import.secrets.vars.hcl\n');
    expect(readFileSync(join(out, 'policies/reader.policy.hcl'), 'utf8')).toBe(
      'namespace "*" {\n  policy = "read"\n}',
    );
    const refused = await runCli(args, env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already exist');
    const forced = await runCli([...args, '--force'], env());
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('  import.secrets.vars.hcl: the values of 4 variable items');

    const plan = await runCli(['plan', out, '--json'], env());
    expect(plan.code).toBe(0);
    const changes = (JSON.parse(plan.stdout) as PlanJson).changes;
    const kinds = (kind: string) => changes.filter((c) => c.address.kind === kind);
    expect(
      kinds('acl-policy').map((c) => `${c.address.name} ${c.action} ${JSON.stringify(c.fields)}`),
    ).toEqual(['api-wi adopt []', 'deploy adopt []', 'reader adopt []']);
    expect(kinds('acl-role').map((c) => `${c.address.name} ${c.action} ${JSON.stringify(c.fields)}`)).toEqual(
      ['ci adopt []'],
    );
    expect(kinds('variable').map((c) => `${c.address.name} ${c.action} ${JSON.stringify(c.fields)}`)).toEqual(
      ['other/thing adopt []', 'app/config adopt []', 'nomad/jobs/api adopt []'],
    );
    expect(kinds('job').map((c) => `${c.address.name} ${c.action} ${c.diff?.Type}`)).toEqual([
      'api adopt None',
    ]);

    const apply = await runCli(['apply', out, '--auto-approve', '--detach'], env());
    expect(apply.code).toBe(0);
    const after = await runCli(['plan', out, '--detailed-exitcode'], env());
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);

    // The values are in the var file and nowhere else.
    const values = readFileSync(join(out, 'import.secrets.vars.hcl'), 'utf8');
    expect(SECRETS.filter((s) => !values.includes(s))).toEqual([]);
    expect(leaks([dry, imported, refused, forced, plan, apply, after])).toEqual([]);
    const elsewhere = filesUnder(repo).filter(
      ([path, t]) => path !== join('deploy', 'import.secrets.vars.hcl') && SECRETS.some((s) => t.includes(s)),
    );
    expect(elsewhere).toEqual([]);
  }, 240_000);

  it('names the kinds a token may not read and exits 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'drover-import-'));
    const imported = await runCli(
      ['import', '--all-namespaces', '--include', 'acl', '--out', out],
      env(readOnly),
    );
    expect(imported.code).toBe(1);
    expect(imported.stdout).toContain('Not read (the project may lack objects of these kinds):');
    expect(imported.stdout).toContain(
      '  ! ACL policies: the token may not read them (it needs a management token)',
    );
    expect(imported.stdout).toContain(
      '  ! ACL roles: the token may not read them (it needs a management token)',
    );
    expect(imported.stdout).toContain(
      '  ! Nomad Variables: the token may not read them (it needs variables read on nomad/jobs/api in namespace payments',
    );
    expect(imported.stdout).not.toContain('Next: drover plan');
    expect(leaks([imported])).toEqual([]);
  }, 60_000);
});

describe('drover import --no-jobs: the platform objects alone', () => {
  let sim: AclSimulator;
  let management: string;
  const env = (): Record<string, string> => ({
    NOMAD_ADDR: sim.address,
    NOMAD_TOKEN: management,
    CI: 'true',
  });
  const api = (method: string, path: string, body: unknown) =>
    call(sim.address, management, method, path, body);
  beforeAll(async () => {
    sim = await startAclSimulatorProcess(['--speed', '50']);
    management = sim.token;
    await api('POST', '/v1/namespace/payments', { Name: 'payments', Description: 'Payments' });
    await api('POST', '/v1/namespace/platform', { Name: 'platform', Meta: { 'drover.stack': 'platform' } });
    await api('PUT', '/v1/node/pool/general', { Name: 'general', Description: 'Shared nodes' });
    await api('PUT', '/v1/acl/policy/deploy', {
      Name: 'deploy',
      Rules: 'namespace "*" { policy = "write" }',
    });
    await api('PUT', '/v1/acl/role', { Name: 'ci', Policies: [{ Name: 'deploy' }] });
  }, 60_000);
  afterAll(() => sim.stop());

  it('imports namespaces, node pools and ACLs (what another stack manages left out), adopted, then nothing to plan', async () => {
    const out = mkdtempSync(join(tmpdir(), 'drover-import-'));
    const args = ['import', '--no-jobs', '--include', 'namespace,node_pool,acl', '--out', out];
    const imported = await runCli([...args, '--json'], env());
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout) as ImportJson & {
      namespaces: string[];
      nodePools: string[];
      otherStacks: unknown[];
    };
    expect(result).toMatchObject({
      jobs: [],
      namespaces: ['payments'],
      nodePools: ['general'],
      otherStacks: [{ kind: 'namespace', name: 'platform', stack: 'platform' }],
      aclPolicies: ['deploy'],
      aclRoles: ['ci'],
    });
    const text = await runCli([...args, '--force'], env());
    expect(text.stdout).toContain(
      'Left out, as another drover stack manages them: namespace "platform" (stack "platform").',
    );
    const project = readFileSync(join(out, 'drover.hcl'), 'utf8');
    expect(project).not.toMatch(/^jobs = /m);
    expect(project).toContain('namespace "payments" {');
    expect(project).not.toContain('namespace "platform"');

    const plan = await runCli(['plan', out, '--json'], env());
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const changes = (JSON.parse(plan.stdout) as PlanJson).changes;
    expect(changes.map((c) => `${c.address.kind} ${c.address.name} ${c.action}`)).toEqual([
      'node-pool general adopt',
      'namespace payments adopt',
      'acl-policy deploy adopt',
      'acl-role ci adopt',
    ]);
    expect((await runCli(['apply', out, '--auto-approve'], env())).code).toBe(0);
    const after = await runCli(['plan', out, '--detailed-exitcode'], env());
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);

    const nothing = await runCli(['import', '--no-jobs', '--out', out], env());
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('Error: --no-jobs leaves nothing to import');
    const both = await runCli(['import', 'api', '--no-jobs', '--include', 'acl', '--out', out], env());
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('Error: --no-jobs imports no job, yet jobs are named: api');
  }, 120_000);

  it('names a role linking policies deleted since (Nomad keeps the links): written without them, exit 1', async () => {
    for (const name of ['gone-a', 'gone-b', 'kept'])
      await api('PUT', `/v1/acl/policy/${name}`, { Name: name, Rules: 'namespace "*" { policy = "read" }' });
    await api('PUT', '/v1/acl/role', { Name: 'partly', Policies: [{ Name: 'gone-a' }, { Name: 'kept' }] });
    await api('PUT', '/v1/acl/role', { Name: 'orphan', Policies: [{ Name: 'gone-b' }] });
    for (const name of ['gone-a', 'gone-b']) await api('DELETE', `/v1/acl/policy/${name}`, undefined);

    const out = mkdtempSync(join(tmpdir(), 'drover-import-roles-'));
    const imported = await runCli(['import', '--no-jobs', '--include', 'acl', '--out', out], env());
    expect(imported.code).toBe(1);
    expect(imported.stdout).toContain(
      'Not written as Nomad holds them:\n' +
        '  ✗ acl_role "orphan": not written, every policy it links ("gone-b") is gone from Nomad\n' +
        '  ✗ acl_role "partly": links "gone-a", which Nomad no longer holds; left out (a plan unlinks them)\n',
    );
    const project = readFileSync(join(out, 'drover.hcl'), 'utf8');
    expect(project).toMatch(/acl_role "partly" \{[^}]*policies\s+= \["kept"\]/);
    expect(project).not.toContain('acl_role "orphan"');
  }, 60_000);
});
