import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  COMMENT_LIMIT,
  commentBody,
  commentMarker,
  upsertPlanComment,
} from '../../../src/github/plan-comment.js';
import { GitHubClient } from '../../../src/github/rest-client.js';
import { FakeGitHub } from '../../support/fake-github.js';

const repo = { owner: 'acme', name: 'shop' };

describe('the plan comment', () => {
  let github: FakeGitHub;
  let api: string;
  let client: GitHubClient;
  beforeEach(async () => {
    github = new FakeGitHub();
    api = await github.start();
    client = new GitHubClient(api, 'ghs_write');
  });
  afterEach(() => github.stop());

  it('is created when the pull request has none, then updated in place', async () => {
    github.addComments(3, ['Looks good']);
    const marker = commentMarker();
    const created = await upsertPlanComment(client, { repo, issue: 3 }, marker, `${marker}\nfirst\n`);
    expect(created.action).toBe('created');
    const updated = await upsertPlanComment(client, { repo, issue: 3 }, marker, `${marker}\nsecond\n`);
    expect(updated).toMatchObject({ action: 'updated', comment: { id: created.comment.id } });
    expect(github.comments(3).map((c) => c.body)).toEqual(['Looks good', `${marker}\nsecond\n`]);
  });

  it('is found on any page, following the Link header, and the pages after it are not read', async () => {
    const marker = commentMarker();
    github.addComments(
      3,
      Array.from({ length: 250 }, (_, i) => `comment ${i}`),
    );
    github.addComments(3, [`${marker}\nold plan\n`], 'github-actions[bot]');
    github.addComments(
      3,
      Array.from({ length: 150 }, (_, i) => `later ${i}`),
    );
    github.requests.length = 0;
    const posted = await upsertPlanComment(client, { repo, issue: 3 }, marker, `${marker}\nnew plan\n`);
    expect(posted.action).toBe('updated');
    expect(github.requests).toEqual([
      'GET /repos/acme/shop/issues/3/comments?per_page=100',
      'GET /repositories/1296269/issues/3/comments?per_page=100&page=2',
      'GET /repositories/1296269/issues/3/comments?per_page=100&page=3',
      `PATCH /repos/acme/shop/issues/comments/${posted.comment.id}`,
    ]);
    expect(github.comments(3)[250]!.body).toBe(`${marker}\nnew plan\n`);
  });

  it('is told by its first line: not a comment quoting the marker, nor the comment of another key', async () => {
    const marker = commentMarker('prod');
    expect(marker).toBe('<!-- drover-plan prod -->');
    github.addComments(3, [
      'Why does `<!-- drover-plan prod -->` show nowhere?',
      `${commentMarker()}\nthe default project's plan\n`,
      `${commentMarker('staging')}\nstaging's plan\n`,
    ]);
    const posted = await upsertPlanComment(client, { repo, issue: 3 }, marker, `${marker}\nprod's plan\n`);
    expect(posted.action).toBe('created');
    expect(github.comments(3)).toHaveLength(4);
    // A key cannot end the HTML comment early.
    expect(commentMarker('a-->b')).toBe('<!-- drover-plan ab -->');
  });

  it("GitHub's refusals come back as errors saying what GitHub said, with the fix", async () => {
    github.comments(3);
    const marker = commentMarker();
    const tooLong = `${marker}\n${'x'.repeat(COMMENT_LIMIT)}`;
    await expect(upsertPlanComment(client, { repo, issue: 3 }, marker, tooLong)).rejects.toThrow(
      'GitHub refused POST /repos/acme/shop/issues/3/comments (422: Validation Failed: Body is too long (maximum is 65536 characters))',
    );
    const stranger = new GitHubClient(
      new URL(github.requests.length ? client['apiUrl'] : '').href,
      'ghs_unknown',
    );
    await expect(stranger.createIssueComment(repo, 3, 'x')).rejects.toMatchObject({
      message: 'GitHub refused POST /repos/acme/shop/issues/3/comments (401: Bad credentials)',
      hint: 'Give the step the token: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}.',
    });
    await expect(upsertPlanComment(client, { repo, issue: 99 }, marker, 'x')).rejects.toMatchObject({
      message: 'GitHub refused GET /repos/acme/shop/issues/99/comments (404: Not Found)',
    });
  });

  it('sends the token only to the API it was given for, whatever a Link header says', async () => {
    const seen: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        Link: '<http://evil.example/steal?page=2>; rel="next"',
      });
      res.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expect(
        upsertPlanComment(new GitHubClient(api, 'ghs_write'), { repo, issue: 3 }, commentMarker(), 'x'),
      ).rejects.toThrow("GitHub's next page of comments is on another host (evil.example)");
      expect(seen).toEqual(['Bearer ghs_write']);
    } finally {
      server.close();
    }
  });
});

describe('the comment body', () => {
  const marker = commentMarker();
  const footer = '<sub>Planned at 0a1b2c3</sub>';

  it('is the marker, the plan and the footer', () => {
    expect(commentBody(marker, '### drover plan\n\nNo changes.\n\n', footer, 'see the summary')).toBe(
      '<!-- drover-plan -->\n### drover plan\n\nNo changes.\n\n<sub>Planned at 0a1b2c3</sub>\n',
    );
  });

  it("past GitHub's limit, drops the footer first, then gives the plan's place to a pointer", () => {
    const fits = 'x'.repeat(COMMENT_LIMIT - marker.length - 2);
    expect(commentBody(marker, fits, footer, 'see the summary')).toBe(`${marker}\n${fits}\n`);
    expect(commentBody(marker, `${fits}x`, footer, 'see the summary')).toBe(
      `${marker}\n### drover plan\n\nThe plan is longer than a pull-request comment can hold: see the summary.\n\n${footer}\n`,
    );
  });
});
