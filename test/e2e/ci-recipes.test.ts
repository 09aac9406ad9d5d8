import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { ROOT, startSimulatorProcess } from '../support/cli.js';

const run = promisify(execFile);

interface GithubWorkflow {
  jobs: Record<string, { if: string; steps: { name?: string; run?: string; uses?: string }[] }>;
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
  async function shell(script: string, dir: string): Promise<number> {
    const drover = `drover() { node ${JSON.stringify(join(ROOT, 'bin/run.cjs'))} "$@"; }\n`;
    try {
      await run('bash', ['-e', '-c', drover + script], {
        cwd: dir,
        env: { ...process.env, NODE_OPTIONS: '', NOMAD_ADDR: sim.address, CI: 'true' },
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

  it('GitHub Actions: plans pull requests into a Markdown comment, applies main', async () => {
    const workflow = load<GithubWorkflow>('github-actions.yml');
    expect(workflow.jobs.plan!.if).toBe("github.event_name == 'pull_request'");
    expect(workflow.jobs.apply!.if).toBe("github.event_name == 'push'");
    const step = (job: string, name: string) => workflow.jobs[job]!.steps.find((s) => s.name === name)!;
    expect(step('plan', 'Comment on the pull request').uses).toBe('actions/github-script@v7');

    const dir = checkout();
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
  }, 60_000);

  it('GitLab CI: the same flow; a plan error fails the job', async () => {
    const pipeline = load<GitlabPipeline>('gitlab-ci.yml');
    expect(pipeline['drover-plan']!.rules![0]!.if).toBe('$CI_PIPELINE_SOURCE == "merge_request_event"');
    const planLines = pipeline['drover-plan']!.script!.filter((line) => /drover |status/.test(line));
    expect(planLines).toHaveLength(3);

    const dir = checkout();
    expect(await shell(planLines.join('\n'), dir)).toBe(0);
    expect(readFileSync(join(dir, 'plan.md'), 'utf8')).toMatch(/^### drover plan\n/);
    expect(await shell(pipeline['drover-apply']!.script!.join('\n'), dir)).toBe(0);

    cpSync(join(ROOT, 'test/fixtures/invalid'), join(dir, 'deploy/jobs'), { recursive: true });
    expect(await shell(planLines.join('\n'), dir)).not.toBe(0);
  }, 60_000);
});
