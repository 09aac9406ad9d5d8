import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';
import { validatePlanDocument } from '../support/plan-schema.js';

const JOB = (id: string, image: string, namespace = 'default') =>
  `job "${id}" {\n  namespace = "${namespace}"\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config {\n        image = "${image}"\n      }\n    }\n  }\n}\n`;

const CHECKS = `
check "pinned_images" {
  condition     = alltrue([for t in plan.tasks : !endswith(try(t.config.image, ""), ":latest")])
  error_message = "Pin every image to a version or digest."
}

check "no_prod_deletes" {
  severity      = "warning"
  condition     = length([for c in plan.changes : c if c.action == "delete" && c.namespace == "prod"]) == 0
  error_message = "This deletes jobs in prod: get a second review."
}
`;

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(stack: string, jobs: Record<string, string>, checks = CHECKS): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-checks-'));
  made.push(dir);
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'drover.hcl'), `stack = "${stack}"\n${checks}`);
  for (const [id, image] of Object.entries(jobs)) writeFileSync(join(dir, `${id}.nomad.hcl`), JOB(id, image));
  return dir;
}

describe('checks on plan, apply and show', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address };
  });
  afterAll(() => sim.stop());

  it('a failing error-level check: plan exits 1 naming the task, apply refuses before any write', async () => {
    const dir = project('pinned', { api: 'example/api:latest', web: 'example/web:1.2' });
    const plan = await runCli(['plan', dir, '--no-color', '--detailed-exitcode'], env);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(
      [
        'Checks:',
        '  ✗ pinned_images: Pin every image to a version or digest.',
        '      task default/api/g/t',
        '  ✓ no_prod_deletes (warning)',
      ].join('\n'),
    );
    const apply = await runCli(['apply', dir, '--auto-approve', '--no-color'], env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(
      'Not applied: 1 check blocks the plan (pinned_images); nothing was sent to Nomad.',
    );
    expect((await fetch(`${sim.address}/v1/job/web`)).status).toBe(404);
  });

  it('the Markdown comment shows the checks first, the failing object named', async () => {
    const dir = project('markdown', { api: 'example/api:latest' });
    const { stdout, code } = await runCli(['plan', dir, '--markdown'], env);
    expect(code).toBe(1);
    const checks = stdout.indexOf('**Checks:** 2 checks: 1 passed, 1 failed (pinned_images).');
    expect(checks).toBeGreaterThan(0);
    expect(checks).toBeLessThan(stdout.indexOf('| create |'));
    expect(stdout).toContain(
      '| ❌ | `pinned_images` | Pin every image to a version or digest.<br>failing: `task default/api/g/t` |',
    );
    expect(stdout).toContain('> **1 check blocks this plan:** `pinned_images`.');
  });

  it('--json carries the results, as the schema says', async () => {
    const dir = project('json', { api: 'example/api:latest' });
    const { stdout, code } = await runCli(['plan', '--json'], env, undefined, dir);
    expect(code).toBe(1);
    const document = JSON.parse(stdout);
    expect(document.checks.blocking).toEqual(['pinned_images']);
    expect(document.checks.results[0]).toMatchObject({
      name: 'pinned_images',
      status: 'failed',
      failing: ['task default/api/g/t'],
      at: 'drover.hcl:3:7',
    });
    expect(validatePlanDocument(document)).toEqual([]);
  });

  it('warnings never change the exit code', async () => {
    const dir = project('warned', { billing: 'example/billing:1' });
    writeFileSync(join(dir, 'billing.nomad.hcl'), JOB('billing', 'example/billing:1', 'prod'));
    await fetch(`${sim.address}/v1/namespace/prod`, {
      method: 'POST',
      body: JSON.stringify({ Name: 'prod' }),
    });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    rmSync(join(dir, 'billing.nomad.hcl'));
    writeFileSync(join(dir, 'other.nomad.hcl'), JOB('other', 'example/other:1'));
    const plan = await runCli(['plan', dir, '--prune', '--no-color'], env);
    expect(plan.stdout).toContain(
      '  ! no_prod_deletes (warning): This deletes jobs in prod: get a second review.',
    );
    expect(plan.stdout).toContain('      job prod/billing');
    expect(plan.code).toBe(0);
  });

  it('a saved plan records the results; show renders them; apply PLAN evaluates them again', async () => {
    const dir = project('saved', { api: 'example/api:1.0' });
    const out = join(dir, 'api.plan');
    expect((await runCli(['plan', dir, '--out', out], env)).code).toBe(0);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.plan.checks.results.map((r: { status: string }) => r.status)).toEqual(['passed', 'passed']);
    expect((await runCli(['show', out, '--no-color'], env)).stdout).toContain('  ✓ pinned_images');
    // The team adds a rule after the plan was saved: apply holds the plan to the rules of the moment.
    writeFileSync(
      join(dir, 'drover.hcl'),
      `stack = "saved"\n${CHECKS}\ncheck "frozen" {\n  condition     = length([for c in plan.changes : c if c.action != "noop"]) == 0\n  error_message = "Release freeze."\n}\n`,
    );
    const refused = await runCli(['apply', out, '--auto-approve', '--no-color'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('  ✗ frozen: Release freeze.');
    expect(refused.stdout).toContain('      job default/api');
    expect((await fetch(`${sim.address}/v1/job/api`)).status).toBe(404);
  });

  it('--log-level debug says what the checks cost: on plan, on apply, and when apply PLAN evaluates them again', async () => {
    const dir = project('costs', { api: 'example/api:1.0', web: 'example/web:1.0' });
    const line = (counts: string) =>
      new RegExp(
        `^debug: checks: ${counts.replace(/[()]/g, '\\$&')}, after \\d+\\.\\d ms masking the plan$`,
        'm',
      );
    const plan = await runCli(['plan', dir, '--out', join(dir, 'costs.plan'), '--log-level', 'debug'], env);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toMatch(line('2 evaluated on 2 changes in \\d+\\.\\d ms (2 passed)'));
    expect(plan.stdout).not.toContain('debug:');
    expect((await runCli(['plan', dir], env)).stderr).not.toContain('checks:');

    writeFileSync(
      join(dir, 'drover.hcl'),
      `stack = "costs"\n${CHECKS}\ncheck "frozen" {\n  condition     = length(plan.changes) == 0\n  error_message = "Release freeze."\n}\n`,
    );
    const saved = await runCli(['apply', join(dir, 'costs.plan'), '--auto-approve'], {
      ...env,
      DROVER_LOG: 'debug',
    });
    expect(saved.code).toBe(1);
    expect(saved.stderr).toMatch(line('3 evaluated on 2 changes in \\d+\\.\\d ms (2 passed, 1 failed)'));
    const fresh = await runCli(['apply', dir, '--auto-approve', '--log-level', 'debug'], env);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toMatch(line('3 evaluated on 2 changes in \\d+\\.\\d ms (2 passed, 1 failed)'));
  });

  it('--skip-check overrides one run, and the stack history says so and who ran it', async () => {
    const dir = project('skipped', { api: 'example/api:latest' });
    const applied = await runCli(
      ['apply', dir, '--auto-approve', '--no-color', '--skip-check', 'pinned_images'],
      {
        ...env,
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_RUN_ID: '42',
        GITHUB_ACTOR: 'octocat',
      },
    );
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('  ⊘ pinned_images (skipped with --skip-check): Pin every image');
    const history = await runCli(['history', dir, '--json'], env);
    const [record] = JSON.parse(history.stdout).records;
    expect(record.holder).toBe('GitHub Actions acme/shop run 42 by octocat');
    expect(record.skipped_checks).toEqual([{ name: 'pinned_images', status: 'failed', severity: 'error' }]);
    const table = await runCli(['history', dir], env);
    expect(table.stdout).toContain('check pinned_images skipped (failed)');
    const typo = await runCli(['plan', '--skip-check', 'pinned_image'], env, undefined, dir);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('--skip-check pinned_image: no check of drover.hcl has that name');
    expect(typo.stderr).toContain('Did you mean --skip-check pinned_images?');
  });

  it('a rule over drift that blocks plan blocks apply too: apply reads the drift its checks read', async () => {
    const settled = `check "settled" {\n  condition     = length(plan.drift) == 0\n  error_message = "Someone changed the stack outside drover."\n}\n`;
    const dir = project('drifty', { drifted: 'example/drifted:1' }, settled);
    expect((await runCli(['apply', '--auto-approve'], env, undefined, dir)).code).toBe(0);
    await fetch(`${sim.address}/v1/job/drifted/scale`, {
      method: 'POST',
      body: JSON.stringify({ Count: 3, Target: { Group: 'g' } }),
    });
    const count = async () =>
      (
        (await (await fetch(`${sim.address}/v1/job/drifted`)).json()) as {
          TaskGroups: Array<{ Count: number }>;
        }
      ).TaskGroups[0]!.Count;
    const failed = '  ✗ settled: Someone changed the stack outside drover.\n';
    const plan = await runCli(['plan', '--no-color'], env, undefined, dir);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(failed);
    const apply = await runCli(['apply', '--auto-approve', '--no-color'], env, undefined, dir);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain(failed);
    expect(apply.stderr).toContain('Not applied: 1 check blocks the plan (settled)');
    expect(await count()).toBe(3);
    // Overridden for one run, apply brings the count back, and the drift is over.
    const skipped = await runCli(['apply', '--auto-approve', '--skip-check', 'settled'], env, undefined, dir);
    expect(skipped.code).toBe(0);
    expect(await count()).toBe(1);
    expect((await runCli(['plan'], env, undefined, dir)).code).toBe(0);
  });

  it('a check that fails to evaluate refuses the plan, at its position', async () => {
    // A delete sends no object: its desired is null, and reading an attribute of it cannot be evaluated.
    const rule = `check "named" {\n  condition     = alltrue([for c in plan.changes : c.desired.ID != ""])\n  error_message = "x"\n}\n`;
    const dir = project('broken', { gone: 'example/gone:1' }, `prune = true\n${rule}`);
    expect((await runCli(['apply', '--auto-approve'], env, undefined, dir)).code).toBe(0);
    rmSync(join(dir, 'gone.nomad.hcl'));
    writeFileSync(join(dir, 'fresh.nomad.hcl'), JOB('fresh', 'example/fresh:1'));
    const plan = await runCli(['plan', '--no-color'], env, undefined, dir);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(
      [
        '  ✗ named: could not be evaluated',
        '      drover.hcl:4:52: error: Attempt to get attribute from null value',
      ].join('\n'),
    );
    expect(plan.stdout).toContain('"ID" cannot be read from null.');
    const apply = await runCli(['apply', '--auto-approve'], env, undefined, dir);
    expect(apply.code).toBe(1);
    expect((await fetch(`${sim.address}/v1/job/fresh`)).status).toBe(404);
  });
});

describe('checks offline', () => {
  it('validate names unknown attributes of the plan object, a wrong severity, a missing error_message', async () => {
    const dir = project(
      'validate',
      { api: 'example/api:1' },
      `check "a" {\n  severity  = "warnign"\n  condition = length(plan.chnages) == 0\n  error_message = "x"\n}\ncheck "b" {\n  condition = true\n}\n`,
    );
    const { stdout, code } = await runCli(['validate'], {}, undefined, dir);
    expect(code).toBe(1);
    expect(stdout).toContain('drover.hcl:3:15: error: Invalid severity');
    expect(stdout).toContain('did you mean "warning"?');
    expect(stdout).toContain('drover.hcl:4:22: error: Unsupported attribute');
    expect(stdout).toContain('This object has no attribute "chnages"; did you mean "changes"?');
    expect(stdout).toContain('drover.hcl:7:7: error: Missing error_message in check "b"');
  });

  it('plan refuses a broken check before it asks Nomad anything', async () => {
    const dir = project(
      'offline',
      { api: 'example/api:1' },
      `check "a" {\n  condition = plan.tasks.image == ""\n  error_message = "x"\n}\n`,
    );
    const { stderr, code } = await runCli(['plan', dir], { NOMAD_ADDR: 'http://127.0.0.1:9' });
    expect(code).toBe(1);
    expect(stderr).toContain('drover.hcl:3:15: error: Unsupported attribute');
    expect(stderr).toContain('"image" cannot be read from a list');
    expect(stderr).toContain('nothing was sent to Nomad');
  });

  it('test-checks runs the checks against saved plans kept as fixtures', async () => {
    const sim = await startSimulatorProcess(['--speed', '50']);
    try {
      const dir = project('fixtures', { api: 'example/api:latest' });
      mkdirSync(join(dir, 'tests'));
      expect(
        (await runCli(['plan', dir, '--out', join(dir, 'tests/latest.plan')], { NOMAD_ADDR: sim.address }))
          .code,
      ).toBe(1);
      copyFileSync(join(dir, 'tests/latest.plan'), join(dir, 'tests/copy.plan'));
      writeFileSync(
        join(dir, 'tests/rules.checktest.hcl'),
        `run "latest" {\n  plan            = "latest.plan"\n  expect_failures = [check.pinned_images]\n}\n\nrun "wrong" {\n  plan            = "copy.plan"\n  time            = "2026-12-11T15:00:00Z"\n  expect_failures = [check.no_prod_deletes]\n}\n`,
      );
      const { stdout, code } = await runCli(['test-checks'], {}, undefined, dir);
      expect(stdout).toBe(
        [
          '✓ latest (tests/latest.plan): fails pinned_images as expected',
          '✗ wrong (tests/copy.plan, tests/rules.checktest.hcl:6:5)',
          '    check pinned_images failed: Pin every image to a version or digest. (task default/api/g/t)',
          '    check no_prod_deletes was expected to fail, and passed',
          '',
          '2 runs: 1 passed, 1 failed.',
          '',
        ].join('\n'),
      );
      expect(code).toBe(1);
      const one = await runCli(['test-checks', 'tests/rules.checktest.hcl', '--json'], {}, undefined, dir);
      expect(JSON.parse(one.stdout).runs.map((r: { passed: boolean }) => r.passed)).toEqual([true, false]);
    } finally {
      await sim.stop();
    }
  });
});
