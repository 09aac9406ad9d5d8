/**
 * A local server that answers GitLab's merge-request notes API as GitLab documents it (docs.gitlab.com/api/notes,
 * /api/rest/#pagination):
 *
 * - `GET /api/v4/projects/{id}/merge_requests/{iid}/notes`: 200, newest first (the default `sort=desc` by
 *   `created_at`; `sort=asc` reverses); `per_page` (default 20, at most 100) and `page` (default 1);
 *   `x-page`, `x-per-page`, `x-total`, `x-total-pages`, `x-next-page` and `x-prev-page` (empty at the ends)
 *   and a `Link` header.
 * - `POST` to the same path, `body=` form or JSON `{"body": …}`: 201 and the note; 400 without a body.
 * - `PUT /api/v4/projects/{id}/merge_requests/{iid}/notes/{note_id}`: 200 and the note; 404 if none.
 * - Without a valid `PRIVATE-TOKEN`: 401 `{"message":"401 Unauthorized"}`.
 *
 * Every request is recorded (method, path and query).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeNote {
  id: number;
  body: string;
}

export class FakeGitLab {
  readonly requests: string[] = [];
  readonly token = 'glpat-fake';
  private readonly notes: FakeNote[] = [];
  private nextId = 1;
  private server: Server | undefined;
  private url = '';

  constructor(
    readonly projectId = 42,
    readonly iid = 5,
  ) {}

  /** The API's base, as GitLab CI gives it in CI_API_V4_URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return `${this.url}/api/v4`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The merge request's notes, oldest first. */
  all(): readonly FakeNote[] {
    return this.notes;
  }

  add(bodies: readonly string[]): void {
    for (const body of bodies) this.notes.push({ id: this.nextId++, body });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    let text = '';
    for await (const chunk of req) text += chunk;
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    if (req.headers['private-token'] !== this.token) return send(401, { message: '401 Unauthorized' });
    const base = `/api/v4/projects/${this.projectId}/merge_requests/${this.iid}/notes`;
    if (url.pathname === base && req.method === 'GET') {
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 20) || 20));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const ordered = url.searchParams.get('sort') === 'asc' ? [...this.notes] : [...this.notes].reverse();
      const pages = Math.max(1, Math.ceil(ordered.length / perPage));
      const link = (p: number, rel: string) =>
        `<${this.url}${base}?page=${p}&per_page=${perPage}>; rel="${rel}"`;
      const links = [
        ...(page > 1 ? [link(page - 1, 'prev')] : []),
        ...(page < pages ? [link(page + 1, 'next')] : []),
        link(1, 'first'),
        link(pages, 'last'),
      ];
      return send(
        200,
        ordered.slice((page - 1) * perPage, page * perPage).map((n) => this.json(n)),
        {
          'x-page': String(page),
          'x-per-page': String(perPage),
          'x-total': String(ordered.length),
          'x-total-pages': String(pages),
          'x-next-page': page < pages ? String(page + 1) : '',
          'x-prev-page': page > 1 ? String(page - 1) : '',
          Link: links.join(', '),
        },
      );
    }
    const body = noteBody(text, req.headers['content-type']);
    if (url.pathname === base && req.method === 'POST') {
      if (!body) return send(400, { message: '400 Bad request - body is missing' });
      const note = { id: this.nextId++, body };
      this.notes.push(note);
      return send(201, this.json(note));
    }
    const one = new RegExp(`^${base}/(\\d+)$`).exec(url.pathname);
    if (one && req.method === 'PUT') {
      const note = this.notes.find((n) => n.id === Number(one[1]));
      if (!note) return send(404, { message: '404 Not found' });
      if (body) note.body = body;
      return send(200, this.json(note));
    }
    return send(404, { error: '404 Not Found' });
  }

  private json(note: FakeNote) {
    return {
      id: note.id,
      type: null,
      body: note.body,
      author: { username: 'drover-bot' },
      system: false,
      noteable_iid: this.iid,
    };
  }
}

function noteBody(text: string, type: string | undefined): string | undefined {
  if (!text) return undefined;
  if (type?.includes('json')) return (JSON.parse(text) as { body?: string }).body;
  return new URLSearchParams(text).get('body') ?? undefined;
}
