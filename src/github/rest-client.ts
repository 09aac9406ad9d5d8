/**
 * The few calls of GitHub's REST API the action makes (issue comments: list, create, update), with GitHub's
 * documented headers, status codes and Link-header pagination. Global fetch, not undici: this is GitHub, not
 * Nomad, and the action needs nothing of the Nomad client's transport.
 */
import { UserError } from '../errors.js';
import { nextPageUrl } from './link-header.js';

export interface IssueComment {
  readonly id: number;
  readonly body?: string;
  readonly html_url: string;
}

export interface Repository {
  readonly owner: string;
  readonly name: string;
}

/** The API version the calls are written for (GitHub answers it until it retires it). */
const API_VERSION = '2022-11-28';
/** GitHub's maximum page size for lists. */
const PAGE_SIZE = 100;
const TIMEOUT_MS = 30_000;

export class GitHubClient {
  private readonly origin: string;

  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
  ) {
    this.origin = new URL(apiUrl).origin;
  }

  /** The pull request's (or issue's) comments, oldest first, page by page as the Link header leads. */
  async *issueComments(repo: Repository, issue: number): AsyncGenerator<IssueComment> {
    let url: string | undefined = `${this.repoUrl(repo)}/issues/${issue}/comments?per_page=${PAGE_SIZE}`;
    const seen = new Set<string>();
    while (url && !seen.has(url)) {
      seen.add(url);
      const response = await this.send('GET', url, undefined, 200);
      yield* (await response.json()) as IssueComment[];
      url = nextPageUrl(response.headers.get('link'));
      // The token goes only to the API it was given for, whatever a header says.
      if (url && new URL(url).origin !== this.origin)
        throw new UserError(`GitHub's next page of comments is on another host (${new URL(url).host})`, {
          code: 'github_api',
          hint: 'Check GITHUB_API_URL: it should be the API of the GitHub that runs the workflow.',
        });
    }
  }

  async createIssueComment(repo: Repository, issue: number, body: string): Promise<IssueComment> {
    const response = await this.send('POST', `${this.repoUrl(repo)}/issues/${issue}/comments`, { body }, 201);
    return (await response.json()) as IssueComment;
  }

  async updateIssueComment(repo: Repository, id: number, body: string): Promise<IssueComment> {
    const response = await this.send('PATCH', `${this.repoUrl(repo)}/issues/comments/${id}`, { body }, 200);
    return (await response.json()) as IssueComment;
  }

  private repoUrl(repo: Repository): string {
    return `${this.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  }

  private async send(method: string, url: string, body: unknown, expected: number): Promise<Response> {
    const what = `${method} ${new URL(url).pathname}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${this.token}`,
          'X-GitHub-Api-Version': API_VERSION,
          'User-Agent': 'drover-github-action',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new UserError(`GitHub's API did not answer ${what}: ${(error as Error).message}`, {
        code: 'github_api',
        hint: 'Run the workflow again; if it persists, see https://www.githubstatus.com.',
      });
    }
    if (response.status === expected) return response;
    throw await apiError(what, response);
  }
}

async function apiError(what: string, response: Response): Promise<UserError> {
  const text = await response.text();
  let said = text.trim().slice(0, 500);
  try {
    const parsed = JSON.parse(text) as { message?: string; errors?: Array<{ message?: string } | string> };
    const details = (parsed.errors ?? []).map((e) => (typeof e === 'string' ? e : e.message)).filter(Boolean);
    said = [parsed.message, ...details].filter(Boolean).join(': ');
  } catch {
    // Not JSON (a proxy's page): its text as it is.
  }
  return new UserError(`GitHub refused ${what} (${response.status}${said ? `: ${said}` : ''})`, {
    code: 'github_api',
    hint:
      HINTS[response.status] ?? 'See the message above; GitHub documents it at https://docs.github.com/rest.',
  });
}

const HINTS: Readonly<Record<number, string>> = {
  401: 'Give the step the token: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}.',
  403: 'The token may not write here. Give the job `permissions: pull-requests: write`; pull requests from forks and from Dependabot get a read-only token whatever the workflow asks.',
  404: "The repository or pull request is not visible with this token: check GITHUB_REPOSITORY and the token's repository access.",
};
