/**
 * The one plan comment on a pull request: found again by the hidden marker its body starts with, updated in
 * place, created only when there is none yet.
 */
import type { GitHubClient, IssueComment, Repository } from './rest-client.js';

/** GitHub refuses a comment body longer than this (422, "Body is too long (maximum is 65536 characters)"). */
export const COMMENT_LIMIT = 65_536;

/** The first line of the comment: invisible on GitHub, the same on every run (and per key, when given). */
export function commentMarker(key = ''): string {
  return key ? `<!-- drover-plan ${key.replace(/-->/g, '')} -->` : '<!-- drover-plan -->';
}

/**
 * The body: the marker, the plan's Markdown, a footer saying which run made it. Past GitHub's limit the footer
 * goes first, then the plan gives way to a pointer to where the whole of it is.
 */
export function commentBody(marker: string, markdown: string, footer: string, whereItIs: string): string {
  const full = `${marker}\n${markdown.trimEnd()}\n\n${footer}\n`;
  if (full.length <= COMMENT_LIMIT) return full;
  const plain = `${marker}\n${markdown.trimEnd()}\n`;
  if (plain.length <= COMMENT_LIMIT) return plain;
  return `${marker}\n### drover plan\n\nThe plan is longer than a pull-request comment can hold: ${whereItIs}.\n\n${footer}\n`;
}

export interface PostedComment {
  readonly action: 'created' | 'updated';
  readonly comment: IssueComment;
}

export async function upsertPlanComment(
  client: GitHubClient,
  target: { readonly repo: Repository; readonly issue: number },
  marker: string,
  body: string,
): Promise<PostedComment> {
  for await (const comment of client.issueComments(target.repo, target.issue))
    if (isPlanComment(comment, marker))
      return {
        action: 'updated',
        comment: await client.updateIssueComment(target.repo, comment.id, body),
      };
  return { action: 'created', comment: await client.createIssueComment(target.repo, target.issue, body) };
}

function isPlanComment(comment: IssueComment, marker: string): boolean {
  return comment.body?.startsWith(`${marker}\n`) ?? false;
}
