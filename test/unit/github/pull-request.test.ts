import { isFromFork, pullRequestOf } from '../../../src/github/pull-request.js';

const payload = (head: { full_name: string } | null) => ({
  action: 'opened',
  number: 12,
  pull_request: {
    number: 12,
    head: { sha: 'abc', repo: head },
    base: { repo: { full_name: 'acme/shop' } },
  },
});

describe('the pull request of an event payload', () => {
  it('reads a pull request from the repository itself: not a fork', () => {
    const pr = pullRequestOf(payload({ full_name: 'acme/shop' }))!;
    expect(pr).toEqual({ number: 12, headRepo: 'acme/shop', baseRepo: 'acme/shop', headSha: 'abc' });
    expect(isFromFork(pr)).toBe(false);
  });

  it("a fork's pull request, and one whose fork was deleted since (head.repo null), are from forks", () => {
    expect(isFromFork(pullRequestOf(payload({ full_name: 'mallory/shop' }))!)).toBe(true);
    expect(isFromFork(pullRequestOf(payload(null))!)).toBe(true);
  });

  it('a push, a schedule or no payload has no pull request', () => {
    expect(pullRequestOf({ ref: 'refs/heads/main', after: 'abc' })).toBeUndefined();
    expect(pullRequestOf({})).toBeUndefined();
    expect(pullRequestOf(null)).toBeUndefined();
  });
});
