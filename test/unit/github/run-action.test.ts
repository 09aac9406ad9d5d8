import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionInputsFrom } from '../../../src/github/action-inputs.js';
import type { GitHubContext } from '../../../src/github/github-context.js';
import { runAction, type DroverResult } from '../../../src/github/run-action.js';
import type { Workflow } from '../../../src/github/workflow.js';

/** A workflow that records what the step tells the runner. */
function recording() {
  const said = {
    outputs: {} as Record<string, string>,
    summary: '',
    annotations: [] as string[],
    log: [] as string[],
  };
  const workflow: Workflow = {
    log: (line) => said.log.push(line),
    annotate: (level, title, message) => said.annotations.push(`${level}: ${title}: ${message}`),
    output: (name, value) => (said.outputs[name] = value),
    summary: (markdown) => (said.summary += markdown),
  };
  return { said, workflow };
}

const push: GitHubContext = {
  apiUrl: 'http://127.0.0.1:9',
  repository: { owner: 'acme', name: 'shop' },
  pullRequest: undefined,
  token: undefined,
  nomadTokenSet: true,
  runUrl: undefined,
  tempDir: tmpdir(),
};

describe('runAction', () => {
  it('plan: a drover that did not save a plan (killed, or failed) fails the step, whatever its code', async () => {
    const { said, workflow } = recording();
    const calls: string[][] = [];
    const drover = async (args: readonly string[]): Promise<DroverResult> => {
      calls.push([...args]);
      return { code: 143, stdout: '', stderr: '' };
    };
    const code = await runAction({
      inputs: actionInputsFrom({ INPUT_COMMAND: 'plan' }),
      github: push,
      workflow,
      drover,
    });
    expect(code).toBe(1);
    expect(calls[0]!.slice(0, 4)).toEqual(['plan', '--markdown', '--detailed-exitcode', '--out']);
    expect(said.outputs).toEqual({ exitcode: '143', 'plan-file': '', 'plan-dir': '' });
    expect(said.summary).toBe('### drover plan failed\n\n```\ndrover plan exited 143\n```\n');
    // Not a pull request: no word about tokens, no comment.
    expect(said.annotations).toEqual([]);
    expect(said.log).toEqual([]);
  });

  it('apply: an artifact without plan.json is refused before drover runs, with the fix', async () => {
    const { workflow } = recording();
    const dir = mkdtempSync(join(tmpdir(), 'empty-artifact-'));
    let ran = false;
    const inputs = actionInputsFrom({
      INPUT_COMMAND: 'apply',
      INPUT_PLAN_ARTIFACT: 'prod',
      INPUT_SAVED_PLAN_DIR: dir,
    });
    await expect(
      runAction({
        inputs,
        github: push,
        workflow,
        drover: async () => {
          ran = true;
          return { code: 0, stdout: '', stderr: '' };
        },
      }),
    ).rejects.toMatchObject({
      message: 'the artifact prod holds no plan.json',
      hint: 'Name the artifact a `command: plan` step of this workflow run uploaded (its input artifact-name, default drover-plan).',
    });
    expect(ran).toBe(false);
  });
});
