import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../support/cli.js';

const SECRET = 'correct-horse-battery-staple';

const JOB = `job "api" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = "example/api:1"
      }
    }
  }
}
`;

const DROVER_HCL = `stack   = "shop"
include = ["estate/*.hcl"]

namespace "payments" {
  description = "Payments team"
  meta        = { team = "payments" }
  capabilities {
    enabled_task_drivers = ["docker", "raw_exec"]
  }
}

node_pool "general" {
  description = "Nodes for everyone"
  meta        = { tier = "shared" }
}

variable "db_password" {
  type = string
}

nomad_variable "nomad/jobs/api" {
  namespace = "payments"
  items = {
    db_password = var.db_password
    feature_x   = "on"
  }
}
`;

const ACL_HCL = `acl_policy "payments-deploy" {
  description = "CI deploys payments"
  rules       = file("policies/payments-deploy.policy.hcl")
  job_acl {
    namespace = "payments"
    job_id    = "api"
  }
}

acl_role "payments-ci" {
  description = "Pipelines of the payments team"
  policies    = ["payments-deploy"]
}
`;

const POLICY = 'namespace "payments" {\n  policy = "write"\n}\n';

/** The directories made, removed when the file's tests end. */
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project directory holding `files` (and .git, so drover looks no higher for drover.hcl). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-estate-e2e-'));
  made.push(dir);
  mkdirSync(join(dir, '.git'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const valid = () =>
  project({
    'drover.hcl': DROVER_HCL,
    'estate/acl.hcl': ACL_HCL,
    'policies/payments-deploy.policy.hcl': POLICY,
    'jobs/api.nomad.hcl': JOB,
  });

/** A Nomad address that counts the connections made to it: validate must make none. */
async function listeningNomad(): Promise<{ address: string; connections: () => number; close(): void }> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { address: `http://127.0.0.1:${port}`, connections: () => count, close: () => server.close() };
}

describe('drover validate checks the estate a project declares, offline', () => {
  let nomad: Awaited<ReturnType<typeof listeningNomad>>;
  beforeAll(async () => {
    nomad = await listeningNomad();
  });
  afterAll(() => nomad.close());

  it('lists drover.hcl and the files it includes beside the job files; exit 0', async () => {
    const dir = valid();
    const result = await runCli(
      ['validate'],
      { NOMAD_ADDR: nomad.address, NOMAD_VAR_db_password: SECRET },
      undefined,
      dir,
    );
    expect(result).toEqual({
      code: 0,
      stdout: '✓ jobs/api.nomad.hcl\n✓ drover.hcl\n✓ estate/acl.hcl\n\n3 files valid.\n',
      stderr: '',
    });
    expect(nomad.connections()).toBe(0);
  });

  it("takes a --var only drover.hcl declares (the job files share the project's values)", async () => {
    const dir = valid();
    const result = await runCli(['validate', '--var', `db_password=${SECRET}`], {}, undefined, dir);
    expect(result.code).toBe(0);
    const stray = await runCli(
      ['validate', '--var', `db_password=${SECRET}`, '--var', 'db_pasword=x'],
      {},
      undefined,
      dir,
    );
    expect(stray.code).toBe(1);
    expect(stray.stderr).toContain('--var db_pasword=… was given, but the job file does not declare it');
  });

  it('validates a project that declares only its estate', async () => {
    const dir = project({
      'drover.hcl': 'namespace "payments" {\n  description = "Payments team"\n}\n',
    });
    const result = await runCli(['validate'], {}, undefined, dir);
    expect(result).toEqual({ code: 0, stdout: '✓ drover.hcl\n\n1 file valid.\n', stderr: '' });
  });

  it('leaves the estate out when given one job file of the project', async () => {
    const dir = valid();
    const result = await runCli(['validate', 'jobs/api.nomad.hcl'], {}, undefined, dir);
    expect(result).toEqual({ code: 0, stdout: '✓ jobs/api.nomad.hcl\n\n1 file valid.\n', stderr: '' });
  });

  it('shows each error at its position with the fix, never a variable value; exit 1, nothing sent', async () => {
    const dir = project({
      'drover.hcl': DROVER_HCL.replace(
        'description = "Payments team"',
        'descripton = "Payments team"',
      ).replace('feature_x   = "on"', 'feature_x   = 1'),
      'estate/acl.hcl': ACL_HCL.replace('policies    = ["payments-deploy"]', 'policies = []').replace(
        'acl_role "payments-ci"',
        'acl_role "payments_ci"',
      ),
      'policies/payments-deploy.policy.hcl': 'namespace "payments" {\n  policy = "wrte"\n}\n',
      'jobs/api.nomad.hcl': JOB,
    });
    const result = await runCli(
      ['validate'],
      { NOMAD_ADDR: nomad.address, NOMAD_VAR_db_password: SECRET },
      undefined,
      dir,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        '✓ jobs/api.nomad.hcl',
        '✗ drover.hcl',
        '  drover.hcl:5:3: error: Unsupported argument "descripton"',
        '    5 |   descripton = "Payments team"',
        '      |   ^^^^^^^^^^',
        '  An argument named "descripton" is not expected in the namespace "payments" block; did you mean "description"?',
        '  drover.hcl:25:19: error: Item "feature_x" is not a string',
        '  Nomad Variables hold strings; item "feature_x" of nomad_variable "nomad/jobs/api" is a number. Write it in quotes, or make text of it with format() or jsonencode().',
        '  policies/payments-deploy.policy.hcl:2:12: error: Invalid namespace policy',
        '    2 |   policy = "wrte"',
        '      |            ^^^^^^',
        '  "wrte" is not a policy here; use deny, read, write, scale.',
        '✗ estate/acl.hcl',
        '  estate/acl.hcl:10:10: error: Invalid acl_role name',
        '    10 | acl_role "payments_ci" {',
        '       |          ^^^^^^^^^^^^^',
        `  An ACL role name is 1 to 128 letters, digits and dashes (Nomad's ^[a-zA-Z0-9-]{1,128}$); "_" is not allowed.`,
        '  estate/acl.hcl:12:14: error: No policies',
        '    12 |   policies = []',
        '       |              ^^',
        '  An ACL role links at least one ACL policy: policies = ["payments-deploy"].',
        '',
        '3 files: 1 valid, 2 with errors (5 errors).',
        '',
      ].join('\n'),
    );
    expect(result.code).toBe(1);
    expect(nomad.connections()).toBe(0);

    const json = await runCli(['validate', '--json'], { NOMAD_VAR_db_password: SECRET }, undefined, dir);
    expect(json.code).toBe(1);
    expect(json.stdout).not.toContain(SECRET);
    const document = JSON.parse(json.stdout);
    expect(document.valid).toBe(false);
    expect(
      document.files.map((f: { path: string; diagnostics: Array<{ line: number; column: number }> }) => [
        f.path,
        f.diagnostics.map((d) => `${d.line}:${d.column}`),
      ]),
    ).toEqual([
      ['jobs/api.nomad.hcl', []],
      ['drover.hcl', ['5:3', '25:19', '2:12']],
      ['estate/acl.hcl', ['10:10', '12:14']],
    ]);
  });

  it('never shows a value a variable item is made of, from a var file or the environment', async () => {
    const fromFile = project({
      'drover.hcl':
        'var_files = ["prod.vars.hcl"]\n\nvariable "port" {\n  type = number\n}\n\nnomad_variable "nomad/jobs/api" {\n  items = { port = format("%d", var.port) }\n}\n',
      'prod.vars.hcl': `port = "${SECRET}"\n`,
    });
    const wrongType = await runCli(['validate'], {}, undefined, fromFile);
    expect(wrongType.code).toBe(1);
    expect(wrongType.stdout).toContain('error: Invalid value for variable "port"');
    expect(`${wrongType.stdout}${wrongType.stderr}`).not.toContain(SECRET);

    const fromEnvironment = project({
      'drover.hcl':
        'variable "db_password" {}\n\nnomad_variable "nomad/jobs/api" {\n  items = { pw = format("%d", parseint(var.db_password, 10)) }\n}\n',
    });
    const refused = await runCli(['validate'], { NOMAD_VAR_db_password: SECRET }, undefined, fromEnvironment);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe(
      [
        '✗ drover.hcl',
        '  drover.hcl:4:31: error: Error in function call',
        '  drover does not print the details of an error under items: they may quote the value. Check the expression, or evaluate it with a value that is not secret.',
        '',
        '1 file: 0 valid, 1 with errors (1 error).',
        '',
      ].join('\n'),
    );
  });
});
