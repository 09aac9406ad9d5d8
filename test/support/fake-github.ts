/**
 * A local server that answers the issue-comment calls of GitHub's REST API as GitHub documents them
 * (docs.github.com/rest/issues/comments, /rest/using-the-rest-api/using-pagination-in-the-rest-api):
 *
 * - `GET /repos/{owner}/{repo}/issues/{n}/comments`: 200, a JSON array oldest first; `per_page` (default 30,
 *   at most 100) and `page` (default 1); a `Link` header with `next`/`last` (and `first`/`prev` past page 1)
 *   when there is more than one page. Like GitHub, its links name the repository by ID
 *   (`/repositories/{id}/issues/{n}/comments?per_page=100&page=2`), so a client must follow them rather than
 *   build its own.
 * - `POST` to the same path, `{"body": …}`: 201 with `Location` and the comment; 422 "Validation Failed" for a
 *   missing body or one past 65,536 characters.
 * - `PATCH /repos/{owner}/{repo}/issues/comments/{id}`, `{"body": …}`: 200 and the comment; 404 if none.
 * - No `Authorization` header: 401 "Requires authentication"; an unknown token: 401 "Bad credentials"; a
 *   read-only token writing: 403 "Resource not accessible by integration"; no `User-Agent`: 403. Unknown
 *   repository, pull request or path: 404 "Not Found".
 *
 * Every request is recorded (method, path and query), for tests to assert what was asked.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  user: string;
}

const REPOSITORY_ID = 1296269;
const BODY_LIMIT = 65_536;

export class FakeGitHub {
  readonly requests: string[] = [];
  /** Tokens that may write, and tokens that may only read (as GITHUB_TOKEN on a fork's pull request). */
  readonly tokens = new Map<string, 'write' | 'read'>([['ghs_write', 'write']]);
  private readonly issues = new Map<number, FakeComment[]>();
  private nextId = 1;
  private server: Server | undefined;
  private url = '';

  constructor(
    readonly owner = 'acme',
    readonly repo = 'shop',
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A pull request's comments (created if new), oldest first. */
  comments(issue: number): FakeComment[] {
    if (!this.issues.has(issue)) this.issues.set(issue, []);
    return this.issues.get(issue)!;
  }

  addComments(issue: number, bodies: readonly string[], user = 'octocat'): void {
    for (const body of bodies) this.comments(issue).push({ id: this.nextId++, body, user });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const body = await readBody(req);
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(json));
    };
    const error = (status: number, message: string, extra: object = {}) =>
      send(status, {
        message,
        documentation_url: 'https://docs.github.com/rest',
        status: String(status),
        ...extra,
      });

    if (!req.headers['user-agent'])
      return error(
        403,
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header',
      );
    const auth = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '');
    if (!auth) return error(401, 'Requires authentication');
    const access = this.tokens.get(auth[1]!);
    if (!access) return error(401, 'Bad credentials');

    const repoPath = `(?:/repos/${this.owner}/${this.repo}|/repositories/${REPOSITORY_ID})`;
    const list = new RegExp(`^${repoPath}/issues/(\\d+)/comments$`).exec(url.pathname);
    const one = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`).exec(url.pathname);
    if (list && req.method === 'GET') {
      const comments = this.issues.get(Number(list[1]));
      if (!comments) return error(404, 'Not Found');
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const last = Math.max(1, Math.ceil(comments.length / perPage));
      const link = (p: number, rel: string) =>
        `<${this.url}/repositories/${REPOSITORY_ID}/issues/${list[1]}/comments?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = [
        ...(page > 1 ? [link(page - 1, 'prev')] : []),
        ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
        ...(page > 1 ? [link(1, 'first')] : []),
      ];
      const shown = comments
        .slice((page - 1) * perPage, page * perPage)
        .map((c) => this.json(Number(list[1]), c));
      return send(200, shown, links.length > 0 ? { Link: links.join(', ') } : {});
    }
    if ((list && req.method === 'POST') || (one && req.method === 'PATCH')) {
      if (access !== 'write') return error(403, 'Resource not accessible by integration');
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string')
        return error(422, 'Validation Failed', {
          errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
        });
      if (text.length > BODY_LIMIT)
        return error(422, 'Validation Failed', {
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: `Body is too long (maximum is ${BODY_LIMIT} characters)`,
            },
          ],
        });
      if (list) {
        const comments = this.issues.get(Number(list[1]));
        if (!comments) return error(404, 'Not Found');
        const comment = { id: this.nextId++, body: text, user: 'github-actions[bot]' };
        comments.push(comment);
        const json = this.json(Number(list[1]), comment);
        return send(201, json, { Location: json.url });
      }
      for (const [issue, comments] of this.issues) {
        const comment = comments.find((c) => c.id === Number(one![1]));
        if (comment) {
          comment.body = text;
          return send(200, this.json(issue, comment));
        }
      }
      return error(404, 'Not Found');
    }
    return error(404, 'Not Found');
  }

  private json(issue: number, comment: FakeComment) {
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${this.url}/repos/${this.owner}/${this.repo}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${issue}#issuecomment-${comment.id}`,
      issue_url: `${this.url}/repos/${this.owner}/${this.repo}/issues/${issue}`,
      body: comment.body,
      user: { login: comment.user, type: comment.user.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: '2026-12-01T10:00:00Z',
      updated_at: '2026-12-01T10:00:00Z',
      author_association: 'NONE',
    };
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
