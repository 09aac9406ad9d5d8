import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

const JOB = (id: string, image: string, update = '') =>
  `job "${id}" {\n  group "g" {\n${update}    task "app" {\n      driver = "docker"\n      config {\n        image = "${image}"\n      }\n    }\n  }\n}\n`;
/** A rollout of ~3 s real time at 50× (min_healthy_time 150 s), to interrupt. */
const SLOW =
  '    update {\n      min_healthy_time = "150s"\n      healthy_deadline = "300s"\n      progress_deadline = "600s"\n    }\n';
const AUTO_REVERT = '    update {\n      auto_revert = true\n    }\n';

function project(stack: string, jobs: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-history-'));
  writeFileSync(join(dir, 'drover.hcl'), `stack = "${stack}"\n`);
  for (const [id, text] of Object.entries(jobs)) writeFileSync(join(dir, `${id}.nomad.hcl`), text);
  return dir;
}

interface HistoryEntry {
  finished: string;
  command: string;
  outcome: string;
  plan_checksum: string;
  holder: string;
  jobs: Array<{ id: string; action: string; outcome: string; version?: number; job_modify_index?: number }>;
}

describe("the stack's history and drift, kept in Nomad variables", () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let env: Record<string, string> & { NOMAD_ADDR: string };
  /** Once a test turns ACLs on, the later ones go with a management token of their own. */
  let token: string | undefined;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.address}${path}`, {
      method,
      headers: token ? { 'X-Nomad-Token': token } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.status === 204
      ? null
      : ((await response.json()) as Record<string, unknown> & { Version?: number });
  };
  const control = (action: string, body: unknown = {}) =>
    fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) });
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address, CI: 'true' };
  });
  afterAll(() => sim.stop());

  it('records every apply and destroy: success, failure and cancel, newest first', async () => {
    const dir = project('hist', { app: JOB('app', 'example/app:1') });
    expect((await runCli(['history', dir], env)).stdout).toBe(
      'Stack "hist" has no history yet (drover/stacks/hist/history in namespace default).\n',
    );
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);

    await control('script', { job: 'app', kind: 'crash-loop', version: 1 });
    writeFileSync(join(dir, 'app.nomad.hcl'), JOB('app', 'example/app:2'));
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(1);

    writeFileSync(join(dir, 'app.nomad.hcl'), JOB('app', 'example/app:3', SLOW));
    const cancelled = await runCli(['apply', dir, '--auto-approve'], env, /wave 1: app/);
    expect(cancelled.code).toBe(130);

    const shown = await runCli(['history', dir, '--json'], env);
    const { records } = JSON.parse(shown.stdout) as { records: HistoryEntry[] };
    expect(records.map((r) => [r.command, r.outcome])).toEqual([
      ['apply', 'cancelled'],
      ['apply', 'failed'],
      ['apply', 'succeeded'],
    ]);
    expect(records[2]!.jobs).toEqual([
      {
        id: 'app',
        namespace: 'default',
        action: 'create',
        outcome: 'succeeded',
        version: 0,
        job_modify_index: expect.any(Number),
      },
    ]);
    expect(records[1]!.jobs[0]).toMatchObject({ action: 'update', outcome: 'failed' });
    expect(records[2]!.plan_checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(records[0]!.plan_checksum).not.toBe(records[2]!.plan_checksum);

    const table = await runCli(['history', dir, '--limit', '2'], env);
    expect(table.stdout.split('\n').slice(0, 4)).toEqual([
      'Stack "hist":',
      expect.stringMatching(/^FINISHED +COMMAND +OUTCOME +BY +PLAN +JOBS$/),
      expect.stringMatching(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +apply +cancelled +\S.* +[0-9a-f]{12} +app update cancelled/,
      ),
      expect.stringMatching(/ apply +failed +.* app update failed/),
    ]);

    expect((await runCli(['destroy', dir, '--auto-approve'], env)).code).toBe(0);
    const after = JSON.parse((await runCli(['history', dir, '--json', '--limit', '1'], env)).stdout) as {
      records: HistoryEntry[];
    };
    expect(after.records.map((r) => [r.command, r.outcome, r.jobs[0]!.action])).toEqual([
      ['destroy', 'succeeded', 'delete'],
    ]);
  }, 90_000);

  it('reports what changed out of band: register, scale, stop, purge, auto-revert; plan says it too', async () => {
    const dir = project('drift', {
      oob: JOB('oob', 'example/oob:1'),
      scaled: JOB('scaled', 'example/scaled:1'),
      stopped: JOB('stopped', 'example/stopped:1'),
      purged: JOB('purged', 'example/purged:1'),
      reverting: JOB('reverting', 'example/reverting:1', AUTO_REVERT),
      calm: JOB('calm', 'example/calm:1'),
      respread: JOB('respread', 'example/respread:1'),
    });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    const quiet = await runCli(['drift', dir, '--detailed-exitcode'], env);
    expect([quiet.code, quiet.stdout]).toEqual([
      0,
      'No drift: the 7 jobs of stack "drift" are as drover last applied them.\n',
    ]);

    // The version drover applies next crashes; applied with --detach, Nomad reverts it after drover has left.
    await control('script', { job: 'reverting', kind: 'crash-loop', version: 1 });
    writeFileSync(join(dir, 'reverting.nomad.hcl'), JOB('reverting', 'example/reverting:2', AUTO_REVERT));
    expect((await runCli(['apply', dir, '--auto-approve', '--detach'], env)).code).toBe(0);
    for (let i = 0; i < 200 && (await api('GET', '/v1/job/reverting'))!.Version !== 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));

    const oob = (await api('GET', '/v1/job/oob')) as {
      TaskGroups: Array<{ Tasks: Array<{ Config: object }> }>;
    };
    oob.TaskGroups[0]!.Tasks[0]!.Config = { image: 'example/oob:9' };
    await api('PUT', '/v1/jobs', { Job: oob });
    await api('POST', '/v1/job/scaled/scale', { Count: 3, Target: { Group: 'g' } });
    // A count and a spread (which Nomad's diff does not show) changed together: not a scale.
    const respread = (await api('GET', '/v1/job/respread')) as {
      TaskGroups: Array<{ Count: number; Spreads: unknown }>;
    };
    respread.TaskGroups[0]!.Count = 2;
    respread.TaskGroups[0]!.Spreads = [{ Attribute: '${node.datacenter}', Weight: 50, SpreadTarget: null }];
    await api('PUT', '/v1/jobs', { Job: respread });
    await api('DELETE', '/v1/job/stopped');
    await api('DELETE', '/v1/job/purged?purge=true');

    const drift = await runCli(['drift', dir, '--detailed-exitcode'], env);
    expect(drift.code).toBe(2);
    expect(drift.stdout.split('\n')).toEqual([
      'Stack "drift": 6 jobs drifted since drover last applied them:',
      expect.stringMatching(/^ {2}oob: registered outside drover \(now version 1, submitted \S+\)$/),
      '  purged: purged outside drover (Nomad no longer knows it)',
      expect.stringMatching(/^ {2}respread: registered outside drover \(now version 1, submitted \S+\)$/),
      expect.stringMatching(
        /^ {2}reverting: auto-reverted to version 0 after deployment [0-9a-f]{8} of version 1 failed \(now version 2\)$/,
      ),
      '  scaled: scaled outside drover: group "g" count 1 → 3 (now version 1)',
      '  stopped: stopped outside drover',
      '',
    ]);

    const plan = await runCli(['plan', dir], env);
    expect(plan.stdout).toContain('Notes:\n  · drift: oob: registered outside drover');
    expect(plan.stdout).toContain('  · drift: scaled: scaled outside drover: group "g" count 1 → 3');

    // Read-only: a token that reads jobs and the stack's variables sees the same.
    const management = (await (await control('acl')).json()) as { SecretID: string };
    const reader = (await (
      await control('token', {
        name: 'reader',
        namespaces: { default: { policy: 'read', variables: { 'drover/stacks/*': ['read'] } } },
      })
    ).json()) as { SecretID: string };
    const readOnly = await runCli(['drift', dir, '--json'], { ...env, NOMAD_TOKEN: reader.SecretID });
    expect(readOnly.code).toBe(0);
    expect(
      (JSON.parse(readOnly.stdout) as { drifted: Array<{ kind: string }> }).drifted.map((f) => f.kind),
    ).toEqual(['registered', 'purged', 'registered', 'auto-reverted', 'scaled', 'stopped']);
    expect(management.SecretID).not.toBe(reader.SecretID);

    // drover applying the files again ends the drift.
    const reapplied = await runCli(['apply', dir, '--auto-approve'], {
      ...env,
      NOMAD_TOKEN: management.SecretID,
    });
    expect(reapplied.code).toBe(0);
    const settled = await runCli(['drift', dir, '--detailed-exitcode'], {
      ...env,
      NOMAD_TOKEN: management.SecretID,
    });
    expect(settled.code).toBe(0);
  }, 120_000);

  it('ends a drift once the cluster matches the files: after an auto-revert put back, after a killed apply', async () => {
    token = ((await (await control('token', { management: true })).json()) as { SecretID: string }).SecretID;
    env = { ...env, NOMAD_TOKEN: token };
    const dir = project('clears', {
      reverter: JOB('reverter', 'example/reverter:1', AUTO_REVERT),
      killed: JOB('killed', 'example/killed:1'),
    });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    await control('script', { job: 'reverter', kind: 'crash-loop', version: 1 });
    writeFileSync(join(dir, 'reverter.nomad.hcl'), JOB('reverter', 'example/reverter:2', AUTO_REVERT));
    expect((await runCli(['apply', dir, '--auto-approve', '--detach'], env)).code).toBe(0);
    for (let i = 0; i < 200 && (await api('GET', '/v1/job/reverter'))!.Version !== 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    // An apply killed after its registration landed: Nomad has the files' job, the history never heard of it.
    writeFileSync(join(dir, 'killed.nomad.hcl'), JOB('killed', 'example/killed:2'));
    const rendered = JSON.parse((await runCli(['render', join(dir, 'killed.nomad.hcl')])).stdout) as {
      Job: { Meta?: Record<string, string> };
    };
    rendered.Job.Meta = { 'drover.stack': 'clears' };
    await api('PUT', '/v1/jobs', rendered);
    expect((await runCli(['drift', dir, '--detailed-exitcode'], env)).code).toBe(2);

    // The file put back to what Nomad reverted to: nothing to change, and the drift is over.
    writeFileSync(join(dir, 'reverter.nomad.hcl'), JOB('reverter', 'example/reverter:1', AUTO_REVERT));
    const plan = await runCli(['plan', dir, '--detailed-exitcode'], env);
    expect([plan.code, plan.stdout]).toEqual([0, expect.stringContaining('No changes.')]);
    const applied = await runCli(['apply', dir, '--auto-approve'], env);
    expect([applied.code, applied.stdout]).toEqual([0, expect.stringContaining('No changes.')]);
    const drift = await runCli(['drift', dir, '--detailed-exitcode'], env);
    expect([drift.code, drift.stdout]).toEqual([
      0,
      'No drift: the 2 jobs of stack "clears" are as drover last applied them.\n',
    ]);
    expect((await runCli(['plan', dir], env)).stdout).not.toContain('drift:');
    // Nothing left to catch up: a further apply writes no record.
    const before = (await api('GET', '/v1/var/drover/stacks/clears/history'))!.ModifyIndex;
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    expect((await api('GET', '/v1/var/drover/stacks/clears/history'))!.ModifyIndex).toBe(before);
  }, 90_000);

  it('says a run is under way instead of reporting its registrations as drift', async () => {
    token = ((await (await control('token', { management: true })).json()) as { SecretID: string }).SecretID;
    env = { ...env, NOMAD_TOKEN: token };
    const dir = project('busy', { busy: JOB('busy', 'example/busy:1') });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    // Another apply holds the lock and has registered its change.
    await api('PUT', '/v1/var/drover/stacks/busy/lock?lock-acquire', {
      Items: {
        holder: 'ana@laptop',
        command: 'apply',
        started: new Date().toISOString(),
        drover_version: '0.1.0',
      },
      Lock: { TTL: '15s', LockDelay: '15s' },
    });
    const live = (await api('GET', '/v1/job/busy')) as {
      TaskGroups: Array<{ Tasks: Array<{ Config: object }> }>;
    };
    live.TaskGroups[0]!.Tasks[0]!.Config = { image: 'example/busy:2' };
    await api('PUT', '/v1/jobs', { Job: live });

    const drift = await runCli(['drift', dir, '--detailed-exitcode'], env);
    expect([drift.code, drift.stdout]).toEqual([
      0,
      expect.stringMatching(
        /^Stack "busy" is being changed by ana@laptop .*: drift is compared once that run ends\.\n$/,
      ),
    ]);
    const plan = await runCli(['plan', dir], env);
    expect(plan.stdout).toMatch(
      /stack "busy" is locked by ana@laptop .*drift is compared once that run ends/,
    );
    expect(plan.stdout).not.toContain('drift: busy');
  }, 60_000);
});
