/**
 * The project's checks on promote and rollback, as on apply: shown, a blocking one refusing before any write,
 * --skip-check recorded in the history with who ran it; one Nomad and several clusters, text, --json and a terminal.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, ROOT, runCli, startSimulatorProcess, type CliResult } from '../support/cli.js';

const JOB = (id: string, image: string, canary = 1) =>
  `job "${id}" {\n  update {\n    canary = ${canary}\n  }\n  group "g" {\n    count = 2\n    task "app" {\n      driver = "docker"\n      config {\n        image = "${image}"\n      }\n    }\n  }\n}\n`;

/** Blocks every promotion, and a rollback to a withdrawn image. */
const RULES = (withdrawn: string) => `
check "promotion_gate" {
  condition     = length([for c in plan.changes : c if c.action == "promote"]) == 0
  error_message = "Promotions wait for the release manager."
}

check "withdrawn" {
  condition     = alltrue([for t in plan.tasks : t.image != "${withdrawn}"])
  error_message = "This image is withdrawn."
}
`;

const GITHUB = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_RUN_ID: '7',
  GITHUB_ACTOR: 'octocat',
};

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(head: string, ...ids: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-checks-commands-'));
  made.push(dir);
  writeFileSync(join(dir, 'drover.hcl'), `${head}\n`);
  for (const id of ids) writeFileSync(join(dir, `${id}.nomad.hcl`), JOB(id, `example/${id}:1`));
  return dir;
}

/** The rules come once the jobs run: version 1, which went out before them, is what they withdraw. */
function addRules(dir: string, id: string): void {
  appendFileSync(join(dir, 'drover.hcl'), RULES(`example/${id}:1`));
}

/** Version 1 of each job applied over version 0: their canaries wait for a promotion. */
async function waitingCanaries(dir: string, ids: string[], env: Record<string, string>): Promise<void> {
  expect((await runCli(['apply', '--auto-approve'], env, undefined, dir)).code).toBe(0);
  for (const id of ids) writeFileSync(join(dir, `${id}.nomad.hcl`), JOB(id, `example/${id}:2`));
  const waiting = await runCli(['apply', '--auto-approve'], env, undefined, dir);
  for (const id of ids) expect(waiting.stdout).toMatch(new RegExp(`${id} +update +promotion-ready`));
}

/** drover on a terminal (util-linux script gives it one): colour and live progress, as a person sees it. */
async function inTerminal(
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
): Promise<CliResult> {
  const command = ['node', join(ROOT, 'bin/run.cjs'), ...args].join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...cleanEnv(), ...env }, cwd });
  let stdout = '';
  child.stdout.on('data', (c) => (stdout += c));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr: '' };
}

const historyOf = async (dir: string, env: Record<string, string>) =>
  (
    JSON.parse((await runCli(['history', '--json'], env, undefined, dir)).stdout) as {
      records: Array<{ command: string; holder: string; skipped_checks?: unknown }>;
    }
  ).records;

describe('checks on promote and rollback, one Nomad', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let env: Record<string, string>;
  const deployment = async (id: string) =>
    (await (await fetch(`${sim.address}/v1/job/${id}/deployment`)).json()) as {
      Status: string;
      TaskGroups: Record<string, { Promoted: boolean }>;
    };
  const version = async (id: string) =>
    ((await (await fetch(`${sim.address}/v1/job/${id}`)).json()) as { Version: number }).Version;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address, CI: 'true' };
  });
  afterAll(() => sim.stop());

  it('promote: a blocking check refuses before any promotion, in text, --json and on a terminal; --skip-check promotes the job named and is recorded', async () => {
    const dir = project('stack = "promoting"', 'gated', 'held');
    await waitingCanaries(dir, ['gated', 'held'], env);
    addRules(dir, 'gated');
    const cli = (args: string[], extra: Record<string, string> = {}) =>
      runCli(args, { ...env, ...extra }, undefined, dir);

    const refused = await cli(['promote', '--no-color']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe(
      [
        'Checks:',
        '  ✗ promotion_gate: Promotions wait for the release manager.',
        '      job default/gated',
        '      job default/held',
        '  ✓ withdrawn',
        "  This plan may not be applied: promotion_gate. Fix it, or override one run with --skip-check NAME (recorded in the stack's history).",
        '',
      ].join('\n'),
    );
    expect(refused.stderr).toContain(
      'Not promoted: 1 check blocks the plan (promotion_gate); nothing was sent to Nomad.',
    );
    expect((await deployment('gated')).TaskGroups.g!.Promoted).toBe(false);

    const json = await cli(['promote', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      refused: true,
      checks: {
        blocking: ['promotion_gate'],
        results: [
          { name: 'promotion_gate', failing: ['job default/gated', 'job default/held'] },
          { name: 'withdrawn', status: 'passed' },
        ],
      },
      jobs: [],
    });

    // On a terminal the results are in colour, as plan shows them.
    const terminal = await inTerminal(['promote'], { NOMAD_ADDR: sim.address }, dir);
    expect(terminal.code).toBe(1);
    expect(terminal.stdout).toContain(
      '\u001b[31m✗\u001b[39m promotion_gate: Promotions wait for the release manager.',
    );
    expect((await deployment('gated')).TaskGroups.g!.Promoted).toBe(false);

    const skipped = await cli(['promote', 'gated', '--skip-check', 'promotion_gate', '--no-color'], GITHUB);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(
      /^Checks:\n {2}⊘ promotion_gate \(skipped with --skip-check\): Promotions wait for the release manager\.\n {6}job default\/gated\n {2}✓ withdrawn\n\n?.*wave 1: gated/,
    );
    expect(skipped.stdout).toContain('Promote complete: 1 succeeded.');
    expect((await deployment('gated')).TaskGroups.g!.Promoted).toBe(true);
    expect((await deployment('held')).TaskGroups.g!.Promoted).toBe(false);
    const [record] = await historyOf(dir, env);
    expect(record).toMatchObject({
      command: 'promote',
      holder: 'GitHub Actions acme/shop run 7 by octocat',
      skipped_checks: [{ name: 'promotion_gate', status: 'failed', severity: 'error' }],
    });
    expect((await runCli(['history'], env, undefined, dir)).stdout).toContain(
      'check promotion_gate skipped (failed)',
    );
  });

  it('rollback: the revert shown with its checks, refused on a blocking one (text, --json); --skip-check reverts and is recorded', async () => {
    const dir = project('stack = "reverting"', 'revertme');
    writeFileSync(join(dir, 'revertme.nomad.hcl'), JOB('revertme', 'example/revertme:1', 0));
    expect((await runCli(['apply', '--auto-approve'], env, undefined, dir)).code).toBe(0);
    writeFileSync(join(dir, 'revertme.nomad.hcl'), JOB('revertme', 'example/revertme:2', 0));
    expect((await runCli(['apply', '--auto-approve'], env, undefined, dir)).code).toBe(0);
    addRules(dir, 'revertme');
    const cli = (args: string[], extra: Record<string, string> = {}) =>
      runCli(args, { ...env, ...extra }, undefined, dir);

    const refused = await cli(['rollback', 'revertme', '--to-version', '0', '--auto-approve', '--no-color']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('  ↺ job "revertme"\n      to version 0\'s spec (now version 1');
    expect(refused.stdout).toContain(
      [
        '  ✓ promotion_gate',
        '  ✗ withdrawn: This image is withdrawn.',
        '      task default/revertme/g/app',
      ].join('\n'),
    );
    expect(refused.stderr).toContain(
      'Not reverted: 1 check blocks the plan (withdrawn); nothing was sent to Nomad.',
    );
    expect(await version('revertme')).toBe(1);

    const json = await cli(['rollback', 'revertme', '--to-version', '0', '--auto-approve', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ refused: true, checks: { blocking: ['withdrawn'] } });

    const skipped = await cli(
      ['rollback', 'revertme', '--to-version', '0', '--auto-approve', '--json', '--skip-check', 'withdrawn'],
      GITHUB,
    );
    expect(skipped.code).toBe(0);
    const document = JSON.parse(skipped.stdout) as {
      ok: boolean;
      checks: { blocking: string[]; results: Array<{ name: string; skipped: boolean }> };
    };
    expect(document.ok).toBe(true);
    expect(document.checks.blocking).toEqual([]);
    expect(document.checks.results.find((r) => r.name === 'withdrawn')!.skipped).toBe(true);
    expect(await version('revertme')).toBe(2);
    const [record] = await historyOf(dir, env);
    expect(record).toMatchObject({
      command: 'rollback',
      holder: 'GitHub Actions acme/shop run 7 by octocat',
      skipped_checks: [{ name: 'withdrawn', status: 'failed', severity: 'error' }],
    });
  });
});

describe('checks on promote and rollback over two clusters', () => {
  let sims: Array<Awaited<ReturnType<typeof startSimulatorProcess>>>;
  let dir: string;
  const env = { CI: 'true' };
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runCli(args, { ...env, ...extra }, undefined, dir);
  beforeAll(async () => {
    sims = await Promise.all([0, 1].map(() => startSimulatorProcess(['--speed', '50'])));
    dir = project(
      [
        'stack = "multi"',
        `cluster "staging" {\n  address = "${sims[0]!.address}"\n}`,
        `cluster "prod" {\n  address = "${sims[1]!.address}"\n  after   = ["staging"]\n}`,
      ].join('\n'),
      'web',
    );
    await waitingCanaries(dir, ['web'], env);
    addRules(dir, 'web');
  });
  afterAll(() => Promise.all(sims.map((s) => s.stop())));

  it("promote: refused in every cluster with each cluster's checks shown; --cluster with --skip-check promotes there, --json carrying the results", async () => {
    const refused = await cli(['promote', '--no-color']);
    expect(refused.code).toBe(1);
    for (const cluster of ['staging', 'prod'])
      expect(refused.stdout).toContain(
        `== cluster ${cluster}\nChecks:\n  ✗ promotion_gate: Promotions wait for the release manager.\n      job default/web\n`,
      );
    expect(refused.stdout).toContain(
      '== cluster staging: refused: 1 check blocks the plan (promotion_gate); nothing was sent to Nomad.',
    );
    expect(refused.stdout).toContain('Rollout FAILED over 2 clusters: 2 refused.');

    const json = JSON.parse((await cli(['promote', '--json'])).stdout) as {
      clusters: Array<{ name: string; status: string; checks: { blocking: string[] } }>;
    };
    expect(json.clusters.map((c) => [c.name, c.status, c.checks.blocking])).toEqual([
      ['staging', 'refused', ['promotion_gate']],
      ['prod', 'refused', ['promotion_gate']],
    ]);

    const prod = await cli(
      ['promote', '--cluster', 'prod', '--skip-check', 'promotion_gate', '--json'],
      GITHUB,
    );
    expect(prod.code).toBe(0);
    const promoted = JSON.parse(prod.stdout) as {
      clusters: Array<{
        name: string;
        status: string;
        checks: { results: Array<{ name: string; skipped: boolean }> };
      }>;
    };
    expect(
      promoted.clusters.map((c) => [c.name, c.status, c.checks.results.map((r) => [r.name, r.skipped])]),
    ).toEqual([
      [
        'prod',
        'succeeded',
        [
          ['promotion_gate', true],
          ['withdrawn', false],
        ],
      ],
    ]);
    const history = JSON.parse((await cli(['history', '--json', '--cluster', 'prod'])).stdout) as {
      clusters: Array<{ history: { records: Array<{ command: string; skipped_checks?: unknown }> } }>;
    };
    expect(history.clusters[0]!.history.records[0]).toMatchObject({
      command: 'promote',
      skipped_checks: [{ name: 'promotion_gate', status: 'failed', severity: 'error' }],
    });
  });

  it('rollback: a blocking check in the clusters refuses the revert everywhere before any write', async () => {
    const versions = () =>
      Promise.all(
        sims.map(
          async (s) =>
            ((await (await fetch(`${s.address}/v1/job/web`)).json()) as { Version: number }).Version,
        ),
      );
    const before = await versions();
    const refused = await cli(['rollback', 'web', '--to-version', '0', '--auto-approve', '--no-color']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      '== cluster prod\nChecks:\n  ✓ promotion_gate\n  ✗ withdrawn: This image is withdrawn.\n      task default/web/g/app\n',
    );
    expect(refused.stdout).toContain('Rollout FAILED over 2 clusters: 2 refused.');
    expect(await versions()).toEqual(before);
  });
});
