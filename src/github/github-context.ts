/** Where and why the step runs, from the variables GitHub Actions sets (and the event payload file). */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { UserError } from '../errors.js';
import { pullRequestOf, type PullRequest } from './pull-request.js';
import type { Repository } from './rest-client.js';

export interface GitHubContext {
  readonly apiUrl: string;
  readonly repository: Repository | undefined;
  /** The pull request of a `pull_request` or `pull_request_target` event. */
  readonly pullRequest: PullRequest | undefined;
  /** From the step's env (GITHUB_TOKEN), never an input. */
  readonly token: string | undefined;
  readonly nomadTokenSet: boolean;
  readonly runUrl: string | undefined;
  readonly tempDir: string;
}

export function githubContextFrom(env: Readonly<Record<string, string | undefined>>): GitHubContext {
  const [owner, name] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  return {
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    repository: owner && name ? { owner, name } : undefined,
    pullRequest: env.GITHUB_EVENT_PATH ? pullRequestOf(readEvent(env.GITHUB_EVENT_PATH)) : undefined,
    token: env.GITHUB_TOKEN || undefined,
    nomadTokenSet: Boolean(env.NOMAD_TOKEN),
    runUrl:
      env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined,
    tempDir: env.RUNNER_TEMP || tmpdir(),
  };
}

function readEvent(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError(`cannot read the event payload ${path}: ${(error as Error).message}`, {
      code: 'bad_event',
      hint: 'GitHub Actions writes it for every run; outside Actions, unset GITHUB_EVENT_PATH.',
    });
  }
}
