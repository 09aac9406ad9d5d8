import { DIGITS, integerOf } from '../../../src/source/hcl/parse-integer.js';
import { MAX_PARSEINT_DIGITS } from '../../../src/source/hcl/functions.js';
import { loadJob } from '../../../src/source/load-job.js';

const digitByDigit = (digits: string, base: number) =>
  [...digits].reduce((value, digit) => value * BigInt(base) + BigInt(DIGITS.indexOf(digit)), 0n);

/** Deterministic digits of `base`, lower case up to base 36 as parseint hands them over. */
function digitsOf(base: number, length: number, seed: number): string {
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += DIGITS[state % base];
  }
  return out;
}

describe('parseint reads any base by halves', () => {
  it.each(Array.from({ length: 61 }, (_, i) => i + 2))('base %i agrees with digit by digit', (base) => {
    for (const length of [1, 7, 8, 9, 16, 17, 100, 1000, 4321])
      expect(integerOf(digitsOf(base, length, base * length), base)).toBe(
        digitByDigit(digitsOf(base, length, base * length), base),
      );
  });

  // Digit by digit, a million digits of base 7 would take minutes (300,000 of base 10 took 12 s).
  it.each([7, 10, 62])('reads a million digits of base %i', (base) => {
    const top = DIGITS[base - 1]!;
    expect(integerOf(top.repeat(1_000_000), base)).toBe(BigInt(base) ** 1_000_000n - 1n);
  });

  it('gives a job a number of 100,000 digits, and refuses one digit more at the call', () => {
    const digits = digitsOf(10, MAX_PARSEINT_DIGITS, 1).replace(/^0+/, '');
    const job = (text: string) =>
      `job "h" {\n  meta {\n    a = parseint("${text}", 10)\n  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n`;
    const loaded = loadJob('parseint.nomad.hcl', job(digits), { env: {} });
    expect(loaded.diagnostics).toEqual([]);
    expect((loaded.job?.['Meta'] as Record<string, string>)['a']).toBe(digits);
    const refused = loadJob('parseint.nomad.hcl', job(`1${'0'.repeat(MAX_PARSEINT_DIGITS)}`), { env: {} });
    expect(
      refused.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.summary}`),
    ).toEqual(['3:9 Error in function call']);
  });
});
