import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';

const service = (id: string, extra = '') => `variable "api_token" {
  type    = string
  default = "unused"
}

job "${id}" {
  group "g" {
    update {
      min_healthy_time = "1s"
      healthy_deadline = "1m"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }
      env {
        API_TOKEN = var.api_token
      }
${extra}    }
  }
}
`;

const MIGRATE = `job "migrate" {
  type = "batch"
  meta = {
    "drover.phase" = "pre"
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
`;

describe('drover against a real Nomad agent: the whole lifecycle', () => {
  let agent: NomadAgent;
  let dir: string;
  let env: Record<string, string>;
  const drover = (args: readonly string[], cwd?: string) => runCli(args, env, undefined, cwd);
  const setToken = (token: string) =>
    writeFileSync(join(dir, 'secrets.vars.hcl'), `api_token = "${token}"\n`);

  beforeAll(async () => {
    agent = await startNomadAgent();
    env = { ...agent.env };
    dir = mkdtempSync(join(tmpdir(), 'drover-it-'));
    mkdirSync(join(dir, '.git'));
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(
      join(dir, 'drover.hcl'),
      'stack     = "it"\njobs      = ["jobs/*.nomad.hcl"]\nvar_files = ["secrets.vars.hcl"]\n\njob "api" {\n  depends_on = ["cache"]\n}\n',
    );
    setToken('tok-first-111');
    writeFileSync(join(dir, 'jobs/migrate.nomad.hcl'), MIGRATE);
    writeFileSync(join(dir, 'jobs/cache.nomad.hcl'), service('cache'));
    writeFileSync(join(dir, 'jobs/api.nomad.hcl'), service('api'));
  }, 120_000);
  afterAll(() => agent?.stop());

  it('creates in waves: the pre-deploy batch job, then cache, then api', async () => {
    const result = await drover(['apply', dir, '--auto-approve']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wave 1: migrate[\s\S]*wave 2: cache[\s\S]*wave 3: api/);
    expect(result.stdout).toContain('Apply complete: 3 succeeded.');
  });

  it('re-plans right after apply with no changes, from the plan endpoint and from the local diff', async () => {
    for (const flags of [[], ['--read-only']]) {
      const result = await drover(['plan', dir, '--detailed-exitcode', ...flags]);
      expect(result.stdout).toContain('No changes. Nomad matches the job files.');
      expect(result.code).toBe(0);
    }
  });

  it('masks a changed secret on both diff sources, then rolls it out', async () => {
    setToken('tok-second-222');
    for (const flags of [[], ['--read-only'], ['--json'], ['--markdown']]) {
      const result = await drover(['plan', dir, '--detailed-exitcode', ...flags]);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain('Env[API_TOKEN]');
      expect(result.stdout + result.stderr).not.toMatch(/tok-first-111|tok-second-222/);
    }
    const applied = await drover(['apply', dir, '--auto-approve']);
    expect(applied.stdout + applied.stderr).not.toMatch(/tok-first-111|tok-second-222/);
    expect(applied.stdout).toMatch(/api +update +succeeded +1 /);
    expect(applied.code).toBe(0);
    expect((await drover(['plan', dir, '--detailed-exitcode'])).code).toBe(0);
  });

  it('plans one file of the project within it, and refuses to take a job out of its stack', async () => {
    const one = await drover(['plan', join(dir, 'jobs/api.nomad.hcl'), '--detailed-exitcode']);
    expect(one.stdout).toContain(`project ${join(dir, 'drover.hcl')}`);
    expect(one.code).toBe(0);
    const loose = mkdtempSync(join(tmpdir(), 'drover-it-loose-'));
    mkdirSync(join(loose, '.git'));
    copyFileSync(join(dir, 'jobs/api.nomad.hcl'), join(loose, 'api.nomad.hcl'));
    const refused = await drover(['apply', 'api.nomad.hcl', '--auto-approve'], loose);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('job default/api belongs to stack "it", and this plan names no stack');
    const live = await agent.api<{ Meta: Record<string, string> }>('GET', '/v1/job/api');
    expect(live.Meta['drover.stack']).toBe('it');
  });

  it('refuses a stale saved plan', async () => {
    const out = join(dir, 'tfplan');
    writeFileSync(join(dir, 'jobs/cache.nomad.hcl'), service('cache', '      kill_timeout = "3s"\n'));
    expect((await drover(['plan', dir, '--out', out])).code).toBe(0);
    writeFileSync(join(dir, 'jobs/cache.nomad.hcl'), service('cache', '      kill_timeout = "4s"\n'));
    expect((await drover(['apply', dir, '--auto-approve'])).code).toBe(0);
    const stale = await drover(['apply', out, '--auto-approve']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(
      /job cache changed since the plan \(modify index \d+ → \d+\); run plan again/,
    );
  });

  it('prunes a removed job, never an unstamped one, and settles at exit 0', async () => {
    await agent.api('PUT', '/v1/jobs', {
      Job: {
        ID: 'not-drovers',
        Name: 'not-drovers',
        Type: 'service',
        Datacenters: ['*'],
        TaskGroups: [
          {
            Name: 'g',
            Tasks: [{ Name: 't', Driver: 'raw_exec', Config: { command: '/bin/sleep', args: ['3600'] } }],
          },
        ],
      },
    });
    rmSync(join(dir, 'jobs/migrate.nomad.hcl'));
    const plan = await drover(['plan', dir, '--prune', '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('- job "migrate"');
    expect(plan.stdout).not.toContain('not-drovers');
    expect((await drover(['apply', dir, '--prune', '--auto-approve'])).code).toBe(0);
    const settled = await drover(['plan', dir, '--prune', '--detailed-exitcode']);
    expect(settled.stdout).toContain('No changes.');
    expect(settled.code).toBe(0);
    expect((await agent.api<{ Stop: boolean }>('GET', '/v1/job/not-drovers')).Stop).toBe(false);
  });

  it('shows status, then destroys the stack with --purge and leaves other jobs alone', async () => {
    const status = await drover(['status', dir, '--json']);
    expect(status.code).toBe(0);
    const document = JSON.parse(status.stdout) as {
      stack: string;
      jobs: Array<{ id: string; status: string }>;
    };
    expect(document.stack).toBe('it');
    expect(document.jobs.map((j) => j.id).sort()).toEqual(['api', 'cache', 'migrate']);
    const destroyed = await drover(['destroy', dir, '--purge', '--auto-approve']);
    expect(destroyed.code).toBe(0);
    const left = await agent.api<Array<{ ID: string }>>('GET', '/v1/jobs');
    expect(left.map((j) => j.ID)).toEqual(['not-drovers']);
  });
});
