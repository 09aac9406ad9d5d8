/**
 * Whole numbers from digits in any base from 2 to 62, as go-cty's parseint reads them, in time close to linear:
 * adding one digit at a time multiplies an ever longer number (300,000 digits took 12 s).
 */

/** The digits of base 62, the largest parseint takes; a base b uses the first b of them. */
export const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** JavaScript's own literals, for the bases it reads. */
const PREFIXES: Readonly<Record<number, string>> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/** Digits of one step done in a float64: 62^8 < 2^53. */
const CHUNK = 8;

/** The value of `digits` (valid, lower case up to base 36) in `base`. */
export function integerOf(digits: string, base: number): bigint {
  const prefix = PREFIXES[base];
  if (prefix !== undefined) return BigInt(prefix + digits);
  return halves(digits, base, new Map());
}

/** high × base^length(low) + low, splitting where low's length is CHUNK × 2^k, so the powers are shared. */
function halves(digits: string, base: number, powers: Map<number, bigint>): bigint {
  if (digits.length <= CHUNK) return chunk(digits, base);
  let low = CHUNK;
  while (low * 2 < digits.length) low *= 2;
  const split = digits.length - low;
  const high = halves(digits.slice(0, split), base, powers);
  return high * power(base, low, powers) + halves(digits.slice(split), base, powers);
}

function chunk(digits: string, base: number): bigint {
  let value = 0;
  for (const digit of digits) value = value * base + DIGITS.indexOf(digit);
  return BigInt(value);
}

/** base^exponent for exponent CHUNK × 2^k, by squaring the one before. */
function power(base: number, exponent: number, powers: Map<number, bigint>): bigint {
  let known = powers.get(exponent);
  if (known === undefined) {
    known = exponent === CHUNK ? BigInt(base) ** BigInt(CHUNK) : power(base, exponent / 2, powers) ** 2n;
    powers.set(exponent, known);
  }
  return known;
}
