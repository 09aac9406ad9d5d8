/** The pull request a workflow run is for, read from the event payload GitHub writes to GITHUB_EVENT_PATH. */

export interface PullRequest {
  readonly number: number;
  /** `owner/name` of the repository the changes come from; undefined when that fork was deleted. */
  readonly headRepo: string | undefined;
  readonly baseRepo: string;
  readonly headSha: string | undefined;
}

interface PullRequestPayload {
  pull_request?: {
    number?: number;
    head?: { sha?: string; repo?: { full_name?: string } | null };
    base?: { repo?: { full_name?: string } };
  };
}

/** The events whose payload is a pull request (`pull_request`, `pull_request_target`), else undefined. */
export function pullRequestOf(payload: unknown): PullRequest | undefined {
  const pr = (payload as PullRequestPayload | null)?.pull_request;
  if (!pr || typeof pr.number !== 'number' || !pr.base?.repo?.full_name) return undefined;
  return {
    number: pr.number,
    headRepo: pr.head?.repo?.full_name,
    baseRepo: pr.base.repo.full_name,
    headSha: pr.head?.sha,
  };
}

/**
 * A pull request from another repository (a fork, or a fork since deleted). GitHub runs its workflows without
 * the repository's secrets and with a read-only GITHUB_TOKEN (under `pull_request_target` it gives both, to
 * code the workflow should not trust with them): drover plans neither.
 */
export function isFromFork(pr: PullRequest): boolean {
  return pr.headRepo !== pr.baseRepo;
}
