import { scan } from '../../../src/source/hcl/scanner.js';
import { loadJob } from '../../../src/source/load-job.js';

const invalid = (source: string) =>
  scan(source, 'x.hcl')
    .filter((t) => t.type === 'invalid')
    .map((t) => [t.text, t.problem, `${t.range.start.column}-${t.range.end.column}`]);

describe('scanner: a character that starts nothing', () => {
  it('is one token, the whole character, named as itself (an emoji is two UTF-16 units)', () => {
    expect(invalid('a = 😀\n')).toEqual([
      ['😀', 'Invalid character: "😀" cannot start an expression or a name', '5-6'],
    ]);
    expect(invalid('a = @ é\n')).toEqual([
      ['@', 'Invalid character: "@" cannot start an expression or a name', '5-6'],
    ]);
  });

  it('is escaped when it cannot be seen', () => {
    expect(invalid('a = \u0007\n')).toEqual([
      ['\u0007', 'Invalid character: "\\u0007" cannot start an expression or a name', '5-6'],
    ]);
  });

  it('is reported where nomad job validate reports it (3,9-10 for an emoji as a meta value)', () => {
    const loaded = loadJob('emoji.nomad.hcl', 'job "j" {\n  meta {\n    a = 😀\n  }\n}\n', { env: {} });
    expect(
      loaded.diagnostics.map(
        (d) => `${d.range.start.line},${d.range.start.column}-${d.range.end.column}: ${d.summary}`,
      ),
    ).toEqual(['3,9-10: Invalid character: "😀" cannot start an expression or a name']);
  });
});
