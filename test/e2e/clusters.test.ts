/**
 * Several clusters from one project, the built CLI against three simulator processes (each its own Nomad, ACLs
 * on, its own token in its own environment variable): one plan over all, --cluster, a cluster down, the ordered
 * rollout stopping at a failure, saved plans, quiet re-plans, and each cluster's own lock and history.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startAclSimulatorProcess, type AclSimulator } from '../support/cli.js';

const CLUSTERS = ['staging', 'prod-eu', 'prod-us'] as const;
const sims = new Map<string, AclSimulator>();
const made: string[] = [];

beforeAll(async () => {
  for (const name of CLUSTERS) {
    sims.set(name, await startAclSimulatorProcess(['--speed', '20']));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all([...sims.values()].map((sim) => sim.stop()));
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const sim = (name: string) => sims.get(name)!;
const tokenEnv = (name: string) => `NOMAD_TOKEN_${name.replace('-', '_').toUpperCase()}`;
/** Each cluster's token in the variable its block names: NOMAD_TOKEN is set to none of them. */
const tokens = (): Record<string, string> =>
  Object.fromEntries(CLUSTERS.map((name) => [tokenEnv(name), sim(name).token]));

/** What a cluster's Nomad says about a job: its version, or 404. */
async function jobIn(
  cluster: string,
  id: string,
): Promise<{ status: number; version?: number; count?: number }> {
  const response = await fetch(`${sim(cluster).address}/v1/job/${id}`, {
    headers: { 'X-Nomad-Token': sim(cluster).token },
  });
  if (response.status !== 200) return { status: response.status };
  const job = (await response.json()) as { Version: number; TaskGroups: Array<{ Count: number }> };
  return { status: 200, version: job.Version, count: job.TaskGroups[0]!.Count };
}

const JOB = (id: string, args = '["600"]') => `variable "count" {
  type    = number
  default = 1
}

job "${id}" {
  datacenters = ["*"]
  group "${id}" {
    count = var.count
    task "${id}" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ${args}
      }
    }
  }
}
`;

/** A project rolling out to the three simulators: staging first, then both prods; tester only in staging. */
function project(stack: string, options: { down?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-clusters-'));
  made.push(dir);
  mkdirSync(join(dir, 'jobs'));
  mkdirSync(join(dir, 'env'));
  const address = (name: string) => (options.down === name ? 'http://127.0.0.1:9' : sim(name).address);
  writeFileSync(
    join(dir, 'drover.hcl'),
    `stack = "${stack}"
jobs  = ["jobs/*.nomad.hcl"]

cluster "staging" {
  address   = "${address('staging')}"
  token_env = "${tokenEnv('staging')}"
}

cluster "prod-eu" {
  address   = "${address('prod-eu')}"
  token_env = "${tokenEnv('prod-eu')}"
  var_files = ["env/prod.vars.hcl"]
  after     = ["staging"]
}

cluster "prod-us" {
  address   = "${address('prod-us')}"
  token_env = "${tokenEnv('prod-us')}"
  var_files = ["env/prod.vars.hcl"]
  after     = ["staging"]
}

job "${stack}-tester" {
  clusters = ["staging"]
}
`,
  );
  writeFileSync(join(dir, 'env/prod.vars.hcl'), 'count = 3\n');
  writeFileSync(join(dir, `jobs/${stack}-web.nomad.hcl`), JOB(`${stack}-web`));
  writeFileSync(join(dir, `jobs/${stack}-tester.nomad.hcl`), JOB(`${stack}-tester`));
  return dir;
}

const drover = (dir: string, args: string[], env: Record<string, string> = tokens()) =>
  runCli(args, env, undefined, dir);

describe('one project, three clusters', () => {
  it('plans every cluster at once, grouped, each with its own var files and jobs, and counts them all', async () => {
    const dir = project('a');
    const plan = await drover(dir, ['plan', '--compact', '--no-color', '--detailed-exitcode']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2);
    const sections = plan.stdout.split(/^cluster /m).slice(1);
    expect(sections.map((s) => s.split(' ')[0])).toEqual(['staging', 'prod-eu', 'prod-us']);
    expect(sections[0]).toContain('+ job "a-tester"');
    expect(sections[0]).toContain('+ group "a-web": count 1');
    for (const prod of sections.slice(1)) {
      expect(prod).not.toContain('a-tester');
      expect(prod).toContain('+ group "a-web": count 3');
    }
    expect(plan.stdout).toContain('Across 3 clusters: 4 to create, 0 to update, 0 to delete.');
    expect(plan.stdout).toContain('Rollout: staging, then prod-eu and prod-us (together).');
  }, 60_000);

  it('--cluster narrows the plan to the clusters it names', async () => {
    const dir = project('b');
    const plan = await drover(dir, ['plan', '--compact', '--no-color', '--cluster', 'prod-us']);
    expect(plan.code).toBe(0);
    expect(plan.stdout.match(/^cluster \S+/gm)).toEqual(['cluster prod-us']);
    expect(plan.stdout).toContain('Across 1 cluster: 1 to create');
    const typo = await drover(dir, ['plan', '--cluster', 'prod-ue']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('--cluster prod-ue: drover.hcl declares no cluster "prod-ue"');
    expect(typo.stderr).toContain('Did you mean --cluster prod-eu?');
  }, 60_000);

  it("names a cluster it cannot reach, still shows the others', and fails the plan", async () => {
    const dir = project('c', { down: 'prod-eu' });
    const plan = await drover(dir, ['plan', '--compact', '--no-color', '--detailed-exitcode']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('cluster prod-eu (http://127.0.0.1:9): not planned');
    expect(plan.stdout).toMatch(
      /! cannot reach Nomad at http:\/\/127\.0\.0\.1:9 \(from cluster "prod-eu" in drover\.hcl\)/,
    );
    expect(plan.stdout.match(/^cluster (staging|prod-us) \(stack c/gm)).toHaveLength(2);
    expect(plan.stdout).toContain('1 cluster not planned: prod-eu.');
    const json = await drover(dir, ['plan', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).summary.failed_clusters).toEqual(['prod-eu']);
    const saved = await drover(dir, ['plan', '--out', 'plan.json']);
    expect(saved.code).toBe(1);
    expect(saved.stderr).toContain('the plan was not saved: cluster "prod-eu" could not be planned');
  }, 60_000);

  it("uses each cluster's own token: a wrong one is named for its cluster only, never shown", async () => {
    const dir = project('d');
    const plan = await drover(dir, ['plan', '--compact', '--no-color'], {
      ...tokens(),
      [tokenEnv('prod-us')]: '00000000-0000-4000-8000-00000000dead',
    });
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('cluster prod-us (');
    expect(plan.stdout).toContain(
      'cluster prod-us (' +
        sim('prod-us').address +
        '): not planned\n  ! GET /v1/job/d-web: Nomad said: Permission denied',
    );
    expect(plan.stdout).toContain(tokenEnv('prod-us'));
    expect(plan.stdout + plan.stderr).not.toContain('00000000-0000-4000-8000-00000000dead');
    expect(plan.stdout.match(/^cluster (staging|prod-eu) \(stack d/gm)).toHaveLength(2);
  }, 60_000);

  it("rolls out staging first; staging's failure leaves the clusters after it untouched", async () => {
    const dir = project('e');
    await fetch(`${sim('staging').address}/__sim/script`, {
      method: 'POST',
      body: JSON.stringify({ job: 'e-web', kind: 'driver-failure' }),
    });
    const apply = await drover(dir, ['apply', '--auto-approve', '--compact', '--no-color']);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('== cluster staging: failed');
    expect(apply.stdout).toContain(
      '== cluster prod-eu: not started: cluster "staging", which it comes after, did not succeed',
    );
    expect(apply.stdout).toContain(
      '== cluster prod-us: not started: cluster "staging", which it comes after, did not succeed',
    );
    expect(apply.stdout).toContain('Rollout FAILED over 3 clusters: 1 failed, 2 not started.');
    expect(await jobIn('prod-eu', 'e-web')).toEqual({ status: 404 });
    expect(await jobIn('prod-us', 'e-web')).toEqual({ status: 404 });
    await fetch(`${sim('staging').address}/__sim/clear-scripts`, { method: 'POST', body: '{}' });
  }, 90_000);

  it('applies every cluster in order, then plans quiet; each cluster keeps its own history', async () => {
    const dir = project('f');
    const apply = await drover(dir, ['apply', '--auto-approve', '--compact', '--no-color', '--json']);
    expect(apply.code).toBe(0);
    const result = JSON.parse(apply.stdout) as {
      ok: boolean;
      clusters: Array<{ name: string; status: string }>;
    };
    expect(result.ok).toBe(true);
    expect(result.clusters.map((c) => [c.name, c.status])).toEqual([
      ['staging', 'succeeded'],
      ['prod-eu', 'succeeded'],
      ['prod-us', 'succeeded'],
    ]);
    expect(await jobIn('staging', 'f-web')).toMatchObject({ status: 200, count: 1 });
    expect(await jobIn('prod-eu', 'f-web')).toMatchObject({ status: 200, count: 3 });
    expect(await jobIn('prod-us', 'f-tester')).toEqual({ status: 404 });
    const again = await drover(dir, ['plan', '--detailed-exitcode', '--no-color']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Across 3 clusters: 0 to create, 0 to update, 0 to delete. 4 unchanged.');
    for (const cluster of CLUSTERS) {
      const history = await fetch(`${sim(cluster).address}/v1/var/drover/stacks/f/history`, {
        headers: { 'X-Nomad-Token': sim(cluster).token },
      });
      expect(history.status).toBe(200);
    }
  }, 90_000);

  it('saves one plan for every cluster, shows it, and applies exactly it', async () => {
    const dir = project('g');
    const plan = await drover(dir, ['plan', '--out', 'plan.json', '--no-color']);
    expect(plan.code).toBe(0);
    const show = await drover(dir, ['show', 'plan.json', '--markdown']);
    expect(show.stdout.match(/^#### Cluster `[^`]+`$/gm)).toEqual([
      '#### Cluster `staging`',
      '#### Cluster `prod-eu`',
      '#### Cluster `prod-us`',
    ]);
    const narrowed = await drover(dir, ['apply', 'plan.json', '--cluster', 'staging']);
    expect(narrowed.code).toBe(1);
    expect(narrowed.stderr).toContain('--cluster would change it');
    const apply = await drover(dir, ['apply', 'plan.json', '--auto-approve', '--no-color']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Rollout complete over 3 clusters: 3 succeeded.');
    expect(await jobIn('prod-us', 'g-web')).toMatchObject({ status: 200, count: 3 });
  }, 90_000);

  it("takes every cluster's lock before the first write: one held elsewhere stops the rollout everywhere", async () => {
    const dir = project('h');
    const held = await fetch(`${sim('prod-us').address}/v1/var/drover/stacks/h/lock?lock-acquire`, {
      method: 'PUT',
      headers: { 'X-Nomad-Token': sim('prod-us').token },
      body: JSON.stringify({
        Items: {
          holder: 'bo@laptop',
          command: 'apply',
          started: '2026-12-07T09:00:00.000Z',
          drover_version: '0.1.0',
        },
      }),
    });
    expect(held.status).toBe(200);
    const apply = await drover(dir, ['apply', '--auto-approve', '--no-color']);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toMatch(/== cluster prod-us: failed: .*bo@laptop/);
    expect(apply.stdout).toContain('nothing was applied anywhere');
    for (const cluster of CLUSTERS) expect(await jobIn(cluster, 'h-web')).toEqual({ status: 404 });
  }, 90_000);

  it('refuses a saved plan stale in one cluster before writing in any', async () => {
    const dir = project('j');
    expect((await drover(dir, ['plan', '--out', 'plan.json'])).code).toBe(0);
    // Someone applies prod-us in the meantime.
    expect((await drover(dir, ['apply', '--cluster', 'prod-us', '--auto-approve'])).code).toBe(0);
    const apply = await drover(dir, ['apply', 'plan.json', '--auto-approve', '--no-color']);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toMatch(
      /== cluster prod-us: failed: the plan is stale in cluster "prod-us": .*j-web/,
    );
    expect(apply.stdout).toContain(
      '== cluster staging: not started: another cluster stopped the rollout before its first write',
    );
    expect(await jobIn('staging', 'j-web')).toEqual({ status: 404 });
    expect(await jobIn('prod-eu', 'j-web')).toEqual({ status: 404 });
  }, 90_000);
});
