/**
 * One project, three real Nomad agents on loopback (staging in region global, prod-eu and prod-us each in its own
 * region), ACLs on in each with its own management token in its own environment variable: one plan over all
 * three, an ordered rollout where staging's failure leaves the others untouched, --cluster, quiet re-plans, and
 * each cluster's own lock and history. Prints the plan's time over three clusters against the slowest alone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';

const CLUSTERS = [
  { name: 'staging', region: undefined },
  { name: 'prod-eu', region: 'eu' },
  { name: 'prod-us', region: 'us' },
] as const;
const agents = new Map<string, NomadAgent>();
const made: string[] = [];

beforeAll(async () => {
  const started = await Promise.all(CLUSTERS.map((c) => startNomadAgent({ region: c.region })));
  CLUSTERS.forEach((c, i) => agents.set(c.name, started[i]!));
}, 180_000);

afterAll(async () => {
  await Promise.all([...agents.values()].map((agent) => agent.stop()));
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
}, 180_000);

const agent = (name: string) => agents.get(name)!;
const tokenEnv = (name: string) => `NOMAD_TOKEN_${name.replace('-', '_').toUpperCase()}`;
const tokens = () =>
  Object.fromEntries(CLUSTERS.map((c) => [tokenEnv(c.name), agent(c.name).managementToken!]));

/** A service whose command comes from a variable (a var file of staging's can make it fail), and a batch tester. */
const WEB = `variable "command" {
  type    = string
  default = "/bin/sleep"
}

job "web" {
  group "web" {
    count = 1
    update {
      min_healthy_time = "1s"
      healthy_deadline = "20s"
      progress_deadline = "30s"
    }
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }
    task "web" {
      driver = "raw_exec"
      config {
        command = var.command
        args    = ["3600"]
      }
    }
  }
}
`;
const TESTER = `job "tester" {
  type = "batch"
  group "t" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
`;

function project(staging: 'good' | 'broken'): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-clusters-'));
  made.push(dir);
  mkdirSync(join(dir, 'jobs'));
  mkdirSync(join(dir, 'env'));
  const block = (name: string, region: string | undefined, extra: string) => `cluster "${name}" {
  address   = "${agent(name).address}"
  token_env = "${tokenEnv(name)}"
${region ? `  region    = "${region}"\n` : ''}${extra}}
`;
  writeFileSync(
    join(dir, 'drover.hcl'),
    `stack = "fleet"
jobs  = ["jobs/*.nomad.hcl"]

${block('staging', undefined, '  var_files = ["env/staging.vars.hcl"]\n')}
${block('prod-eu', 'eu', '  after     = ["staging"]\n')}
${block('prod-us', 'us', '  after     = ["staging"]\n')}
job "tester" {
  clusters = ["staging"]
}
`,
  );
  writeFileSync(
    join(dir, 'env/staging.vars.hcl'),
    staging === 'broken' ? 'command = "/nonexistent/drover-test-command"\n' : '',
  );
  writeFileSync(join(dir, 'jobs/web.nomad.hcl'), WEB);
  writeFileSync(join(dir, 'jobs/tester.nomad.hcl'), TESTER);
  return dir;
}

const drover = (dir: string, args: string[]) => runCli(args, tokens(), undefined, dir);

async function jobIn(cluster: string, id: string, region?: string): Promise<number | undefined> {
  try {
    const job = await agent(cluster).api<{ Version: number }>(
      'GET',
      `/v1/job/${id}${region ? `?region=${region}` : ''}`,
    );
    return job.Version;
  } catch (error) {
    if (/404/.test((error as Error).message)) return undefined;
    throw error;
  }
}

describe('three real clusters from one project', () => {
  it('plans all three at once, each in its own region with its own token', async () => {
    const dir = project('good');
    const started = Date.now();
    const plan = await drover(dir, ['plan', '--compact', '--no-color', '--detailed-exitcode']);
    const all = Date.now() - started;
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2);
    expect(plan.stdout.match(/^cluster \S+/gm)).toEqual([
      'cluster staging',
      'cluster prod-eu',
      'cluster prod-us',
    ]);
    expect(plan.stdout).toContain('Across 3 clusters: 4 to create, 0 to update, 0 to delete.');
    const alone: number[] = [];
    for (const c of CLUSTERS) {
      const t = Date.now();
      expect((await drover(dir, ['plan', '--cluster', c.name])).code).toBe(0);
      alone.push(Date.now() - t);
    }
    process.stdout.write(
      `clusters: plan of 3 clusters ${all} ms; each alone ${alone.join(', ')} ms (slowest ${Math.max(...alone)} ms, ratio ${(all / Math.max(...alone)).toFixed(2)})\n`,
    );
  }, 120_000);

  it("stops the rollout at staging's failure: the prods are never touched", async () => {
    const dir = project('broken');
    const apply = await drover(dir, ['apply', '--auto-approve', '--compact', '--no-color']);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('== cluster staging: failed');
    expect(apply.stdout).toContain(
      '== cluster prod-eu: not started: cluster "staging", which it comes after, did not succeed',
    );
    expect(apply.stdout).toContain('Rollout FAILED over 3 clusters: 1 failed, 2 not started.');
    expect(await jobIn('prod-eu', 'web', 'eu')).toBeUndefined();
    expect(await jobIn('prod-us', 'web', 'us')).toBeUndefined();
  }, 180_000);

  it('rolls out staging, then both prods, each in its region; the next plan is quiet; each keeps its history', async () => {
    const dir = project('good');
    const started = Date.now();
    const apply = await drover(dir, ['apply', '--auto-approve', '--compact', '--no-color']);
    const took = Date.now() - started;
    expect(apply.stderr).not.toMatch(/error/i);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Rollout complete over 3 clusters: 3 succeeded.');
    expect(await jobIn('prod-eu', 'web', 'eu')).toBeDefined();
    expect(await jobIn('prod-us', 'tester', 'us')).toBeUndefined();
    const again = await drover(dir, ['plan', '--detailed-exitcode', '--no-color']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Across 3 clusters: 0 to create, 0 to update, 0 to delete. 4 unchanged.');
    for (const c of CLUSTERS) {
      const history = await agent(c.name).api<{ Items: Record<string, string> }>(
        'GET',
        `/v1/var/drover/stacks/fleet/history${c.region ? `?region=${c.region}` : ''}`,
      );
      expect(Object.keys(history.Items).length).toBeGreaterThan(0);
    }
    process.stdout.write(`clusters: apply of 3 clusters (staging, then both prods) ${took} ms\n`);
  }, 240_000);

  it('--cluster applies one cluster; a lock held in one cluster stops the rollout before any write', async () => {
    const dir = project('good');
    writeFileSync(join(dir, 'jobs/web.nomad.hcl'), WEB.replace('count = 1', 'count = 2'));
    const before = { eu: await jobIn('prod-eu', 'web', 'eu'), staging: await jobIn('staging', 'web') };
    const one = await drover(dir, ['apply', '--cluster', 'prod-us', '--auto-approve', '--no-color']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/== cluster prod-us: succeeded/);
    expect(await jobIn('prod-eu', 'web', 'eu')).toBe(before.eu);
    await agent('prod-eu').api('PUT', '/v1/var/drover/stacks/fleet/lock?lock-acquire&region=eu', {
      Items: {
        holder: 'bo@laptop',
        command: 'apply',
        started: new Date().toISOString(),
        drover_version: '0.1.0',
      },
    });
    const blocked = await drover(dir, ['apply', '--auto-approve', '--no-color']);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/== cluster prod-eu: failed: .*bo@laptop/);
    expect(blocked.stdout).toContain('nothing was applied anywhere');
    expect(await jobIn('staging', 'web')).toBe(before.staging);
  }, 180_000);
});
