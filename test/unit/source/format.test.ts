import { readFileSync } from 'node:fs';
import { formatHcl } from '../../../src/source/hcl/format.js';
import { scan } from '../../../src/source/hcl/scanner.js';
import { formatCorpus, LAYOUTS } from '../../support/format-cases.js';
import { FMT_FIXTURE, sha256, type FormatAnswer } from '../../support/format-record.js';

/** Nomad 2.0.5's answers on the corpus (test/nomad/fmt.test.ts records them with `nomad fmt -`). */
const { answers } = JSON.parse(readFileSync(FMT_FIXTURE, 'utf8')) as { answers: FormatAnswer[] };
const corpus = formatCorpus();

/** The tokens of a source without the blanks between them: what formatting must keep. */
const tokensOf = (source: string) =>
  scan(source, 'x.hcl', { comments: true })
    .filter((t) => t.type !== 'newline' && t.type !== 'eof')
    .map((t) => (t.type === 'cheredoc' ? t.text.trim() : t.text.replace(/\r?\n$/, '')));

describe('drover fmt writes what nomad fmt writes', () => {
  it('is the corpus Nomad answered (same cases, same sources)', () => {
    expect(corpus.map((c) => [c.name, sha256(c.source)])).toEqual(
      answers.map((a) => [a.name, a.source_sha256]),
    );
    // The corpus makes the formatter work: most of its files change, a few are refused.
    expect(answers.filter((a, i) => a.formatted_sha256 !== sha256(corpus[i]!.source)).length).toBeGreaterThan(
      200,
    );
  });

  it.each(corpus.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const { text } = formatHcl(corpus[i]!.source, 'corpus.hcl');
    expect(text === undefined ? null : sha256(text)).toBe(answers[i]!.formatted_sha256);
  });

  it('changes only blanks, and formatting twice changes nothing more', () => {
    for (const { source } of corpus) {
      const once = formatHcl(source, 'corpus.hcl').text;
      if (once === undefined) continue;
      expect(tokensOf(once)).toEqual(tokensOf(source));
      expect(formatHcl(once, 'corpus.hcl').text).toBe(once);
    }
  });

  it('aligns = and trailing comments over runs of lines, and leaves heredocs alone', () => {
    // `zz = [1, 2,` leaves a bracket open: no `=` cell of its own, so y is not aligned with it (as in hclwrite).
    expect(formatHcl(LAYOUTS[0]!, 'a.hcl').text).toBe(
      'a   = 1\nbb  = 2 # c\nccc = 3 // d\n\n\nx = {\n  y = 1\n  zz = [1, 2,\n  3]\n}\n',
    );
    expect(formatHcl(LAYOUTS[2]!, 'a.hcl').text).toBe(
      'x = <<-EOF\n    hello ${var.x}\n      world\n    EOF\ny = <<EOF\n  raw\nEOF\n',
    );
  });

  it('aligns the = over a run of 200,000 lines (more than a function call takes arguments)', () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => `k${i}`);
    const job = (lines: string[]) => `job "j" {\n  meta {\n${lines.join('')}  }\n}\n`;
    const { text } = formatHcl(job(keys.map((k) => `    ${k} = "v"\n`)), 'long.hcl');
    expect(text).toBe(job(keys.map((k) => `    ${k.padEnd('k199999'.length)} = "v"\n`)));
  });

  it('aligns by grapheme clusters, keeps CRLF, and writes the blanks after the last line back as blanks', () => {
    // As nomad fmt 2.0.5 writes it: "é" (two code points) and "👍🏽" (four UTF-16 units) are one column each.
    const source =
      'm = {\r\n  "café" = "x" # a\r\n  "e\u0301té😀" = 1 # b\r\n  k = "👍🏽" # c\r\n}\r\n' +
      'b {\r\n  café = 1\r\n  e\u0301téx = 22 # z\r\n  k = 3    # y\r\n}  \t';
    expect(formatHcl(source, 'unicode.hcl').text).toBe(
      'm = {\r\n  "café" = "x" # a\r\n  "e\u0301té😀" = 1   # b\r\n  k      = "👍🏽" # c\r\n}\r\n' +
        'b {\r\n  café = 1\r\n  e\u0301téx = 22 # z\r\n  k    = 3  # y\r\n}   ',
    );
  });

  it('refuses a source that does not parse, at its line and column', () => {
    const { text, diagnostics } = formatHcl('job "x" {\n  a = \n}\n', 'bad.nomad.hcl');
    expect(text).toBeUndefined();
    expect(diagnostics[0]!.range).toMatchObject({ file: 'bad.nomad.hcl', start: { line: 2, column: 7 } });
  });
});
