import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

const JOB = (image: string) =>
  `job "web" {\n  update {\n    canary = 1\n  }\n  group "g" {\n    count = 2\n    task "app" {\n      driver = "docker"\n      config {\n        image = "${image}"\n      }\n    }\n  }\n}\n`;

/** staging first, then prod-eu and prod-us (together): each after staging. */
function project(addresses: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-cluster-commands-'));
  writeFileSync(
    join(dir, 'drover.hcl'),
    [
      'stack = "multi"',
      `cluster "staging" {\n  address = "${addresses[0]}"\n}`,
      `cluster "prod-eu" {\n  address = "${addresses[1]}"\n  after   = ["staging"]\n}`,
      `cluster "prod-us" {\n  address = "${addresses[2]}"\n  after   = ["staging"]\n}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'web.nomad.hcl'), JOB('example/app:1'));
  return dir;
}

type Sim = Awaited<ReturnType<typeof startSimulatorProcess>>;

describe('status, history, drift, promote, rollback, destroy, force-unlock and graph over three clusters', () => {
  let sims: Sim[];
  let dir: string;
  const env = { CI: 'true' };
  const cli = (args: string[], where = dir) => runCli(args, env, undefined, where);
  const control = (sim: Sim, action: string, body: unknown = {}) =>
    fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) });
  const sections = (stdout: string) => [...stdout.matchAll(/^== cluster (\S+)/gm)].map((m) => m[1]);

  beforeAll(async () => {
    sims = await Promise.all([0, 1, 2].map(() => startSimulatorProcess(['--speed', '50'])));
    dir = project(sims.map((s) => s.address));
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
  });
  afterAll(() => Promise.all(sims.map((s) => s.stop())));

  it('status reads every cluster under its heading; --cluster narrows; --json has one entry per cluster', async () => {
    const all = await cli(['status']);
    expect(all.code).toBe(0);
    expect(sections(all.stdout)).toEqual(['staging', 'prod-eu', 'prod-us']);
    expect(all.stdout).toContain(`== cluster prod-eu (${sims[1]!.address})\nStack "multi":\nJOB `);
    expect(all.stdout.match(/\nweb +service +running +0 /g)).toHaveLength(3);

    const one = await cli(['status', '--cluster', 'prod-us']);
    expect(sections(one.stdout)).toEqual(['prod-us']);

    const json = JSON.parse((await cli(['status', '--json'])).stdout) as {
      clusters: Array<{
        name: string;
        address: string;
        status: { jobs: Array<{ id: string }> };
        error: null;
      }>;
    };
    expect(json.clusters.map((c) => [c.name, c.address, c.status.jobs.map((j) => j.id), c.error])).toEqual([
      ['staging', sims[0]!.address, ['web'], null],
      ['prod-eu', sims[1]!.address, ['web'], null],
      ['prod-us', sims[2]!.address, ['web'], null],
    ]);
  });

  it("history shows each cluster's own runs", async () => {
    const shown = await cli(['history', '--cluster', 'staging', '--cluster', 'prod-eu']);
    expect(shown.code).toBe(0);
    expect(sections(shown.stdout)).toEqual(['staging', 'prod-eu']);
    expect(shown.stdout.match(/ apply +succeeded .* web create succeeded v0\n/g)).toHaveLength(2);
    const json = JSON.parse((await cli(['history', '--json'])).stdout) as {
      clusters: Array<{ name: string; history: { records: Array<{ command: string }> } }>;
    };
    expect(json.clusters.map((c) => [c.name, c.history.records.map((r) => r.command)])).toEqual([
      ['staging', ['apply']],
      ['prod-eu', ['apply']],
      ['prod-us', ['apply']],
    ]);
  });

  it('drift --detailed-exitcode covers every cluster: a job stopped in one cluster is exit 2, the others are quiet', async () => {
    expect((await cli(['drift', '--detailed-exitcode'])).code).toBe(0);
    await fetch(`${sims[2]!.address}/v1/job/web`, { method: 'DELETE' });
    const drifted = await cli(['drift', '--detailed-exitcode']);
    expect(drifted.code).toBe(2);
    expect(drifted.stdout).toContain('== cluster staging');
    expect(drifted.stdout).toMatch(
      /== cluster prod-us \([^)]+\)\nStack "multi": 1 job drifted since drover last applied it:\n {2}web: /,
    );
    expect(drifted.stdout.match(/No drift: /g)).toHaveLength(2);
    expect((await cli(['drift', '--detailed-exitcode', '--cluster', 'staging'])).code).toBe(0);
    const json = JSON.parse((await cli(['drift', '--json', '--cluster', 'prod-us'])).stdout) as {
      clusters: Array<{ name: string; drift: { drifted: Array<{ id: string }> } }>;
    };
    expect(json.clusters.map((c) => [c.name, c.drift.drifted.map((d) => d.id)])).toEqual([
      ['prod-us', ['web']],
    ]);
    // Applied again, prod-us matches the files.
    expect((await cli(['apply', '--auto-approve', '--cluster', 'prod-us'])).code).toBe(0);
  });

  it('a cluster that cannot be reached is named with why, the others still shown, exit 1', async () => {
    const down = project([sims[0]!.address, sims[1]!.address, 'http://127.0.0.1:1']);
    for (const command of ['status', 'history', 'drift']) {
      const shown = await cli([command], down);
      expect([command, shown.code]).toEqual([command, 1]);
      expect(sections(shown.stdout)).toEqual(['staging', 'prod-eu', 'prod-us']);
      expect(shown.stdout).toContain(
        '== cluster prod-us (http://127.0.0.1:1): not read\n  ! cannot reach Nomad at http://127.0.0.1:1',
      );
      expect(shown.stdout).toMatch(/\n1 of 3 clusters could not be read: prod-us\.\n$/);
    }
    const json = JSON.parse((await cli(['status', '--json'], down)).stdout) as {
      clusters: Array<{ name: string; status: unknown; error: { code: string } | null }>;
    };
    expect(json.clusters.map((c) => [c.name, c.status === null, c.error?.code ?? null])).toEqual([
      ['staging', false, null],
      ['prod-eu', false, null],
      ['prod-us', true, 'nomad_unreachable'],
    ]);
  });

  it('promote promotes in each cluster where the job waits; --cluster narrows; a job waiting nowhere is refused', async () => {
    writeFileSync(join(dir, 'web.nomad.hcl'), JOB('example/app:2'));
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const staging = await cli(['promote', 'web', '--cluster', 'staging']);
    expect(staging.code).toBe(0);
    expect(staging.stdout).toMatch(/== cluster staging: succeeded\n.*\nweb +promote +succeeded /);
    expect(staging.stdout).toContain('Promote complete: 1 succeeded.');
    expect(staging.stdout).toContain('Rollout complete over 1 cluster: 1 succeeded.');

    const rest = await cli(['promote', '--json']);
    expect(rest.code).toBe(0);
    const { clusters } = JSON.parse(rest.stdout) as { clusters: Array<{ name: string; status: string }> };
    expect(clusters.map((c) => [c.name, c.status])).toEqual([
      ['staging', 'unchanged'],
      ['prod-eu', 'succeeded'],
      ['prod-us', 'succeeded'],
    ]);

    const nowhere = await cli(['promote', 'web']);
    expect([nowhere.code, nowhere.stderr]).toEqual([
      1,
      "Error: web: no deployment waits for promotion in any cluster (staging, prod-eu, prod-us)\nHint: drover status shows each cluster's deployments; nothing was promoted.\n",
    ]);
  });

  it('rollback reverts the job in the clusters named; a job in no cluster is refused', async () => {
    const versions = () =>
      Promise.all(
        sims.map(
          async (s) =>
            ((await (await fetch(`${s.address}/v1/job/web`)).json()) as { Version: number }).Version,
        ),
      );
    const before = await versions();
    const reverted = await cli(['rollback', 'web', '--cluster', 'prod-eu', '--auto-approve']);
    expect(reverted.code).toBe(0);
    expect(reverted.stdout).toContain('drover rollback (stack multi, 1 cluster: prod-eu');
    expect(reverted.stdout).toMatch(/== cluster prod-eu: succeeded\n.*\nweb +revert /);
    // A revert registers a new version: in prod-eu alone.
    expect(await versions()).toEqual([before[0], before[1]! + 1, before[2]]);

    const unknown = await cli(['rollback', 'nope', '--auto-approve']);
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      'Error: job nope does not exist in any cluster (staging, prod-eu, prod-us)\nHint: drover status lists the jobs of the stack in each cluster.\n',
    ]);
  });

  it('force-unlock and graph need one cluster named', async () => {
    const unlock = await cli(['force-unlock', 'multi']);
    expect(unlock.code).toBe(1);
    expect(unlock.stderr).toContain('each with its own lock of stack "multi": force-unlock releases one');
    expect(unlock.stderr).toContain('Hint: Name the cluster whose lock to release: --cluster staging');
    expect((await cli(['force-unlock', 'multi', '--cluster', 'prod-eu'])).stdout).toBe(
      'Stack "multi" is not locked (drover/stacks/multi/lock in namespace default).\n',
    );
    const graph = await cli(['graph']);
    expect([graph.code, graph.stderr]).toEqual([
      1,
      'Error: drover.hcl declares clusters staging, prod-eu, prod-us: this command works on one at a time\nHint: Name one with --cluster staging.\n',
    ]);
    expect((await cli(['graph', '--cluster', 'prod-us'])).stdout).toContain('job_web["web"]');
  });

  it('destroy goes in the reverse of the rollout order: staging, which the others come after, last', async () => {
    const plan = await cli(['plan', '--destroy']);
    expect(plan.stdout.split('\n')[0]).toBe(
      'drover plan --destroy (stack multi, 3 clusters: staging, prod-eu, prod-us, project drover.hcl)',
    );
    expect(plan.stdout).toContain('Rollout: prod-eu and prod-us (together), then staging.');

    // A saved destroy plan keeps its order: prod-eu's delete fails, so staging is never started.
    const saved = join(dir, 'destroy.plan');
    expect((await cli(['plan', '--destroy', '--out', saved])).code).toBe(0);
    await control(sims[1]!, 'fault', {
      kind: 'status',
      method: 'DELETE',
      path: '^/v1/job/',
      status: 400,
      body: 'boom',
    });
    const stopped = await cli(['apply', saved, '--auto-approve']);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain(
      '== cluster staging: not started: cluster "prod-eu", which is destroyed before it, did not succeed',
    );
    expect(stopped.stdout).toMatch(/== cluster prod-us: succeeded\n.*\nweb +delete +succeeded /);
    expect(stopped.stdout).toContain('Rollout FAILED over 3 clusters: 1 succeeded, 1 failed, 1 not started.');

    const again = await cli(['destroy', '--auto-approve']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(
      '== cluster staging: not started: cluster "prod-eu", which is destroyed before it, did not succeed',
    );
    await control(sims[1]!, 'clear-faults');

    const done = await cli(['destroy', '--auto-approve', '--json']);
    expect(done.code).toBe(0);
    const { clusters } = JSON.parse(done.stdout) as { clusters: Array<{ name: string; status: string }> };
    expect(clusters.map((c) => [c.name, c.status])).toEqual([
      ['staging', 'succeeded'],
      ['prod-eu', 'succeeded'],
      ['prod-us', 'unchanged'],
    ]);
    const history = JSON.parse((await cli(['history', '--json', '--cluster', 'staging'])).stdout) as {
      clusters: Array<{ history: { records: Array<{ command: string; finished: string }> } }>;
    };
    expect(history.clusters[0]!.history.records[0]!.command).toBe('destroy');
  });
});
