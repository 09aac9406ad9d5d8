import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { ROOT, startSimulatorProcess } from '../support/cli.js';
import { FakeGitLab } from '../support/fake-gitlab.js';

const run = promisify(execFile);

interface GithubWorkflow {
  jobs: Record<string, { if: string; steps: { name?: string; run?: string; uses?: string; if?: string }[] }>;
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
