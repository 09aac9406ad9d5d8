/**
 * The GitHub Action's step (action.yml): reads its inputs and GitHub's variables, runs src/github/run-action.ts
 * with this checkout's built CLI, and exits with the step's code.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { actionInputsFrom } from '../github/action-inputs.js';
import { githubContextFrom } from '../github/github-context.js';
import { runAction, type DroverResult } from '../github/run-action.js';
import { pauseCommands, runnerWorkflow } from '../github/workflow.js';
import { isDroverError, UserError } from '../errors.js';

const DROVER = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url));

/** drover as a child process, without the GitHub token (it needs none) and without the action's inputs. */
function runDrover(args: readonly string[], options: { echo: boolean }): Promise<DroverResult> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'GITHUB_TOKEN' && !name.startsWith('INPUT_')),
  );
  const resume = options.echo ? pauseCommands((text) => process.stdout.write(text)) : () => {};
  return new Promise<DroverResult>((resolve, reject) => {
    const child = spawn(process.execPath, [DROVER, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal === 'SIGTERM' ? 143 : 130), stdout, stderr }),
    );
  }).finally(resume);
}

const workflow = runnerWorkflow({
  outputFile: process.env.GITHUB_OUTPUT,
  summaryFile: process.env.GITHUB_STEP_SUMMARY,
  write: (text) => process.stdout.write(text),
});

try {
  process.exitCode = await runAction({
    inputs: actionInputsFrom(process.env),
    github: githubContextFrom(process.env),
    workflow,
    drover: runDrover,
  });
} catch (error) {
  const message = isDroverError(error)
    ? `${error.message}${error instanceof UserError && error.hint ? `\nHint: ${error.hint}` : ''}`
    : `${(error as Error).stack ?? String(error)}\nThis is a bug in drover: please report it.`;
  workflow.annotate('error', 'drover', message);
  process.exitCode = 1;
}
