import { jest } from '@jest/globals';
import { yamlEncode } from '../../../src/source/hcl/yaml-encode.js';

// As the emitter wrote them one character at a time (itself held to go-cty-yaml): the text is now written in runs.
describe('yamlencode writes runs of text as it wrote characters', () => {
  it.each([
    ['line one\nline two\n', '|\n  line one\n  line two\n'],
    [' leading space\nsecond\n\n', '|2+\n   leading space\n  second\n\n'],
    ['a\nb\n\n\n', '|+\n  a\n  b\n\n\n'],
    ['crlf\r\nline\u2028sep\u0085next', '"crlf\\r\\nline\\Lsep\\Nnext"\n'],
    [{ key: { nested: ['x\ny', 'a  b'] } }, '"key":\n  "nested":\n  - |-\n    x\n    y\n  - "a  b"\n'],
    [
      ['- item', { 'k\ne': 'v', ['x'.repeat(130)]: 1 }],
      `- "- item"\n- ? |-\n    k\n    e\n  : "v"\n  ? "${'x'.repeat(130)}"\n  : 1\n`,
    ],
    [
      `${'word '.repeat(40)}${' two  spaces '.repeat(10)}😀 \ud800 "q" \\ \t`,
      `"${'word '.repeat(16)}word\n  ${'word '.repeat(15)}word\n  ${'word '.repeat(7)} two  spaces  two  spaces  two  spaces  two  spaces\n  \\ two  spaces  two  spaces  two  spaces  two  spaces  two  spaces  two  spaces \\U0001F600\n  \\uD800 \\"q\\" \\\\ \\t"\n`,
    ],
  ])('%j', (value, yaml) => {
    expect(yamlEncode(value)).toBe(yaml);
  });
});

describe('yamlencode walks its text in runs, not one string per character', () => {
  // A string per character (and `[...text]` per piece written) left millions of objects to the garbage collector:
  // 3.6 MB took 0.6-8 s, sixteen nested yamlencode 5 s.
  const iteratorCalls = (value: unknown) => {
    const spy = jest.spyOn(String.prototype, Symbol.iterator);
    try {
      yamlEncode(value as string);
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  };

  it.each([
    ['a literal block of 100,000 lines', 'a line of text\n'.repeat(100_000)],
    ['a quoted string of 100,000 words', `${'word '.repeat(100_000)}\t`],
    ['a list of 10,000 such strings', Array.from({ length: 10_000 }, (_, i) => `line ${i}\nnext "${i}"\n`)],
  ])('%s', (_, value) => {
    expect(iteratorCalls(value)).toBe(0);
  });
});
