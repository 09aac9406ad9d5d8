import { jest } from '@jest/globals';
import { BigFloat } from '../../../src/source/hcl/big-float.js';
import { loadJob } from '../../../src/source/load-job.js';

/** A job whose meta `a` is the expression, or whose group sets `count`. */
const withMeta = (expr: string) =>
  `job "h" {\n  meta {\n    a = ${expr}\n  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n`;
const withCount = (expr: string) =>
  `job "h" {\n  group "g" {\n    count = ${expr}\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n`;

function load(source: string) {
  const loaded = loadJob('huge.nomad.hcl', source, { env: {} });
  const errors = loaded.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary}: ${d.detail}`);
  return { errors, meta: (loaded.job?.['Meta'] as Record<string, string> | undefined)?.['a'] };
}

describe('numbers of a million digits print as Nomad prints them (they threw "number too large to print")', () => {
  it.each([
    ['1e1100000', `1${'0'.repeat(1_100_000)}`],
    ['"${1e-3400000}"', `0.${'0'.repeat(3_399_999)}1`],
    ['1e999999 * 1e999999', `1${'0'.repeat(1_999_998)}`],
    // As nomad job run -output prints it.
    ['"${2 / 3 * 1e-12345}"', `0.${'0'.repeat(12_345)}${'6'.repeat(153)}7`],
  ])('%s', (expr, printed) => {
    const { errors, meta } = load(withMeta(expr));
    expect(errors).toEqual([]);
    expect(meta).toBe(printed);
  });

  it('reads a literal of 4,000,000 digits at 512 bits, as Nomad does', () => {
    const { errors, meta } = load(withMeta(`1${'2'.repeat(3_999_999)}`));
    expect(errors).toEqual([]);
    expect(meta).toHaveLength(4_000_000);
    expect(meta).toMatch(/^12{150,}\d{0,5}0+$/);
  });

  it.each(['1e-3400000', '1e2000000'])('refuses count = %s at the value, in Nomad words', (expr) => {
    const { errors } = load(withCount(expr));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^3:13: Unsuitable value for "count": /);
  });

  it('indexes and divides by numbers whose whole part has 6.6 million bits', () => {
    expect(load(withMeta('[1][1e2000000]')).errors).toEqual([
      '3:9: Invalid index: The index Infinity is out of range for a list of 1 elements.',
    ]);
    expect(load(withMeta('1e2000000 % 3')).errors).toEqual([]);
  });

  it('refuses printing a number longer than any value may be, at the function call', () => {
    expect(load(withMeta('jsonencode(1e100000000)')).errors).toEqual([
      "3:9: Value too large: This value would take about 95 MB; a job file's values stay under 64 MB (about four million elements). Nomad would try to build it, with gigabytes, for a job no cluster can take.",
    ]);
  });

  it.each([
    ['%d', '1e2000000', '2,000,001 digits'],
    ['%f', '1e2000000', '2,000,007 digits'],
    ['%b', '1e400000', '1,328,772 digits'],
  ])('format("%s", %s) is refused before converting every digit', (verb, number, digits) => {
    expect(load(withMeta(`format("${verb}", ${number})`)).errors).toEqual([
      `3:9: Error in function call: format(): format verb "${verb}" would print ${digits}; drover builds at most 1,000,000 characters for one verb (Nomad would try, for a value no job can use)`,
    ]);
  });
});

describe("a whole number at full precision (parseint's) prints as all its digits", () => {
  it('converting it to decimal once, not for both of its neighbours too', () => {
    const whole = 7n * 10n ** 300_000n + 123n;
    const digits = whole.toString();
    const toString = jest.spyOn(BigInt.prototype, 'toString');
    try {
      expect(BigFloat.fromBigInt(whole).text('f')).toBe(digits);
      expect(toString.mock.calls.filter(([radix]) => radix === undefined || radix === 10)).toHaveLength(1);
    } finally {
      toString.mockRestore();
    }
  });
});
