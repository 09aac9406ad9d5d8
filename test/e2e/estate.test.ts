/**
 * The estate beside the jobs, through the built CLI on the simulator with ACLs on: one plan, one apply in kind
 * order, a quiet re-plan, saved plans that hold no variable value, drift, history and destroy.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startAclSimulatorProcess, type AclSimulator } from '../support/cli.js';

const SECRET = 'hunter2-correct-horse-battery';
const OTHER_SECRET = 'staple-9f3c7d21-rotated';

const DROVER_HCL = `stack = "shop"
jobs  = ["jobs/*.nomad.hcl"]

namespace "payments" {
  description = "Payments team"
  meta        = { team = "payments" }
}

node_pool "general" {
  description = "Nodes for everyone"
}

acl_policy "payments-deploy" {
  description = "CI deploys payments"
  rules       = <<-EOT
    namespace "payments" {
      policy = "write"
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
    db_password = var.db_password
    feature_x   = "on"
  }
}
`;

const JOB = `job "api" {
  namespace = "payments"
  group "api" {
    task "app" {
      driver = "docker"
      config {
        image = "example/api:1"
      }
    }
  }
}
`;

describe('the estate planned and applied beside the jobs, as a user runs drover', () => {
  let sim: AclSimulator;
  let management: string;
  let dir: string;
  const env = (secret = SECRET) => ({
    NOMAD_ADDR: sim.address,
    NOMAD_TOKEN: management,
    NOMAD_VAR_db_password: secret,
    CI: 'true',
  });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.address}${path}`, { ...init, headers: { 'X-Nomad-Token': management } });

  beforeAll(async () => {
    sim = await startAclSimulatorProcess(['--speed', '50']);
    management = sim.token;
    dir = mkdtempSync(join(tmpdir(), 'drover-estate-'));
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(join(dir, 'drover.hcl'), DROVER_HCL);
    writeFileSync(join(dir, 'jobs/api.nomad.hcl'), JOB);
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plans every kind in order, saves a plan without the value, applies it, and plans nothing more', async () => {
    const planned = await runCli(['plan', dir], env());
    expect(planned.code).toBe(0);
    const order = [...planned.stdout.matchAll(/^ {2}# (.+?) will be created {2}\[wave (\d+)/gm)].map(
      (m) => `${m[2]} ${m[1]}`,
    );
    expect(order).toEqual([
      '1 node pool "general"',
      '2 namespace "payments"',
      '3 ACL policy "payments-deploy"',
      '4 ACL role "payments-ci"',
      '5 variable "nomad/jobs/api" (namespace payments)',
      '6 api (namespace payments)',
    ]);
    expect(planned.stdout).toContain('(sensitive value)');
    expect(planned.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 6 to create, 0 to update, 0 to delete (node pools: 1 to create; namespaces: 1 to create; ACL policies: 1 to create; ACL roles: 1 to create; variables: 1 to create; jobs: 1 to create).',
    );

    const saved = join(dir, 'plan.json');
    expect((await runCli(['plan', dir, '--out', saved], env())).code).toBe(0);
    expect(readFileSync(saved, 'utf8')).not.toContain(SECRET);

    // The saved plan's values are read again at apply: a value that changed since is refused, nothing written.
    const rotated = await runCli(['apply', saved, '--auto-approve'], env(OTHER_SECRET));
    expect(rotated.code).toBe(1);
    expect(rotated.stdout + rotated.stderr).toMatch(/the value of item "db_password" changed since the plan/);
    expect((await api('/v1/namespace/payments')).status).toBe(404);

    const applied = await runCli(['apply', saved, '--auto-approve'], env());
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 6 succeeded');
    const variable = (await (await api('/v1/var/nomad/jobs/api?namespace=payments')).json()) as {
      Items: Record<string, string>;
    };
    expect(variable.Items).toEqual({ db_password: SECRET, feature_x: 'on' });

    const again = await runCli(['plan', dir, '--detailed-exitcode'], env());
    expect([again.code, again.stdout.trimEnd().split('\n').at(-1)]).toEqual([
      0,
      'No changes. Nomad matches the job files.',
    ]);
    for (const output of [planned, rotated, applied, again]) {
      expect(output.stdout + output.stderr).not.toContain(SECRET);
      expect(output.stdout + output.stderr).not.toContain(OTHER_SECRET);
    }
  });

  it('says what changed outside drover, keeps the run in the history, and destroys every kind it owns', async () => {
    await api('/v1/namespace/payments', {
      method: 'PUT',
      body: JSON.stringify({
        Name: 'payments',
        Description: 'edited by hand',
        Meta: { 'drover.stack': 'shop' },
      }),
    });
    await api('/v1/acl/policy/payments-deploy', {
      method: 'POST',
      body: JSON.stringify({
        Name: 'payments-deploy',
        Rules: 'namespace "payments" {\n  policy = "read"\n}\n',
      }),
    });
    const drift = await runCli(['drift', dir, '--detailed-exitcode'], env());
    expect(drift.code).toBe(2);
    expect(drift.stdout.split('\n')).toEqual([
      'Stack "shop": 2 objects drifted since drover last applied them:',
      expect.stringMatching(/^ {2}namespace payments: changed outside drover \(modify index \d+ → \d+\)$/),
      expect.stringMatching(
        /^ {2}ACL policy payments-deploy: changed outside drover \(modify index \d+ → \d+\)$/,
      ),
      '',
    ]);
    // Nomad lists a token that is not management only the ACL objects linked to it: those are not compared.
    const reader = (await (
      await fetch(`${sim.address}/__sim/token`, {
        method: 'POST',
        body: JSON.stringify({
          namespaces: { '*': { policy: 'read', variables: { '*': ['read'] } } },
          nodePools: { '*': { policy: 'read' } },
        }),
      })
    ).json()) as { SecretID: string };
    const limited = await runCli(['drift', dir, '--detailed-exitcode'], {
      ...env(),
      NOMAD_TOKEN: reader.SecretID,
    });
    expect(limited.code).toBe(2);
    expect(limited.stdout.split('\n')).toEqual([
      'Stack "shop": 1 object drifted since drover last applied it:',
      expect.stringMatching(/^ {2}namespace payments: changed outside drover/),
      'Not compared:',
      '  ! ACL policies: the token may not read them (it needs a management token)',
      '  ! ACL roles: the token may not read them (it needs a management token)',
      '',
    ]);

    const status = await runCli(['status', dir], env());
    expect(status.stdout).toMatch(/^namespace payments +changed outside drover$/m);
    expect(status.stdout).toMatch(/^node pool general +as drover applied it$/m);
    expect(status.stdout).toMatch(/^variable payments\/nomad\/jobs\/api +as drover applied it$/m);
    expect(status.stdout).toMatch(/^ACL policy payments-deploy +changed outside drover$/m);
    const limitedStatus = await runCli(['status', dir], { ...env(), NOMAD_TOKEN: reader.SecretID });
    expect(limitedStatus.stdout).toMatch(/^namespace payments +changed outside drover$/m);
    expect(limitedStatus.stdout).toMatch(
      /^ACL policy payments-deploy +not compared: the token may not read it \(it needs a management token\)$/m,
    );

    const history = await runCli(['history', dir], env());
    expect(history.stdout).toContain('namespace payments create succeeded');
    expect(history.stdout).not.toContain(SECRET);

    const destroyed = await runCli(['destroy', dir, '--auto-approve'], env());
    expect(destroyed.code).toBe(0);
    expect(destroyed.stdout + destroyed.stderr).not.toContain(SECRET);
    for (const [path, status] of [
      ['/v1/namespace/payments', 404],
      ['/v1/node/pool/general', 404],
      ['/v1/acl/policy/payments-deploy', 404],
      ['/v1/var/nomad/jobs/api?namespace=payments', 404],
    ] as const)
      expect([path, (await api(path)).status]).toEqual([path, status]);

    // Nomad keeps the stopped job in the deleted namespace until its garbage collection: applied again, the
    // project starts it again there.
    const again = await runCli(['apply', dir, '--auto-approve'], env());
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toMatch(/\npayments\/api +start +succeeded /);
  });
});
