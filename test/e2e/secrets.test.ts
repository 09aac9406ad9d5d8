import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

/** One value per place a secret can live; each generation changes every one of them. */
const secrets = (generation: number) => ({
  envToken: `env-token-${generation}88`,
  envPassword: `env-pass-${generation}wd`,
  metaKey: `meta-key-${generation}xyz`,
  configToken: `config-token-${generation}q`,
  templateKey: `template-key-${generation}w`,
  variable: `var-password-${generation}z`,
});

const jobFile = (s: ReturnType<typeof secrets>) => `variable "db_password" {
  type = string
}

job "vault-web" {
  meta {
    auth_key = "${s.metaKey}"
  }
  group "web" {
    task "app" {
      driver = "docker"
      config {
        image      = "example/app:1"
        auth_token = "${s.configToken}"
        args       = ["--db-password=\${var.db_password}"]
      }
      env {
        API_TOKEN   = "${s.envToken}"
        DB_PASSWORD = "${s.envPassword}"
        CONN        = var.db_password
        MODE        = "prod"
      }
      template {
        destination = "local/app.env"
        data        = "SECRET_KEY=${s.templateKey}\\nLOG_LEVEL=info\\n"
      }
    }
  }
}
`;

function writeProject(dir: string, generation: number): void {
  const s = secrets(generation);
  mkdirSync(join(dir, 'jobs'), { recursive: true });
  writeFileSync(
    join(dir, 'drover.hcl'),
    'stack = "vault"\njobs = ["jobs/*.nomad.hcl"]\nvar_files = ["secrets.vars.hcl"]\n',
  );
  writeFileSync(join(dir, 'secrets.vars.hcl'), `db_password = "${s.variable}"\n`);
  writeFileSync(join(dir, 'jobs/web.nomad.hcl'), jobFile(s));
}

describe('no byte of a secret in any rendering, on either diff source', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let dir: string;
  let readOnlyToken: string;
  let managementToken: string;
  const every = [1, 2, 3].flatMap((generation) => Object.values(secrets(generation)));
  const leaks = (text: string) => every.filter((secret) => text.includes(secret));
  const control = (action: string, body: unknown = {}) =>
    fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) }).then(
      (r) => r.json() as Promise<{ SecretID: string }>,
    );

  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    managementToken = (await control('acl')).SecretID;
    readOnlyToken = (await control('token', { namespaces: { default: { policy: 'read' } } })).SecretID;
    dir = mkdtempSync(join(tmpdir(), 'drover-secrets-'));
    writeProject(dir, 1);
    const first = await runCli(['apply', dir, '--auto-approve'], {
      NOMAD_ADDR: sim.address,
      NOMAD_TOKEN: managementToken,
    });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    writeProject(dir, 2);
  }, 60_000);
  afterAll(() => sim.stop());

  const sources = [
    { source: "Nomad's plan endpoint", token: () => managementToken, flags: [] as string[] },
    { source: 'the local diff (--read-only)', token: () => managementToken, flags: ['--read-only'] },
    { source: 'the local diff (a read-only token)', token: () => readOnlyToken, flags: [] as string[] },
  ];

  it.each(sources)('plan in text, --json and --markdown, through $source', async ({ token, flags }) => {
    for (const format of [[], ['--json'], ['--markdown']]) {
      const result = await runCli(['plan', dir, ...flags, ...format, '--log-level', 'debug'], {
        NOMAD_ADDR: sim.address,
        NOMAD_TOKEN: token(),
      });
      expect(result.code).toBe(0);
      expect(leaks(result.stdout + result.stderr)).toEqual([]);
      // The changes are there, masked: the test would see them if they leaked.
      expect(result.stdout).toMatch(/Env\[API_TOKEN\]/);
      expect(result.stdout).toContain('(sensitive)');
    }
  });

  it.each(sources)(
    'a saved plan through show (text, --json, --markdown), via $source',
    async ({ token, flags }) => {
      const out = join(dir, `plan-${flags.length}-${token().slice(0, 4)}.json`);
      const saved = await runCli(['plan', dir, ...flags, '--out', out], {
        NOMAD_ADDR: sim.address,
        NOMAD_TOKEN: token(),
      });
      expect(saved.code).toBe(0);
      for (const format of [[], ['--json'], ['--markdown']]) {
        const shown = await runCli(['show', out, ...format]);
        expect(shown.code).toBe(0);
        expect(leaks(shown.stdout + shown.stderr)).toEqual([]);
        expect(shown.stdout).toContain('(sensitive)');
      }
    },
  );

  it('apply output, with the diff from Nomad and computed locally', async () => {
    for (const flags of [['--read-only'], []]) {
      const result = await runCli(['apply', dir, '--auto-approve', ...flags], {
        NOMAD_ADDR: sim.address,
        NOMAD_TOKEN: managementToken,
      });
      expect(leaks(result.stdout + result.stderr)).toEqual([]);
      expect(result.code).toBe(0);
      writeProject(dir, flags.length === 0 ? 2 : 1);
    }
  }, 60_000);

  it('strips credentials in NOMAD_ADDR from the plan header, saved plans and errors', async () => {
    const withCredentials = sim.address.replace('http://', 'http://ops:addr-secret-77@');
    const out = join(dir, 'plan-address.json');
    const planned = await runCli(['plan', dir, '--out', out, '--log-level', 'debug'], {
      NOMAD_ADDR: withCredentials,
      NOMAD_TOKEN: managementToken,
    });
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain(`drover plan (stack vault, namespace default, ${sim.address}`);
    const refused = await runCli(['plan', dir], {
      NOMAD_ADDR: 'http://ops:addr-secret-77@127.0.0.1:1',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cannot reach Nomad at http://127.0.0.1:1');
    const shown = await runCli(['show', out]);
    for (const text of [
      planned.stdout,
      planned.stderr,
      refused.stderr,
      readFileSync(out, 'utf8'),
      shown.stdout,
    ])
      expect(text).not.toContain('addr-secret-77');
  });

  it('keeps them out of diagnostics: a broken line of a var file, an address without a scheme', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'drover-secrets-broken-'));
    writeProject(broken, 1);
    const secret = secrets(1).variable;
    for (const line of [`db_password = "${secret}`, `db_password = "${secret}" extra`]) {
      writeFileSync(join(broken, 'secrets.vars.hcl'), `${line}\n`);
      for (const command of [['validate'], ['render'], ['plan'], ['apply', '--auto-approve']]) {
        const result = await runCli([...command, broken], {
          NOMAD_ADDR: sim.address,
          NOMAD_TOKEN: managementToken,
        });
        expect(result.code).toBe(1);
        expect(result.stdout + result.stderr).toContain('secrets.vars.hcl:1:');
        expect(result.stdout + result.stderr).toContain('db_password = (sensitive)');
        expect(leaks(result.stdout + result.stderr)).toEqual([]);
      }
    }
    const refused = await runCli(['plan', dir], { NOMAD_ADDR: 'ops:addr-secret-78@127.0.0.1:4646' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the Nomad address "127.0.0.1:4646" (from NOMAD_ADDR) has no scheme');
    expect(refused.stderr).not.toContain('addr-secret-78');
  });

  it('shows them all with --show-sensitive, and only then', async () => {
    const result = await runCli(['plan', dir, '--read-only', '--show-sensitive'], {
      NOMAD_ADDR: sim.address,
      NOMAD_TOKEN: managementToken,
    });
    expect(result.stdout).toContain(secrets(1).envToken);
  });

  it("scrubs them from a failing task's stderr, the failure's explanation and a rollback's version diff", async () => {
    const env = { NOMAD_ADDR: sim.address, NOMAD_TOKEN: managementToken };
    const live = (await (
      await fetch(`${sim.address}/v1/job/vault-web`, { headers: { 'X-Nomad-Token': managementToken } })
    ).json()) as { Version: number };
    const next = secrets(3);
    await control('script', {
      job: 'vault-web',
      kind: 'crash-loop',
      version: live.Version + 1,
      stderr: [
        `FATAL: login refused for DB_PASSWORD=${next.envPassword}`,
        `retrying with ${next.variable} and ${next.envToken}`,
      ],
    });
    writeProject(dir, 3);
    for (const format of [[], ['--json']]) {
      const failed = await runCli(['apply', dir, '--auto-approve', ...format], env);
      expect(failed.code).toBe(1);
      expect(leaks(failed.stdout + failed.stderr)).toEqual([]);
      // The explanation is there, scrubbed: the test would see a leak.
      expect(failed.stdout).toMatch(/FATAL: login refused for DB_PASSWORD=\(sensitive\)/);
      expect(failed.stdout).toMatch(/retrying with \(sensitive\) and \(sensitive\)/);
    }
    for (const format of [[], ['--json']]) {
      const current = (await (
        await fetch(`${sim.address}/v1/job/vault-web`, { headers: { 'X-Nomad-Token': managementToken } })
      ).json()) as { Version: number };
      const rolled = await runCli(
        ['rollback', 'vault-web', '--to-version', String(current.Version - 1), '--auto-approve', ...format],
        env,
        undefined,
        dir,
      );
      expect(leaks(rolled.stdout + rolled.stderr)).toEqual([]);
      if (format.length === 0) expect(rolled.stdout).toMatch(/args\[0\]: "--db-password=\(sensitive\)"/);
    }
  }, 90_000);
});
