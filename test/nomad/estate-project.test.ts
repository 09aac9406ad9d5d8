/**
 * One project's estate on a real Nomad with ACLs on, through the built CLI as a user runs it: a namespace, a node
 * pool, an ACL policy and role, and a Nomad Variable beside a job whose template reads the variable. Created,
 * updated, adopted, drifted, pruned and destroyed, with a management token and a read-only one; no byte of any
 * item value in any output, saved plan, history record or error. The one place a value is compared is the file
 * the job's template rendered, read through the client FS API.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';

/** Random capitals beyond F: no hex digest or UUID, no word and no path drover prints holds 8 of them in a row. */
const secret = () => Array.from({ length: 24 }, () => 'GHJKLMNPQRSTUVWXYZ'[randomInt(18)]).join('');
const DB_PASSWORD = secret();
const ROTATED = secret();
const NOT_PLANNED = secret();
const READ_ONLY_ROTATION = secret();
const HAND_WRITTEN = secret();
const ADOPTED = secret();
const UNTOUCHED = secret();
const FEATURE = secret();
/** Every value an item of a variable has held, in the project or in Nomad. */
const VALUES = [
  DB_PASSWORD,
  ROTATED,
  NOT_PLANNED,
  READ_ONLY_ROTATION,
  HAND_WRITTEN,
  ADOPTED,
  UNTOUCHED,
  FEATURE,
];

/** What of a value could show: every 8 bytes of it, as text, base64 and hex. */
function fragments(value: string): string[] {
  const bytes = Buffer.from(value);
  return [value, bytes.toString('base64').replace(/=+$/, ''), bytes.toString('hex')].flatMap((form) =>
    Array.from({ length: form.length - 7 }, (_, i) => form.slice(i, i + 8)),
  );
}
const FRAGMENTS = VALUES.flatMap((value) => fragments(value).map((fragment) => ({ value, fragment })));

const drover = (options: { namespace?: string; policy?: string; audit?: boolean; items?: string } = {}) =>
  `stack = "shop"
jobs  = ["jobs/*.nomad.hcl"]

namespace "payments" {
  description = "${options.namespace ?? 'Payments team'}"
  meta        = { team = "payments" }
}

node_pool "general" {
  description = "Nodes for everyone"
  meta        = { tier = "shared" }
}

acl_policy "payments-deploy" {
  description = "CI deploys payments"
  rules       = <<-EOT
    namespace "payments" {
      policy = "${options.policy ?? 'write'}"
    }
  EOT
}

acl_role "payments-ci" {
  description = "Pipelines of the payments team"
  policies    = ["payments-deploy"]
}

variable "db_password" {
  type = string
}

nomad_variable "nomad/jobs/api" {
  namespace = "payments"
  items = {
    db_password = ${options.items ?? 'var.db_password'}
    feature_x   = "${FEATURE}"
  }
}
${options.audit ? AUDIT : ''}`;

/** Objects made by hand, declared to be adopted. */
const AUDIT = `
namespace "audit" {
  description = "Audit logs"
}

node_pool "batch" {
  description = "Batch nodes"
}

acl_policy "audit-read" {
  description = "Reads audit"
  rules       = <<-EOT
    namespace "audit" {
      policy = "read"
    }
  EOT
}

acl_role "audit-ci" {
  description = "Audit pipelines"
  policies    = ["audit-read"]
}

variable "audit_token" {
  type = string
}

nomad_variable "nomad/jobs/audit" {
  namespace = "audit"
  items = {
    token = var.audit_token
  }
}
`;

/** Runs in the default node pool: the dev agent's node is there, so the new pool stays empty. */
const JOB = `job "api" {
  namespace = "payments"
  group "api" {
    update {
      min_healthy_time = "1s"
    }
    task "app" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }
      template {
        data        = "{{ with nomadVar \\"nomad/jobs/api\\" }}db={{ .db_password }} feature={{ .feature_x }}{{ end }}\\n"
        destination = "local/app.env"
        change_mode = "noop"
      }
      resources {
        cpu    = 20
        memory = 32
      }
    }
  }
}
`;

const READ_ONLY_RULES = `namespace "*" {
  policy = "read"
  variables {
    path "*" {
      capabilities = ["read", "list"]
    }
  }
}
node_pool "*" {
  policy = "read"
}
node {
  policy = "read"
}
agent {
  policy = "read"
}
`;

/** The objects made by hand that the project never declares: prune and destroy leave them as they are. */
const UNDECLARED = [
  '/v1/namespace/scratch',
  '/v1/node/pool/spare',
  '/v1/acl/policy/hand-made',
  '/v1/acl/role/name/hand-role',
  '/v1/var/nomad/jobs/hand?namespace=default',
];

interface Values {
  readonly db?: string;
  readonly token?: string;
  /** The audit blocks are declared. */
  readonly audit?: boolean;
}

interface Indexed {
  readonly ModifyIndex: number;
}

describe("a project's estate on a real Nomad agent, as a user runs drover", () => {
  let agent: NomadAgent;
  let dir: string;
  let readOnly: string;
  let undeclared: number[];
  /** Everything drover printed, wrote or kept, to search for values at the end. */
  const kept: Array<{ readonly what: string; readonly text: string }> = [];

  /**
   * The environment of one run: the values of the variables the project declares then (a NOMAD_VAR_ value no
   * file declares goes into the jobs' submissions, as Nomad's CLI sends it).
   */
  const env = (values: Values = {}) => ({
    ...agent.env,
    NOMAD_TOKEN: values.token ?? agent.managementToken!,
    NOMAD_VAR_db_password: values.db ?? DB_PASSWORD,
    ...(values.audit ? { NOMAD_VAR_audit_token: ADOPTED } : {}),
    CI: 'true',
  });
  const drove = async (args: readonly string[], values: Values = {}) => {
    const result = await runCli(args, env(values), undefined, dir);
    const who = values.token === readOnly ? 'read-only' : 'management';
    kept.push({ what: `drover ${args.join(' ')} (${who} token)`, text: result.stdout + result.stderr });
    return result;
  };
  const savedPlan = (name: string) => {
    const path = join(dir, name);
    kept.push({ what: `saved plan ${name}`, text: readFileSync(path, 'utf8') });
    return path;
  };
  const project = (text: string) => writeFileSync(join(dir, 'drover.hcl'), text);
  const status = async (path: string) =>
    (await fetch(`${agent.address}${path}`, { headers: { 'X-Nomad-Token': agent.managementToken! } })).status;
  const index = async (path: string) => (await agent.api<Indexed>('GET', path)).ModifyIndex;
  const heads = (result: CliResult) =>
    [...result.stdout.matchAll(/^ {2}# (.+?) will be (\w+)(?: by this stack)? {2}\[wave (\d+)/gm)].map(
      (m) => `${m[3]} ${m[2]} ${m[1]}`,
    );
  const summary = (result: CliResult) =>
    result.stdout
      .trimEnd()
      .split('\n')
      .filter((line) => line.startsWith('Plan: ') || line.startsWith('No changes.'));

  /** What the job's template rendered, from the allocation's directory on the client. */
  const rendered = async (): Promise<string> => {
    const allocations = await agent.api<Array<{ ID: string; ClientStatus: string }>>(
      'GET',
      '/v1/job/api/allocations?namespace=payments',
    );
    const running = allocations.find((a) => a.ClientStatus === 'running');
    if (!running) return '';
    const response = await fetch(
      `${agent.address}/v1/client/fs/cat/${running.ID}?path=app/local/app.env&namespace=payments`,
      { headers: { 'X-Nomad-Token': agent.managementToken! } },
    );
    return response.ok ? response.text() : '';
  };
  /** Templates render again once the variable changes (change_mode "noop": the task keeps running). */
  const renders = async (expected: string) => {
    const deadline = Date.now() + 60_000;
    let text = await rendered();
    while (text !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      text = await rendered();
    }
    // Compared as a boolean: a failure must not print the value either.
    expect(text === expected).toBe(true);
  };

  beforeAll(async () => {
    agent = await startNomadAgent();
    dir = mkdtempSync(join(tmpdir(), 'drover-estate-project-'));
    mkdirSync(join(dir, '.git'));
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(join(dir, 'jobs/api.nomad.hcl'), JOB);
    project(drover());
    await agent.api('POST', '/v1/acl/policy/read-only', { Name: 'read-only', Rules: READ_ONLY_RULES });
    readOnly = (
      await agent.api<{ SecretID: string }>('POST', '/v1/acl/token', {
        Name: 'read-only',
        Type: 'client',
        Policies: ['read-only'],
      })
    ).SecretID;
    await agent.api('POST', '/v1/namespace/scratch', { Name: 'scratch', Description: 'made by hand' });
    await agent.api('PUT', '/v1/node/pools', { Name: 'spare', Description: 'made by hand' });
    await agent.api('POST', '/v1/acl/policy/hand-made', {
      Name: 'hand-made',
      Rules: 'namespace "scratch" {\n  policy = "read"\n}\n',
    });
    await agent.api('PUT', '/v1/acl/role', { Name: 'hand-role', Policies: [{ Name: 'hand-made' }] });
    await agent.api('PUT', '/v1/var/nomad/jobs/hand?namespace=default', { Items: { key: UNTOUCHED } });
    undeclared = await Promise.all(UNDECLARED.map(index));
  }, 120_000);
  afterAll(async () => {
    await agent?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plans every kind in order, applies a saved plan, the job renders the variable, and plans nothing more', async () => {
    const planned = await drove(['plan', '--out', join(dir, 'first.plan')]);
    expect(planned.code).toBe(0);
    expect(heads(planned)).toEqual([
      '1 created node pool "general"',
      '2 created namespace "payments"',
      '3 created ACL policy "payments-deploy"',
      '4 created ACL role "payments-ci"',
      '5 created variable "nomad/jobs/api" (namespace payments)',
      '6 created api (namespace payments)',
    ]);
    expect(planned.stdout).toContain(
      '      + Items[db_password]: "(sensitive value)"\n      + Items[feature_x]: "(sensitive value)"\n',
    );
    expect(summary(planned)).toEqual([
      'Plan: 6 to create, 0 to update, 0 to delete (node pools: 1 to create; namespaces: 1 to create; ACL policies: 1 to create; ACL roles: 1 to create; variables: 1 to create; jobs: 1 to create).',
    ]);
    const saved = savedPlan('first.plan');
    for (const args of [
      ['show', saved],
      ['show', saved, '--json'],
      ['plan', '--markdown'],
    ])
      expect((await drove(args)).code).toBe(0);

    const applied = await drove(['apply', saved, '--auto-approve']);
    expect([applied.code, applied.stderr]).toEqual([0, '']);
    expect(applied.stdout).toContain('Apply complete: 6 succeeded.');
    await renders(`db=${DB_PASSWORD} feature=${FEATURE}\n`);

    const again = await drove(['plan', '--detailed-exitcode']);
    expect([again.code, summary(again)]).toEqual([0, ['No changes. Nomad matches the job files.']]);
  });

  it('updates a description, an ACL rule and a value: the plan shows exactly those, a changed value is refused', async () => {
    project(drover({ namespace: 'Payments team (EU)', policy: 'read' }));
    const planned = await drove(['plan', '--detailed-exitcode', '--out', join(dir, 'update.plan')], {
      db: ROTATED,
    });
    expect(planned.code).toBe(2);
    expect(planned.stdout).toBe(
      `drover plan (stack shop, namespace default, ${agent.address}, project drover.hcl)

  # namespace "payments" will be updated  [wave 2]
  ~ namespace "payments"  drover.hcl:4:1
      ~ Description: "Payments team" → "Payments team (EU)"

  # ACL policy "payments-deploy" will be updated  [wave 3]
  ~ ACL policy "payments-deploy"  drover.hcl:14:1
      ~ Rules:
          @@ -1,3 +1,3 @@
           namespace "payments" {
          -  policy = "write"
          +  policy = "read"
           }

  # variable "nomad/jobs/api" (namespace payments) will be updated  [wave 5]
  ~ variable "nomad/jobs/api"  drover.hcl:32:1
      ~ Items[db_password]: "(sensitive value)" → "(sensitive value changed)"

Plan: 0 to create, 3 to update, 0 to delete (namespaces: 1 to update; ACL policies: 1 to update; variables: 1 to update). 3 unchanged.
`,
    );
    const saved = savedPlan('update.plan');

    // The values are read again at apply: one that differs from the plan's is refused before any write.
    const changed = await drove(['apply', saved, '--auto-approve'], { db: NOT_PLANNED });
    expect(changed.code).toBe(1);
    expect(changed.stdout + changed.stderr).toContain(
      'variable nomad/jobs/api in namespace payments: the value of item "db_password" changed since the plan; run plan again',
    );
    expect((await agent.api<{ Description: string }>('GET', '/v1/namespace/payments')).Description).toBe(
      'Payments team',
    );

    const applied = await drove(['apply', saved, '--auto-approve'], { db: ROTATED });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 3 succeeded, 3 unchanged.');
    await renders(`db=${ROTATED} feature=${FEATURE}\n`);
    expect((await drove(['plan', '--detailed-exitcode'], { db: ROTATED })).code).toBe(0);
  });

  it('adopts an object of every kind made by hand, writing only the stamp where one goes', async () => {
    await agent.api('POST', '/v1/namespace/audit', { Name: 'audit', Description: 'Audit logs' });
    await agent.api('PUT', '/v1/node/pools', { Name: 'batch', Description: 'Batch nodes' });
    await agent.api('POST', '/v1/acl/policy/audit-read', {
      Name: 'audit-read',
      Description: 'Reads audit',
      Rules: 'namespace "audit" {\n  policy = "read"\n}\n',
    });
    await agent.api('PUT', '/v1/acl/role', {
      Name: 'audit-ci',
      Description: 'Audit pipelines',
      Policies: [{ Name: 'audit-read' }],
    });
    await agent.api('PUT', '/v1/var/nomad/jobs/audit?namespace=audit', { Items: { token: ADOPTED } });
    const before = await Promise.all(
      [
        '/v1/acl/policy/audit-read',
        '/v1/acl/role/name/audit-ci',
        '/v1/var/nomad/jobs/audit?namespace=audit',
      ].map(index),
    );
    project(drover({ namespace: 'Payments team (EU)', policy: 'read', audit: true }));

    const planned = await drove(['plan', '--detailed-exitcode'], { db: ROTATED, audit: true });
    expect(planned.code).toBe(2);
    expect(heads(planned)).toEqual([
      '1 adopted node pool "batch"',
      '2 adopted namespace "audit"',
      '3 adopted ACL policy "audit-read"',
      '4 adopted ACL role "audit-ci"',
      '5 adopted variable "nomad/jobs/audit" (namespace audit)',
    ]);
    expect(planned.stdout).toContain(
      `Warnings:
  ! batch: drover takes this node pool over by adding meta "drover.stack" = "shop".
  ! audit: drover takes this namespace over by adding meta "drover.stack" = "shop".
  ! audit-read: drover takes this ACL policy over by listing it in the inventory of stack "shop": prune and destroy may then delete it.
  ! audit-ci: drover takes this ACL role over by listing it in the inventory of stack "shop": prune and destroy may then delete it.
  ! nomad/jobs/audit: drover takes this variable over by listing it in the inventory of stack "shop": prune and destroy may then delete it.
`,
    );
    expect(summary(planned)).toEqual([
      'Plan: 0 to create, 0 to update, 5 to adopt, 0 to delete (node pools: 1 to adopt; namespaces: 1 to adopt; ACL policies: 1 to adopt; ACL roles: 1 to adopt; variables: 1 to adopt). 6 unchanged.',
    ]);

    const applied = await drove(['apply', '--auto-approve'], { db: ROTATED, audit: true });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 5 succeeded, 6 unchanged.');
    // Policies, roles and variables have no meta: adopting one that matches writes nothing to it.
    expect(
      await Promise.all(
        [
          '/v1/acl/policy/audit-read',
          '/v1/acl/role/name/audit-ci',
          '/v1/var/nomad/jobs/audit?namespace=audit',
        ].map(index),
      ),
    ).toEqual(before);
    expect((await agent.api<{ Meta: Record<string, string> }>('GET', '/v1/node/pool/batch')).Meta).toEqual({
      'drover.stack': 'shop',
    });
    expect((await drove(['plan', '--detailed-exitcode'], { db: ROTATED, audit: true })).code).toBe(0);
    expect((await drove(['drift', '--detailed-exitcode'], { audit: true })).stdout).toBe(
      'No drift: the 1 job and 10 other objects of stack "shop" are as drover last applied them.\n',
    );
  });

  it('names each kind edited by hand, and one deleted, in drift and in the plan; a plan gone stale is refused', async () => {
    await agent.api('PUT', '/v1/node/pools', {
      Name: 'general',
      Description: 'edited by hand',
      Meta: { 'drover.stack': 'shop', tier: 'shared' },
    });
    await agent.api('POST', '/v1/namespace/payments', {
      Name: 'payments',
      Description: 'edited by hand',
      Meta: { 'drover.stack': 'shop', team: 'payments' },
    });
    await agent.api('POST', '/v1/acl/policy/payments-deploy', {
      Name: 'payments-deploy',
      Description: 'CI deploys payments',
      Rules: 'namespace "payments" {\n  policy = "write"\n}\n',
    });
    const role = await agent.api<{ ID: string }>('GET', '/v1/acl/role/name/payments-ci');
    await agent.api('POST', `/v1/acl/role/${role.ID}`, {
      ID: role.ID,
      Name: 'payments-ci',
      Description: 'edited by hand',
      Policies: [{ Name: 'payments-deploy' }],
    });
    await agent.api('PUT', '/v1/var/nomad/jobs/api?namespace=payments', {
      Items: { db_password: HAND_WRITTEN, feature_x: FEATURE },
    });
    await agent.api('DELETE', '/v1/var/nomad/jobs/audit?namespace=audit');

    const drift = await drove(['drift', '--detailed-exitcode'], { audit: true });
    expect(drift.code).toBe(2);
    const edited = (what: string) =>
      new RegExp(`^ {2}${what}: changed outside drover \\(modify index \\d+ → \\d+\\)$`);
    expect(drift.stdout.split('\n')).toEqual([
      'Stack "shop": 6 objects drifted since drover last applied them:',
      expect.stringMatching(edited('node pool general')),
      expect.stringMatching(edited('namespace payments')),
      expect.stringMatching(edited('ACL policy payments-deploy')),
      expect.stringMatching(edited('ACL role payments-ci')),
      '  variable audit/nomad/jobs/audit: deleted outside drover',
      expect.stringMatching(edited('variable payments/nomad/jobs/api')),
      '',
    ]);

    const planned = await drove(['plan', '--out', join(dir, 'drift.plan')], { db: ROTATED, audit: true });
    expect(heads(planned)).toEqual([
      '1 updated node pool "general"',
      '2 updated namespace "payments"',
      '3 updated ACL policy "payments-deploy"',
      '4 updated ACL role "payments-ci"',
      '5 created variable "nomad/jobs/audit" (namespace audit)',
      '5 updated variable "nomad/jobs/api" (namespace payments)',
    ]);
    expect(planned.stdout).toMatch(/\nNotes:\n(?: {2}· drift: .+\n){6}\n/);
    const saved = savedPlan('drift.plan');

    // Written by hand once more after the plan: apply refuses the whole plan before its first write.
    await agent.api('PUT', '/v1/var/nomad/jobs/api?namespace=payments', {
      Items: { db_password: HAND_WRITTEN, feature_x: 'again' },
    });
    const stale = await drove(['apply', saved, '--auto-approve'], { db: ROTATED, audit: true });
    expect(stale.code).toBe(1);
    expect(stale.stdout + stale.stderr).toMatch(
      /variable nomad\/jobs\/api in namespace payments changed since the plan \(modify index \d+ → \d+\); run plan again/,
    );
    expect((await agent.api<{ Description: string }>('GET', '/v1/namespace/payments')).Description).toBe(
      'edited by hand',
    );

    expect((await drove(['apply', '--auto-approve'], { db: ROTATED, audit: true })).code).toBe(0);
    await renders(`db=${ROTATED} feature=${FEATURE}\n`);
    expect((await drove(['drift', '--detailed-exitcode'], { audit: true })).code).toBe(0);
    expect((await drove(['plan', '--detailed-exitcode'], { db: ROTATED, audit: true })).code).toBe(0);
  });

  it('prunes exactly the blocks removed, in reverse order, and nothing made by hand', async () => {
    project(drover({ namespace: 'Payments team (EU)', policy: 'read' }));
    const planned = await drove(['plan', '--prune', '--detailed-exitcode'], { db: ROTATED });
    expect(planned.code).toBe(2);
    expect(heads(planned)).toEqual([
      '7 deleted variable "nomad/jobs/audit" (namespace audit)',
      '8 deleted ACL role "audit-ci"',
      '9 deleted ACL policy "audit-read"',
      '10 deleted namespace "audit"',
      '11 deleted node pool "batch"',
    ]);
    expect(summary(planned)).toEqual([
      'Plan: 0 to create, 0 to update, 5 to delete (variables: 1 to delete; ACL roles: 1 to delete; ACL policies: 1 to delete; namespaces: 1 to delete; node pools: 1 to delete). 6 unchanged.',
    ]);
    const applied = await drove(['apply', '--prune', '--auto-approve'], { db: ROTATED });
    expect(applied.code).toBe(0);
    for (const path of [
      '/v1/var/nomad/jobs/audit?namespace=audit',
      '/v1/acl/role/name/audit-ci',
      '/v1/acl/policy/audit-read',
      '/v1/namespace/audit',
      '/v1/node/pool/batch',
    ])
      expect([path, await status(path)]).toEqual([path, 404]);
    for (const path of [
      '/v1/namespace/payments',
      '/v1/node/pool/general',
      '/v1/acl/policy/payments-deploy',
      '/v1/acl/role/name/payments-ci',
      '/v1/var/nomad/jobs/api?namespace=payments',
    ])
      expect([path, await status(path)]).toEqual([path, 200]);
    expect(await Promise.all(UNDECLARED.map(index))).toEqual(undeclared);
    expect((await drove(['plan', '--prune', '--detailed-exitcode'], { db: ROTATED })).code).toBe(0);
  });

  it('with a read-only token: plans what it can see, names the ACL kinds not planned, and every write is refused', async () => {
    const asReader = { db: READ_ONLY_ROTATION, token: readOnly };
    const planned = await drove(
      ['plan', '--detailed-exitcode', '--out', join(dir, 'read-only.plan')],
      asReader,
    );
    expect(planned.code).toBe(2);
    expect(heads(planned)).toEqual(['3 updated variable "nomad/jobs/api" (namespace payments)']);
    expect(planned.stdout).toContain(
      `Not planned:
  ! ACL policies: the token may not read them (it needs a management token); what changes is unknown, and apply refuses this plan
  ! ACL roles: the token may not read them (it needs a management token); what changes is unknown, and apply refuses this plan
`,
    );
    const saved = savedPlan('read-only.plan');
    expect((await drove(['plan', '--read-only', '--json'], asReader)).code).toBe(0);
    const indexes = async () =>
      Promise.all(
        [
          '/v1/namespace/payments',
          '/v1/node/pool/general',
          '/v1/acl/policy/payments-deploy',
          '/v1/acl/role/name/payments-ci',
          '/v1/var/nomad/jobs/api?namespace=payments',
          '/v1/var/drover/stacks/shop/inventory?namespace=default',
        ].map(index),
      );
    const before = await indexes();

    const locked = await drove(['apply', '--auto-approve'], asReader);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('Error: the token may not use the stack lock drover/stacks/shop/lock');
    for (const target of [[], [saved]]) {
      const refused = await drove(['apply', ...target, '--auto-approve', '--lock=false'], asReader);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'Error: the plan could not read ACL policies, ACL roles: nothing was applied\n',
      );
    }
    expect((await drove(['destroy', '--auto-approve', '--lock=false'], asReader)).code).toBe(1);
    expect(await indexes()).toEqual(before);

    const drift = await drove(['drift', '--detailed-exitcode'], asReader);
    expect([drift.code, drift.stdout]).toEqual([
      2,
      `No drift: the 1 job and 3 other objects of stack "shop" are as drover last applied them.
Not compared:
  ! ACL policies: the token may not read them (it needs a management token)
  ! ACL roles: the token may not read them (it needs a management token)
`,
    ]);
    for (const args of [['history'], ['show', saved]]) expect((await drove(args, asReader)).code).toBe(0);
    const objects = (result: CliResult) => result.stdout.slice(result.stdout.indexOf('\nOBJECT ') + 1);
    expect(objects(await drove(['status'], asReader))).toMatch(
      /^OBJECT +STATE\nnode pool general +as drover applied it\nnamespace payments +as drover applied it\nACL policy payments-deploy +not compared: the token may not read it \(it needs a management token\)\nACL role payments-ci +not compared: .+\nvariable payments\/nomad\/jobs\/api +as drover applied it\n$/,
    );
    expect(objects(await drove(['status']))).toMatch(/^OBJECT +STATE\n(?:.+ +as drover applied it\n){5}$/);
  });

  it('refuses an expression over a value without quoting the value', async () => {
    project(
      drover({ namespace: 'Payments team (EU)', policy: 'read', items: 'parseint(var.db_password, 10)' }),
    );
    try {
      for (const args of [['validate'], ['plan']]) {
        const refused = await drove(args, { db: ROTATED });
        expect(refused.code).toBe(1);
        expect(refused.stdout + refused.stderr).toContain('Error in function call');
      }
    } finally {
      project(drover({ namespace: 'Payments team (EU)', policy: 'read' }));
    }
  });

  it('destroys every object the stack owns and nothing else; applied again, the job starts where it was', async () => {
    const destroyed = await drove(['destroy', '--auto-approve'], { db: ROTATED });
    expect(destroyed.code).toBe(0);
    expect(destroyed.stdout).toContain('Destroy complete: 6 succeeded.');
    for (const path of [
      '/v1/namespace/payments',
      '/v1/node/pool/general',
      '/v1/acl/policy/payments-deploy',
      '/v1/acl/role/name/payments-ci',
      '/v1/var/nomad/jobs/api?namespace=payments',
    ])
      expect([path, await status(path)]).toEqual([path, 404]);
    expect(await Promise.all(UNDECLARED.map(index))).toEqual(undeclared);
    const inventory = await agent.api<{ Items: Record<string, string> }>(
      'GET',
      '/v1/var/drover/stacks/shop/inventory?namespace=default',
    );
    expect(JSON.parse(inventory.Items.objects!)).toEqual({ version: 1 });

    // Nomad deleted the namespace and keeps the stopped job in it until its garbage collection.
    const again = await drove(['apply', '--auto-approve'], { db: ROTATED });
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toMatch(/\npayments\/api +start +succeeded /);
    await renders(`db=${ROTATED} feature=${FEATURE}\n`);
  });

  it("holds no byte of any value in any output, saved plan, or the stack's history, inventory and lock", async () => {
    const stackVariables = await agent.api<Array<{ Path: string }>>(
      'GET',
      '/v1/vars?prefix=drover/stacks/shop&namespace=default',
    );
    expect(stackVariables.map((v) => v.Path).sort()).toEqual([
      'drover/stacks/shop/history',
      'drover/stacks/shop/inventory',
      'drover/stacks/shop/lock',
    ]);
    for (const { Path } of stackVariables)
      kept.push({
        what: Path,
        text: JSON.stringify(await agent.api('GET', `/v1/var/${Path}?namespace=default`)),
      });
    expect(kept.filter((k) => k.what.includes('read-only token')).length).toBeGreaterThan(5);
    expect(kept.length).toBeGreaterThan(40);
    const leaks = kept.flatMap(({ what, text }) =>
      FRAGMENTS.filter(({ fragment }) => text.includes(fragment)).map(
        ({ value }) => `${what}: part of value #${VALUES.indexOf(value)}`,
      ),
    );
    expect([...new Set(leaks)]).toEqual([]);
  });
});
