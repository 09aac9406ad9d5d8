import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { cleanEnv, ROOT, startSimulatorProcess } from '../support/cli.js';
import { condition, interpolate, loadAction, runCompositeAction } from '../support/composite-action.js';
import { FakeGitHub } from '../support/fake-github.js';
import { FakeGitLab } from '../support/fake-gitlab.js';

const run = promisify(execFile);

interface GithubStep {
  id?: string;
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface GithubWorkflow {
  permissions: Record<string, string>;
  jobs: Record<string, { if: string; needs?: string; outputs?: Record<string, string>; steps: GithubStep[] }>;
}
type GitlabPipeline = Record<string, { script?: string[]; rules?: { if: string }[] }>;

function load<T>(file: string): T {
  const document = parseDocument(readFileSync(join(ROOT, 'docs/ci', file), 'utf8'));
  expect(document.errors.map((e) => e.message)).toEqual([]);
  return document.toJS() as T;
}

describe('the CI recipes in docs/ci/', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
  });
  afterAll(() => sim.stop());

  /** Runs a recipe's shell text in a checkout holding examples/ as deploy/, `drover` being the built CLI. */
  async function shell(script: string, dir: string, extraEnv: Record<string, string> = {}): Promise<number> {
    const drover = `drover() { node ${JSON.stringify(join(ROOT, 'bin/run.cjs'))} "$@"; }\n`;
    try {
      await run('bash', ['-e', '-c', drover + script], {
        cwd: dir,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          NOMAD_ADDR: sim.address,
          CI: 'true',
          GITHUB_OUTPUT: join(dir, 'github-output'),
          GITHUB_ENV: join(dir, 'github-env'),
          RUNNER_TEMP: dir,
          ...extraEnv,
        },
      });
      return 0;
    } catch (error) {
      return (error as { code: number }).code;
    }
  }

  function checkout(): string {
    const dir = mkdtempSync(join(tmpdir(), 'drover-ci-'));
    cpSync(join(ROOT, 'examples'), join(dir, 'deploy'), { recursive: true });
    return dir;
  }

  it('GitHub Actions: plans pull requests (not from forks) into a Markdown comment, applies main; trusts a CA secret; a failed plan replaces the comment and fails the job', async () => {
    const workflow = load<GithubWorkflow>('github-actions.yml');
    expect(workflow.jobs.plan!.if).toBe(
      "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository",
    );
    expect(workflow.jobs.apply!.if).toBe("github.event_name == 'push'");
    const step = (job: string, name: string) => workflow.jobs[job]!.steps.find((s) => s.name === name)!;
    expect(step('plan', 'Comment on the pull request').uses).toBe('actions/github-script@v7');

    const dir = checkout();
    expect(await shell(step('plan', 'Check the layout').run!, dir)).toBe(0);
    expect(await shell(step('plan', 'Plan').run!, dir)).toBe(0);
    const comment = readFileSync(join(dir, 'plan.md'), 'utf8');
    expect(comment).toMatch(/^### drover plan\n/);
    expect(comment).toContain('<summary><code>create</code> <b>api</b></summary>');
    expect(await shell(step('apply', 'Apply').run!, dir)).toBe(0);
    const status = await run('node', [join(ROOT, 'bin/run.cjs'), 'status', 'deploy/', '--json'], {
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: '', NOMAD_ADDR: sim.address },
    });
    expect((JSON.parse(status.stdout) as { jobs: unknown[] }).jobs).toHaveLength(6);

    // The CA secret becomes a file and NOMAD_CACERT for the steps after it, in both jobs.
    for (const job of ['plan', 'apply']) {
      const trust = step(job, 'Trust the Nomad CA');
      expect(trust.if).toBe("env.NOMAD_CACERT_PEM != ''");
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
      expect(await shell(trust.run!, dir, { NOMAD_CACERT_PEM: pem })).toBe(0);
      expect(readFileSync(join(dir, 'nomad-ca.pem'), 'utf8')).toBe(`${pem}\n`);
      expect(readFileSync(join(dir, 'github-env'), 'utf8')).toContain(
        `NOMAD_CACERT=${join(dir, 'nomad-ca.pem')}\n`,
      );
    }

    // A job file out of the canonical layout fails the check, showing the change it wants.
    const web = join(dir, 'deploy/jobs/web.nomad.hcl');
    writeFileSync(web, readFileSync(web, 'utf8').replace(/^ {2}/m, ''));
    expect(await shell(step('plan', 'Check the layout').run!, dir)).toBe(1);

    // A plan that fails: the step passes so the comment is replaced by the error, then the last step fails.
    cpSync(join(ROOT, 'test/fixtures/invalid'), join(dir, 'deploy/jobs'), { recursive: true });
    expect(await shell(step('plan', 'Plan').run!, dir)).toBe(0);
    expect(readFileSync(join(dir, 'plan.md'), 'utf8')).toMatch(/^### drover plan failed\n\n```\n.*error/s);
    expect(readFileSync(join(dir, 'github-output'), 'utf8')).toMatch(/status=1\n$/);
    expect(step('plan', 'Fail on a plan error').if).toBe("steps.plan.outputs.status == '1'");
  }, 60_000);

  it('GitHub Action: the documented workflow plans a pull request into its comment, and on main applies the plan its run saved', async () => {
    const workflow = load<GithubWorkflow>('github-action.yml');
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const { plan, apply } = workflow.jobs as Record<string, GithubWorkflow['jobs'][string]>;
    const drover = (job: typeof plan) => job!.steps.find((step) => step.uses === 'OWNER/drover@v1')!;
    const inputs = Object.keys(loadAction(ROOT).inputs);
    for (const job of [plan, apply])
      for (const name of Object.keys(drover(job).with!)) expect(inputs).toContain(name);
    expect(apply!.needs).toBe('plan');

    // A cluster of its own: the other recipes' tests have applied the examples to the shared one.
    const nomad = await startSimulatorProcess(['--speed', '50']);
    const github = new FakeGitHub('acme', 'shop');
    const githubUrl = await github.start();
    const artifacts = new Map<string, string>();
    const dir = checkout();
    /** A step of the workflow, run for `event` as the runner would: its `with` and `env` filled in. */
    const step = async (job: typeof plan, event: 'pull_request' | 'push', outputs = {}) => {
      const context = {
        github: { event_name: event, ref: event === 'push' ? 'refs/heads/main' : 'refs/pull/7/merge' },
        vars: { NOMAD_ADDR: nomad.address },
        secrets: { NOMAD_TOKEN: 'nomad-secret', GITHUB_TOKEN: 'ghs_write' },
        steps: {},
        needs: { plan: { outputs } },
      };
      if (job!.if && !condition(job!.if, context)) return undefined;
      const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'));
      const payload =
        event === 'push'
          ? { ref: 'refs/heads/main' }
          : {
              number: 7,
              pull_request: {
                number: 7,
                head: { sha: 'abc1234', repo: { full_name: 'acme/shop' } },
                base: { repo: { full_name: 'acme/shop' } },
              },
            };
      writeFileSync(join(runnerTemp, 'event.json'), JSON.stringify(payload));
      const fill = (values: Record<string, string>) =>
        Object.fromEntries(Object.entries(values).map(([k, v]) => [k, interpolate(String(v), context)]));
      const run = await runCompositeAction({
        actionDir: ROOT,
        inputs: fill(drover(job).with!),
        // A job without actions/checkout runs in an empty workspace.
        workspace: job!.steps.some((s) => s.uses?.startsWith('actions/checkout@'))
          ? dir
          : mkdtempSync(join(tmpdir(), 'empty-workspace-')),
        artifacts,
        env: {
          ...cleanEnv(),
          CI: 'true',
          GITHUB_API_URL: githubUrl,
          GITHUB_REPOSITORY: 'acme/shop',
          GITHUB_RUN_ID: '52',
          GITHUB_EVENT_NAME: event,
          GITHUB_EVENT_PATH: join(runnerTemp, 'event.json'),
          RUNNER_TEMP: runnerTemp,
          ...fill(drover(job).env!),
        },
      });
      const jobOutputs = Object.fromEntries(
        Object.entries(job!.outputs ?? {}).map(([k, v]) => [
          k,
          interpolate(v, { steps: { drover: { outputs: run.outputs } } }),
        ]),
      );
      return { ...run, jobOutputs };
    };
    try {
      github.comments(7);
      const reviewed = await step(plan, 'pull_request');
      expect(reviewed!.code).toBe(0);
      expect(reviewed!.jobOutputs).toEqual({ exitcode: '2' });
      expect(github.comments(7).map((c) => c.body.split('\n').slice(0, 2).join('\n'))).toEqual([
        '<!-- drover-plan -->\n### drover plan',
      ]);
      expect(await step(apply, 'pull_request', reviewed!.jobOutputs)).toBeUndefined();

      const merged = await step(plan, 'push');
      expect(merged!.jobOutputs).toEqual({ exitcode: '2' });
      expect(github.comments(7)).toHaveLength(1);
      const applied = await step(apply, 'push', merged!.jobOutputs);
      expect(applied!.code).toBe(0);
      expect(applied!.summary).toMatch(
        /^### drover apply complete\n\nApplied the saved plan from artifact `drover-plan`\./,
      );

      // Nothing left to do: the next push to main plans 0 and skips apply.
      const quiet = await step(plan, 'push');
      expect(quiet!.jobOutputs).toEqual({ exitcode: '0' });
      expect(await step(apply, 'push', quiet!.jobOutputs)).toBeUndefined();
    } finally {
      await github.stop();
      await nomad.stop();
    }
  }, 60_000);

  it("docs/ci/README.md's workflow snippets give the action only inputs it has, and tokens only through env", () => {
    const readme = readFileSync(join(ROOT, 'docs/ci/README.md'), 'utf8');
    const snippets = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseDocument(m[1]!));
    expect(snippets.length).toBeGreaterThan(0);
    const inputs = Object.keys(loadAction(ROOT).inputs);
    for (const snippet of snippets) {
      expect(snippet.errors.map((e) => e.message)).toEqual([]);
      const workflow = snippet.toJS() as GithubWorkflow;
      const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
      const uses = steps.filter((step) => step.uses === 'OWNER/drover@v1');
      expect(uses.length).toBeGreaterThan(0);
      for (const step of uses) {
        for (const name of Object.keys(step.with!)) expect(inputs).toContain(name);
        expect(['plan', 'apply']).toContain(step.with!.command);
        expect(step.env).toMatchObject({ NOMAD_TOKEN: '${{ secrets.NOMAD_TOKEN }}' });
      }
    }
  });

  it('GitLab CI: the same flow; the plan note is found on any page and updated in place; a plan error fails the job', async () => {
    const pipeline = load<GitlabPipeline>('gitlab-ci.yml');
    expect(pipeline['drover-plan']!.rules![0]!.if).toBe('$CI_PIPELINE_SOURCE == "merge_request_event"');
    // GitLab takes only strings as script lines: a plain line with ": " in it is a mapping, and refused.
    for (const job of Object.values(pipeline))
      for (const line of job.script ?? []) expect(typeof line).toBe('string');
    // jq is on this machine; the recipe installs it on the node image.
    const script = pipeline['drover-plan']!.script!.filter((line) => !line.startsWith('apt-get')).join('\n');
    const gitlab = new FakeGitLab(42, 5);
    const ci = {
      CI_API_V4_URL: await gitlab.start(),
      CI_PROJECT_ID: '42',
      CI_MERGE_REQUEST_IID: '5',
      GITLAB_API_TOKEN: gitlab.token,
    };
    try {
      const dir = checkout();
      gitlab.add(['First look: fine by me.']);
      expect(await shell(script, dir, ci)).toBe(0);
      expect(gitlab.all()).toHaveLength(2);
      const note = gitlab.all()[1]!;
      expect(note.body).toMatch(/^<!-- drover-plan -->\n### drover plan\n/);
      expect(readFileSync(join(dir, 'plan.md'), 'utf8')).toMatch(/^### drover plan\n/);

      // 250 notes later the plan's note, newest first, is on page 3 of 3: the next push updates it there.
      gitlab.add(Array.from({ length: 250 }, (_, i) => `review note ${i}`));
      gitlab.requests.length = 0;
      expect(await shell(script, dir, ci)).toBe(0);
      expect(gitlab.all()).toHaveLength(252);
      const notes = '/api/v4/projects/42/merge_requests/5/notes';
      expect(gitlab.requests).toEqual([
        `GET ${notes}?per_page=100&page=1`,
        `GET ${notes}?per_page=100&page=2`,
        `GET ${notes}?per_page=100&page=3`,
        `PUT ${notes}/${note.id}`,
      ]);

      expect(await shell(pipeline['drover-apply']!.script!.join('\n'), dir)).toBe(0);

      cpSync(join(ROOT, 'test/fixtures/invalid'), join(dir, 'deploy/jobs'), { recursive: true });
      gitlab.requests.length = 0;
      expect(await shell(script, dir, ci)).not.toBe(0);
      expect(gitlab.requests).toEqual([]);
    } finally {
      await gitlab.stop();
    }
  }, 60_000);
});
