import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, ROOT, runCli, startSimulatorProcess } from '../support/cli.js';
import { loadAction, runCompositeAction, type CompositeRun } from '../support/composite-action.js';
import { FakeGitHub } from '../support/fake-github.js';

/** A small stack: web's count comes from a variable, so a var file changes the plan. */
const JOB = (id: string, count: string) =>
  `job "${id}" {\n  group "g" {\n    count = ${count}\n    task "app" {\n      driver = "docker"\n      config {\n        image = "nginx:1.27"\n      }\n    }\n  }\n}\n`;

function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-action-'));
  mkdirSync(join(dir, 'deploy'));
  writeFileSync(join(dir, 'deploy/drover.hcl'), 'stack = "shop"\n');
  writeFileSync(
    join(dir, 'deploy/web.nomad.hcl'),
    `variable "web_count" {\n  type    = number\n  default = 2\n}\n\n${JOB('web', 'var.web_count')}`,
  );
  writeFileSync(join(dir, 'deploy/api.nomad.hcl'), JOB('api', '1'));
  writeFileSync(join(dir, 'three.vars.hcl'), 'web_count = 3\n');
  return dir;
}

const SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
const NOMAD_TOKEN = 'nomad-secret-0f9e8d7c';

/** The payload GitHub writes for a pull_request event (the fields drover reads, and their neighbours). */
function pullRequestEvent(head = 'acme/shop', number = 7) {
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      head: { ref: 'more-web', sha: SHA, repo: head === '' ? null : { full_name: head } },
      base: { ref: 'main', repo: { full_name: 'acme/shop' } },
    },
    repository: { full_name: 'acme/shop' },
  };
}

describe('the GitHub Action (action.yml)', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let github: FakeGitHub;
  let githubUrl: string;

  /**
   * The action as a runner checks it out: its action.yml and the built dist/ (linked). Not the working copy: were
   * dist/ missing (a build under way), the action's set-up would run `npm ci` in the developer's checkout.
   */
  let actionDir: string;

  beforeAll(async () => {
    actionDir = mkdtempSync(join(tmpdir(), 'drover-action-'));
    copyFileSync(join(ROOT, 'action.yml'), join(actionDir, 'action.yml'));
    symlinkSync(join(ROOT, 'dist'), join(actionDir, 'dist'));
    sim = await startSimulatorProcess(['--speed', '50']);
    github = new FakeGitHub('acme', 'shop');
    githubUrl = await github.start();
    // Pull request #7, open with no comments yet.
    github.comments(7);
  });
  afterAll(async () => {
    await sim.stop();
    await github.stop();
    rmSync(actionDir, { recursive: true, force: true });
  });

  /** One step `uses: acme/drover@v1` in a job of a workflow run for `event`. */
  async function action(
    dir: string,
    inputs: Record<string, string>,
    options: { event?: object; eventName?: string; env?: Record<string, string | undefined> } = {},
    artifacts = new Map<string, string>(),
  ): Promise<CompositeRun & { artifacts: Map<string, string>; runnerTemp: string }> {
    const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'));
    const eventFile = join(runnerTemp, 'event.json');
    writeFileSync(eventFile, JSON.stringify(options.event ?? { ref: 'refs/heads/main', after: SHA }));
    const run = await runCompositeAction({
      actionDir,
      inputs,
      workspace: dir,
      artifacts,
      env: {
        ...cleanEnv(),
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_API_URL: githubUrl,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_RUN_ID: '41',
        GITHUB_ACTOR: 'ana',
        GITHUB_SHA: SHA,
        GITHUB_EVENT_NAME: options.eventName ?? (options.event ? 'pull_request' : 'push'),
        GITHUB_EVENT_PATH: eventFile,
        RUNNER_TEMP: runnerTemp,
        NOMAD_ADDR: sim.address,
        NOMAD_TOKEN,
        GITHUB_TOKEN: 'ghs_write',
        ...options.env,
      },
    });
    // No token shows: not in the log, the summary, the outputs or any comment.
    for (const text of [
      run.stdout,
      run.stderr,
      run.summary,
      JSON.stringify(run.outputs),
      ...[7, 8].flatMap((pr) => github.comments(pr).map((c) => c.body)),
    ])
      for (const token of [NOMAD_TOKEN, 'ghs_write', 'ghs_read']) expect(text).not.toContain(token);
    return { ...run, artifacts, runnerTemp };
  }

  const ran = (run: CompositeRun, name: string) => run.steps.find((s) => s.name === name);
  const plans = (runnerTemp: string) => readdirSync(runnerTemp).filter((f) => f.startsWith('drover-plan-'));

  it('takes inputs as variables, never as script text, and no secret as an input', () => {
    const action = loadAction(ROOT);
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps;
    // An input interpolated into a script could inject shell; the runner's variables are safe.
    for (const step of steps) expect(step.run ?? '').not.toContain('${{');
    const drover = steps.find((step) => step.id === 'drover')!;
    const passed = Object.entries(drover.env!).filter(([name]) => name.startsWith('INPUT_'));
    const read = new Set(passed.map(([, value]) => /^\$\{\{ inputs\.([\w-]+) \}\}/.exec(value)?.[1]));
    for (const name of Object.keys(action.inputs)) {
      expect(action.inputs[name]!.description).toBeTruthy();
      expect(name).not.toMatch(/token|secret|password/i);
      // Each input reaches the drover step, but those the runner's own steps take (Node, the artifact).
      if (!['working-directory', 'artifact-name', 'retention-days'].includes(name))
        expect(read).toContain(name);
    }
    for (const [name, output] of Object.entries(action.outputs))
      expect(output.value).toBe(`\${{ steps.drover.outputs.${name} }}`);
  });

  it('plan on a pull request: comments the plan, uploads it, reports 2; the next run finds that comment past the first page and updates it', async () => {
    const dir = checkout();
    github.addComments(
      7,
      Array.from({ length: 150 }, (_, i) => `LGTM ${i}`),
    );

    // A job file of the pull request that tries to speak to the runner through the plan in the log.
    const api = join(dir, 'deploy/api.nomad.hcl');
    writeFileSync(
      api,
      readFileSync(api, 'utf8').replace(
        'group "g" {',
        'meta {\n    note = "::error title=pwned::from a job file"\n  }\n  group "g" {',
      ),
    );
    const first = await action(dir, { command: 'plan', paths: 'deploy/' }, { event: pullRequestEvent() });
    expect(first.stdout).toMatch(
      /^::stop-commands::(drover-[0-9a-f-]{36})\n[^]*::error title=pwned::[^]*\n::\1::\n/,
    );
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    expect(first.outputs.exitcode).toBe('2');
    expect(github.requests).toEqual([
      'GET /repos/acme/shop/issues/7/comments?per_page=100',
      'GET /repositories/1296269/issues/7/comments?per_page=100&page=2',
      'POST /repos/acme/shop/issues/7/comments',
    ]);
    const comments = github.comments(7);
    expect(comments).toHaveLength(151);
    const mine = comments[150]!;
    expect(mine.body).toMatch(/^<!-- drover-plan -->\n### drover plan\n\nStack `shop`/);
    expect(mine.body).toContain('<summary><code>create</code> <b>web</b></summary>');
    expect(mine.body).toMatch(/\+ +Count: "2"/);
    expect(first.outputs['comment-url']).toBe(`https://github.com/acme/shop/pull/7#issuecomment-${mine.id}`);
    expect(first.stdout).toContain(`Commented the plan: ${first.outputs['comment-url']}`);
    // The log shows the plan as it is made; the job summary holds it too.
    expect(first.stdout).toContain('<summary><code>create</code> <b>web</b></summary>');
    expect(first.summary).toContain('### drover plan\n\nStack `shop`');

    // The saved plan and its Markdown are the artifact; the plan file is an output, and drover can show it.
    expect(ran(first, 'Upload the saved plan')!.with).toMatchObject({
      name: 'drover-plan',
      'retention-days': '7',
    });
    const artifact = first.artifacts.get('drover-plan')!;
    expect(readdirSync(artifact).sort()).toEqual(['plan.json', 'plan.md']);
    // The comment is the marker, that Markdown and a line naming the commit and the run.
    expect(mine.body).toBe(
      `<!-- drover-plan -->\n${readFileSync(join(artifact, 'plan.md'), 'utf8').trimEnd()}\n\n<sub>Planned at 0a1b2c3 · [workflow run](https://github.com/acme/shop/actions/runs/41)</sub>\n`,
    );
    const shown = await runCli(['show', first.outputs['plan-file']!], {}, undefined, dir);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Plan: 2 to create, 0 to update, 0 to delete.');

    // More comments come; the plan comment is now on page 2 of 3. A new push plans web with 3.
    github.addComments(
      7,
      Array.from({ length: 60 }, (_, i) => `nit ${i}`),
    );
    github.requests.length = 0;
    const second = await action(
      dir,
      { command: 'plan', paths: 'deploy/', 'var-files': 'three.vars.hcl' },
      { event: pullRequestEvent() },
    );
    expect(second.code).toBe(0);
    expect(second.outputs.exitcode).toBe('2');
    expect(github.requests).toEqual([
      'GET /repos/acme/shop/issues/7/comments?per_page=100',
      'GET /repositories/1296269/issues/7/comments?per_page=100&page=2',
      `PATCH /repos/acme/shop/issues/comments/${mine.id}`,
    ]);
    expect(github.comments(7)).toHaveLength(211);
    expect(github.comments(7)[150]!.body).toMatch(/\+ +Count: "3"/);
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url']);
    expect(second.stdout).toContain(`Updated the comment with the plan: ${second.outputs['comment-url']}`);
  }, 60_000);

  it('plan: a failed plan replaces the comment with the error, reports 1 and fails the step; nothing is uploaded', async () => {
    const dir = checkout();
    writeFileSync(
      join(dir, 'deploy/api.nomad.hcl'),
      'job "api" {\n  group "g" {\n    count = "many"\n  }\n}\n',
    );
    // Pull request #8 has the comment of an earlier, good plan.
    github.addComments(
      8,
      ['<!-- drover-plan -->\n### drover plan\n\nan earlier plan\n'],
      'github-actions[bot]',
    );
    const earlier = github.comments(8)[0]!;
    github.requests.length = 0;
    const failed = await action(
      dir,
      { command: 'plan', paths: 'deploy/' },
      { event: pullRequestEvent('acme/shop', 8), env: { NOMAD_TOKEN: '' } },
    );
    expect(failed.code).toBe(1);
    // A pull request's failed run without the Nomad token may be one GitHub gave no secrets: the step says so.
    expect(failed.stdout).toContain(
      '::notice title=NOMAD_TOKEN is not set::NOMAD_TOKEN is empty in this step.',
    );
    expect(failed.outputs.exitcode).toBe('1');
    expect(github.requests.at(-1)).toBe(`PATCH /repos/acme/shop/issues/comments/${earlier.id}`);
    expect(github.comments(8)).toHaveLength(1);
    expect(earlier.body).toMatch(
      /^<!-- drover-plan -->\n### drover plan failed\n\n```\n.*api\.nomad\.hcl.*\n```\n/s,
    );
    expect(failed.summary).toMatch(/^### drover plan failed\n/);
    expect(ran(failed, 'Upload the saved plan')!.ran).toBe(false);
    expect(failed.artifacts.size).toBe(0);
  }, 60_000);

  it('plan: a plan a check blocks is commented with its checks first, reports 1 and fails the step; nothing is uploaded', async () => {
    const dir = checkout();
    writeFileSync(
      join(dir, 'deploy/drover.hcl'),
      `stack = "shop"

check "no_new_api" {
  condition     = length([for c in plan.changes : c if c.name == "api" && c.action == "create"]) == 0
  error_message = "api needs the platform team's review."
}
`,
    );
    github.comments(9);
    const blocked = await action(
      dir,
      { command: 'plan', paths: 'deploy/' },
      { event: pullRequestEvent('acme/shop', 9) },
    );
    expect(blocked.code).toBe(1);
    expect(blocked.outputs.exitcode).toBe('1');
    expect(blocked.outputs['plan-file']).toBe('');
    const [comment] = github.comments(9);
    expect(comment!.body).toMatch(/^<!-- drover-plan -->\n### drover plan\n/);
    expect(comment!.body).toContain('no_new_api');
    expect(comment!.body.indexOf('no_new_api')).toBeLessThan(comment!.body.indexOf('<details>'));
    expect(blocked.summary).toContain('no_new_api');
    expect(ran(blocked, 'Upload the saved plan')!.ran).toBe(false);
  }, 60_000);

  it('plan on a pull request from a fork: says why nothing is planned, asks nothing of GitHub or Nomad, passes', async () => {
    const dir = checkout();
    github.requests.length = 0;
    for (const [head, from] of [
      ['mallory/shop', 'the fork mallory/shop'],
      ['', 'a fork that no longer exists'],
    ] as const) {
      const skipped = await action(
        dir,
        { command: 'plan', paths: 'deploy/' },
        // A fork's run has no secrets and a read-only token.
        { event: pullRequestEvent(head), env: { NOMAD_TOKEN: '', GITHUB_TOKEN: 'ghs_read' } },
      );
      const message = `Pull request #7 comes from ${from}, not from acme/shop. GitHub runs workflows for pull requests from forks without the repository's secrets and with a read-only GITHUB_TOKEN, so drover can neither reach Nomad nor comment; it planned nothing. To plan these changes, push the branch to acme/shop and open the pull request from there.`;
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toContain(
        `::warning title=drover plan skipped%3A pull request from a fork::${message}\n`,
      );
      expect(skipped.summary).toBe(`### drover plan skipped\n\n${message}\n\n`);
      expect(skipped.outputs.exitcode).toBe('');
      expect(plans(skipped.runnerTemp)).toEqual([]);
      expect(ran(skipped, 'Upload the saved plan')!.ran).toBe(false);
    }
    expect(github.requests).toEqual([]);
  }, 60_000);

  it('plan without GITHUB_TOKEN, or with a read-only one: fails with the fix', async () => {
    const dir = checkout();
    github.requests.length = 0;
    const tokenless = await action(
      dir,
      { command: 'plan', paths: 'deploy/' },
      { event: pullRequestEvent(), env: { GITHUB_TOKEN: undefined } },
    );
    expect(tokenless.code).toBe(1);
    expect(tokenless.stdout).toContain(
      '::error title=drover::GITHUB_TOKEN is not set: drover cannot comment the plan on the pull request%0AHint: Give the step `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` and the job `permissions: pull-requests: write` (or the input `comment: false`).\n',
    );
    expect(plans(tokenless.runnerTemp)).toEqual([]);
    expect(github.requests).toEqual([]);

    // Dependabot's pull requests come from the repository itself, with a read-only token.
    github.tokens.set('ghs_read', 'read');
    const readOnly = await action(
      dir,
      { command: 'plan', paths: 'deploy/', 'comment-key': 'read-only' },
      { event: pullRequestEvent(), env: { GITHUB_TOKEN: 'ghs_read' } },
    );
    expect(readOnly.code).toBe(1);
    // The plan was made: a later step (if: failure()) still learns how it went.
    expect(readOnly.outputs.exitcode).toBe('2');
    expect(readOnly.stdout).toContain(
      '::error title=drover::GitHub refused POST /repos/acme/shop/issues/7/comments (403: Resource not accessible by integration)%0AHint: The token may not write here. Give the job `permissions: pull-requests: write`; pull requests from forks and from Dependabot get a read-only token whatever the workflow asks.\n',
    );

    // With `comment: false`, or without a pull request (a push), plan comments nothing and needs no token.
    github.requests.length = 0;
    const quiet = await action(
      dir,
      { command: 'plan', paths: 'deploy/', comment: 'false' },
      { event: pullRequestEvent(), env: { GITHUB_TOKEN: undefined } },
    );
    expect(quiet.code).toBe(0);
    expect(quiet.outputs.exitcode).toBe('2');
    expect(github.requests).toEqual([]);

    github.requests.length = 0;
    const pushed = await action(
      dir,
      { command: 'plan', paths: 'deploy/' },
      { env: { GITHUB_TOKEN: undefined } },
    );
    expect(pushed.code).toBe(0);
    expect(pushed.outputs.exitcode).toBe('2');
    expect(github.requests).toEqual([]);
  }, 60_000);

  it('apply on main: plans afresh and applies under the stack lock, writes the job summary; then plan reports 0', async () => {
    const dir = checkout();
    github.requests.length = 0;
    const applied = await action(dir, { command: 'apply', paths: 'deploy/' });
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.outputs.exitcode).toBe('0');
    expect(ran(applied, 'Download the saved plan')!.ran).toBe(false);
    expect(applied.summary).toMatch(
      /^### drover apply complete\n\nApplied `deploy\/`, planned afresh\.\n\n```text\nJOB +ACTION +OUTCOME +VERSION +DEPLOYMENT +DURATION\n(web|api) .*\n(web|api) .*\n\nApply complete: 2 succeeded\.\n```\n\n<details><summary>drover apply output<\/summary>\n\n```text\ndrover plan \(stack shop/,
    );
    // The log shows the progress as it comes.
    expect(applied.stdout).toMatch(/Z web: succeeded/);
    expect(github.requests).toEqual([]);
    // The run held the stack's lock: its history names the workflow run.
    const history = await runCli(
      ['history', 'deploy/', '--json'],
      { NOMAD_ADDR: sim.address },
      undefined,
      dir,
    );
    expect(JSON.parse(history.stdout).records[0]).toMatchObject({
      holder: 'GitHub Actions acme/shop run 41 by ana',
      command: 'apply',
      outcome: 'succeeded',
    });

    const planned = await action(dir, { command: 'plan', paths: 'deploy/' }, { event: pullRequestEvent() });
    expect(planned.code).toBe(0);
    expect(planned.outputs.exitcode).toBe('0');
    expect(github.comments(7).find((c) => c.body.startsWith('<!-- drover-plan -->\n'))!.body).toContain(
      '**No changes.** Nomad matches the job files.',
    );
  }, 60_000);

  it('apply a saved plan from the artifact of this run; a stale one fails with exit 1 and says so in the summary', async () => {
    const dir = checkout();
    expect((await action(dir, { command: 'apply', paths: 'deploy/' })).code).toBe(0);
    const artifacts = new Map<string, string>();
    const planned = await action(
      dir,
      { command: 'plan', paths: 'deploy/', 'var-files': 'three.vars.hcl', 'artifact-name': 'prod-plan' },
      {},
      artifacts,
    );
    expect(planned.outputs.exitcode).toBe('2');

    const applied = await action(dir, { command: 'apply', 'plan-artifact': 'prod-plan' }, {}, artifacts);
    expect(applied.code).toBe(0);
    expect(ran(applied, 'Download the saved plan')!.with).toEqual({
      name: 'prod-plan',
      path: join(applied.runnerTemp, 'drover-saved-plan'),
    });
    expect(applied.summary).toMatch(
      /^### drover apply complete\n\nApplied the saved plan from artifact `prod-plan`\.\n\n```text\nJOB .*\nweb +update .*\n\nApply complete: 1 succeeded, 1 unchanged\.\n```\n\n<details><summary>The plan applied<\/summary>\n\n### drover plan\n/s,
    );

    // Applied once, the plan is stale: every registration enforces the index it saw.
    const again = await action(dir, { command: 'apply', 'plan-artifact': 'prod-plan' }, {}, artifacts);
    expect(again.code).toBe(1);
    expect(again.outputs.exitcode).toBe('1');
    expect(again.summary).toMatch(/^### drover apply FAILED \(exit 1\)\n/);
    expect(again.summary).toContain('web: job web changed since the plan');

    const missing = await action(dir, { command: 'apply', 'plan-artifact': 'no-such-plan' }, {}, artifacts);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Artifact not found for name: no-such-plan');
    expect(ran(missing, 'drover apply')!.ran).toBe(false);
  }, 60_000);

  it('apply while another run holds the stack: fails at once, naming the holder', async () => {
    const dir = checkout();
    const slow = mkdtempSync(join(tmpdir(), 'drover-slow-'));
    writeFileSync(join(slow, 'drover.hcl'), 'stack = "shop"\n');
    writeFileSync(
      join(slow, 'slow.nomad.hcl'),
      'job "slow" {\n  group "g" {\n    update {\n      min_healthy_time = "150s"\n      healthy_deadline = "300s"\n      progress_deadline = "600s"\n    }\n    task "app" {\n      driver = "docker"\n      config {\n        image = "nginx:1"\n      }\n    }\n  }\n}\n',
    );
    const holder = spawn(process.execPath, [join(ROOT, 'bin/run.cjs'), 'apply', slow, '--auto-approve'], {
      env: { ...cleanEnv(), NOMAD_ADDR: sim.address, CI: 'true' },
    });
    const done = once(holder, 'close');
    const locked = async () => {
      const response = await fetch(`${sim.address}/v1/var/drover/stacks/shop/lock`);
      return response.ok && Boolean(((await response.json()) as { Lock?: unknown }).Lock);
    };
    while (!(await locked())) {
      if (holder.exitCode !== null)
        throw new Error(`the holding apply ended (${holder.exitCode}) before it locked`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const refused = await action(dir, { command: 'apply', paths: 'deploy/' });
    expect(refused.code).toBe(1);
    expect(refused.outputs.exitcode).toBe('1');
    expect(refused.summary).toMatch(
      /^### drover apply FAILED \(exit 1\)\n\nApplied `deploy\/`, planned afresh\.\n\n```text\nError: stack "shop" is locked/,
    );
    await done;
  }, 60_000);
});
