import fc from 'fast-check';
import { loadJob } from '../../../src/source/load-job.js';
import { decodeSourceText, encodingProblem } from '../../../src/source/source-text.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('files that are not UTF-8, refused as Nomad refuses them', () => {
  it('decodes valid UTF-8 as Node does, a BOM and astral characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const encoded = Buffer.from(`\uFEFF${text}`, 'utf8');
        expect(decodeSourceText(encoded)).toBe(encoded.toString('utf8'));
        expect(encodingProblem(decodeSourceText(encoded), 'f')).toBeUndefined();
      }),
    );
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a byte never in UTF-8', [0xff, 0xfe]],
    ['an overlong "/"', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a sequence cut short', [0xe2, 0x82]],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])(
    'refuses %s at its first byte: "Invalid character encoding" (2:17, as nomad job validate says)',
    (_, bad) => {
      const source = decodeSourceText(
        bytes(
          'job "a" {\n  meta = { x = "',
          bad,
          '" }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n',
        ),
      );
      const loaded = loadJob('a.nomad.hcl', source, { env: {} });
      expect(loaded.job).toBeUndefined();
      expect(
        loaded.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary}`),
      ).toEqual(['2:17: Invalid character encoding']);
    },
  );

  it('refuses a var file that is not UTF-8, naming it', () => {
    const varFile = { path: 'prod.vars.hcl', content: decodeSourceText(bytes('image = "', [0xff], '"\n')) };
    const loaded = loadJob('a.nomad.hcl', 'variable "image" {}\njob "a" {}\n', {
      env: {},
      varFiles: [varFile],
    });
    expect(
      loaded.diagnostics.map((d) => `${d.range.file}:${d.range.start.line}:${d.range.start.column}`),
    ).toEqual(['prod.vars.hcl:1:10']);
  });
});
