/**
 * Unformatted HCL for the formatter's tests: a file's blanks between tokens and at line starts changed at random
 * (more, fewer, tabs), never where they are part of a string, a heredoc or a comment, and never joining two
 * tokens that need a blank between them. What the file means is unchanged; only `nomad fmt` can tell.
 */
import { scan, type Token } from '../../src/source/hcl/scanner.js';

/** A small deterministic generator (mulberry32): the same seed, the same mess. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Template text, quotes and heredoc markers: the blanks around them are part of a string. */
const TEXTUAL = new Set(['strlit', 'cquote', 'cheredoc']);
const OPENS_TEXT = new Set(['oquote', 'oheredoc', 'strlit']);
const WORDY = new Set(['ident', 'number']);

export function messUp(source: string, seed: number): string {
  const next = random(seed);
  const tokens = scan(source, 'messy.hcl', { comments: true });
  let out = '';
  let end = 0;
  let previous: Token | undefined;
  for (const token of tokens) {
    const start = token.range.start.offset;
    const blanks = source.slice(end, start);
    const lineStart = previous === undefined || previous.type === 'newline' || previous.text.endsWith('\n');
    const fixed =
      TEXTUAL.has(token.type) ||
      (previous !== undefined && (OPENS_TEXT.has(previous.type) || previous.type === 'cheredoc')) ||
      token.type === 'eof' ||
      blanks.includes('\r');
    if (fixed) out += blanks;
    else if (lineStart) out += pick(next, ['', ' ', '   ', '\t', '        ', blanks]);
    else if (blanks.length > 0 || (previous && WORDY.has(previous.type) && WORDY.has(token.type)))
      out += pick(next, [' ', '  ', '\t', '    ', blanks || ' ']);
    else out += pick(next, ['', '', ' ', '  ']);
    out += token.text;
    end = token.range.end.offset;
    previous = token;
  }
  return out + source.slice(end);
}

function pick<T>(next: () => number, choices: readonly T[]): T {
  return choices[Math.floor(next() * choices.length)]!;
}
