import { hostname, userInfo } from 'node:os';

/** Who runs drover, as a lock's items name it: the CI run when there is one, else user@host. */
export interface Holder {
  readonly holder: string;
  /** The CI run's page, when the CI says it. */
  readonly url?: string;
  readonly command: string;
  /** ISO time the run took the lock. */
  readonly started: string;
  readonly drover_version: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The CI systems whose run identity is in well-known environment variables. */
const CI_IDENTITIES: ReadonlyArray<(env: Env) => { holder: string; url?: string } | undefined> = [
  (env) =>
    env.GITHUB_ACTIONS === 'true'
      ? {
          holder: `GitHub Actions ${env.GITHUB_REPOSITORY ?? '?'} run ${env.GITHUB_RUN_ID ?? '?'}${env.GITHUB_ACTOR ? ` by ${env.GITHUB_ACTOR}` : ''}`,
          url:
            env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
              ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
              : undefined,
        }
      : undefined,
  (env) =>
    env.GITLAB_CI === 'true'
      ? {
          holder: `GitLab CI ${env.CI_PROJECT_PATH ?? '?'} job ${env.CI_JOB_ID ?? '?'}${env.GITLAB_USER_LOGIN ? ` by ${env.GITLAB_USER_LOGIN}` : ''}`,
          url: env.CI_JOB_URL,
        }
      : undefined,
  (env) =>
    env.BUILDKITE === 'true'
      ? {
          holder: `Buildkite ${env.BUILDKITE_PIPELINE_SLUG ?? '?'} build ${env.BUILDKITE_BUILD_NUMBER ?? '?'}`,
          url: env.BUILDKITE_BUILD_URL,
        }
      : undefined,
  (env) =>
    env.CIRCLECI === 'true'
      ? {
          holder: `CircleCI ${env.CIRCLE_PROJECT_REPONAME ?? '?'} build ${env.CIRCLE_BUILD_NUM ?? '?'}`,
          url: env.CIRCLE_BUILD_URL,
        }
      : undefined,
  (env) =>
    env.JENKINS_URL
      ? { holder: `Jenkins ${env.JOB_NAME ?? '?'} build ${env.BUILD_NUMBER ?? '?'}`, url: env.BUILD_URL }
      : undefined,
];

export function currentHolder(env: Env, command: string, droverVersion: string, now: Date): Holder {
  const ci = CI_IDENTITIES.map((identify) => identify(env)).find((found) => found !== undefined);
  return {
    holder: ci?.holder ?? `${localUser(env)}@${hostname()}`,
    ...(ci?.url ? { url: ci.url } : {}),
    command,
    started: now.toISOString(),
    drover_version: droverVersion,
  };
}

function localUser(env: Env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

/** "GitHub Actions acme/web run 42 (drover 0.1.0 apply, since 2026-12-02T03:00:00Z, 3m ago)". */
export function describeHolder(items: Readonly<Record<string, string>> | undefined, now: Date): string {
  if (!items?.holder) return 'another run (its lock names no holder)';
  const since = Date.parse(items.started ?? '');
  const ago = Number.isNaN(since) ? '' : `, ${elapsed(now.getTime() - since)} ago`;
  const what = [items.drover_version ? `drover ${items.drover_version}` : 'drover', items.command]
    .filter(Boolean)
    .join(' ');
  return `${items.holder} (${what}, since ${items.started ?? '?'}${ago})${items.url ? ` ${items.url}` : ''}`;
}

function elapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}
