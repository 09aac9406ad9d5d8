import { nextPageUrl } from '../../../src/github/link-header.js';

describe('nextPageUrl: the rel="next" of a Link header', () => {
  it.each([
    [
      "GitHub's page 1 of 5",
      '<https://api.github.com/repositories/1300192/issues/1/comments?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1300192/issues/1/comments?per_page=100&page=5>; rel="last"',
      'https://api.github.com/repositories/1300192/issues/1/comments?per_page=100&page=2',
    ],
    [
      'next after prev and first',
      '<https://api.github.com/x?page=2>; rel="prev", <https://api.github.com/x?page=4>; rel="next", <https://api.github.com/x?page=1>; rel="first"',
      'https://api.github.com/x?page=4',
    ],
    [
      'the last page: no next',
      '<https://api.github.com/x?page=4>; rel="prev", <https://api.github.com/x?page=1>; rel="first"',
      undefined,
    ],
    [
      'rel unquoted, other parameters, any case',
      '<https://h/x?a=1,2&page=3>; title="p"; REL=next',
      'https://h/x?a=1,2&page=3',
    ],
    ['one of several relations', '<https://h/x?page=3>; rel="next last"', 'https://h/x?page=3'],
    ['no header', null, undefined],
    ['an empty header', '', undefined],
  ])('%s', (_name, header, expected) => {
    expect(nextPageUrl(header)).toBe(expected);
  });
});
