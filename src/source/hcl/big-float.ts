/**
 * Binary floating point of any precision, rounding to nearest even, with the semantics of Go's math/big.Float that
 * go-cty numbers are made of: each value carries its precision in bits, an operation rounds to the larger precision
 * of its operands, and printing gives the shortest decimal that reads back as the same value at that precision.
 */

import { MAX_VALUE_WEIGHT, ValueTooLargeError } from './value-limit.js';

/** Go's big.Float exponent range; past it a result is infinite (or zero). */
const MAX_EXP = 2 ** 31 - 1;
const MIN_EXP = -(2 ** 31);
const LOG10_2 = Math.log10(2);
/** Bits of the largest whole number we agree to build: one whose digits would still make a value. */
const MAX_WHOLE_BITS = Math.floor(MAX_VALUE_WEIGHT / LOG10_2);
const LOG2_5 = Math.log2(5);

export class NotANumberError extends Error {}

export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

const trailingZeroBits = (n: bigint): number => bitLength(n & -n) - 1;

export class BigFloat {
  /** value = sign × mant × 2^exp, mant odd (or 0n for zero); infinite values ignore mant and exp. */
  private constructor(
    readonly negative: boolean,
    readonly mant: bigint,
    readonly exp: number,
    readonly prec: number,
    readonly infinite: boolean,
  ) {}

  static zero(prec: number, negative = false): BigFloat {
    return new BigFloat(negative, 0n, 0, prec, false);
  }

  static infinity(negative: boolean, prec: number): BigFloat {
    return new BigFloat(negative, 0n, 0, prec, true);
  }

  /** sign × m × 2^e rounded to prec bits; `sticky` says the exact value is a little further from zero than m. */
  static round(negative: boolean, m: bigint, e: number, prec: number, sticky = false): BigFloat {
    if (m === 0n) return BigFloat.zero(prec, negative);
    const length = bitLength(m);
    if (length > prec) {
      const shift = length - prec;
      m = roundedShift(m, shift, sticky);
      e += shift;
    }
    const zeros = trailingZeroBits(m);
    m >>= BigInt(zeros);
    e += zeros;
    const normalized = e + bitLength(m);
    if (normalized > MAX_EXP) return BigFloat.infinity(negative, prec);
    if (normalized < MIN_EXP) return BigFloat.zero(prec, negative);
    return new BigFloat(negative, m, e, prec, false);
  }

  static fromBigInt(n: bigint, prec = Math.max(64, bitLength(n < 0n ? -n : n))): BigFloat {
    return BigFloat.round(n < 0n, n < 0n ? -n : n, 0, prec);
  }

  /** A float64 exactly, at precision 53 (Go's SetFloat64). */
  static fromFloat64(x: number): BigFloat {
    if (!Number.isFinite(x)) {
      if (Number.isNaN(x)) throw new NotANumberError('not a number');
      return BigFloat.infinity(x < 0, 53);
    }
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0);
    const negative = bits >> 63n === 1n;
    const biased = Number((bits >> 52n) & 0x7ffn);
    const fraction = bits & ((1n << 52n) - 1n);
    if (biased === 0) return BigFloat.round(negative, fraction, -1074, 53);
    return BigFloat.round(negative, fraction | (1n << 52n), biased - 1075, 53);
  }

  get isZero(): boolean {
    return !this.infinite && this.mant === 0n;
  }

  withPrec(prec: number): BigFloat {
    if (this.infinite) return BigFloat.infinity(this.negative, prec);
    return BigFloat.round(this.negative, this.mant, this.exp, prec);
  }

  neg(): BigFloat {
    return new BigFloat(!this.negative, this.mant, this.exp, this.prec, this.infinite);
  }

  abs(): BigFloat {
    return this.negative ? this.neg() : this;
  }

  add(other: BigFloat, prec = Math.max(this.prec, other.prec)): BigFloat {
    if (this.infinite || other.infinite) {
      if (this.infinite && other.infinite && this.negative !== other.negative)
        throw new NotANumberError('addition of infinities with opposite signs');
      return BigFloat.infinity(this.infinite ? this.negative : other.negative, prec);
    }
    if (this.isZero && other.isZero) return BigFloat.zero(prec, this.negative && other.negative);
    if (this.isZero) return other.withPrec(prec);
    if (other.isZero) return this.withPrec(prec);
    const [big, small] = this.top() >= other.top() ? [this, other] : [other, this];
    if (small.top() < big.exp - prec - 3) {
      // The smaller operand lies below every rounding boundary: it only says on which side of `big` we are.
      const widened = big.mant << BigInt(prec + 3);
      const nudged = big.negative === small.negative ? widened + 1n : widened - 1n;
      return BigFloat.round(big.negative, nudged, big.exp - prec - 3, prec);
    }
    const e = Math.min(this.exp, other.exp);
    const a = signed(this) << BigInt(this.exp - e);
    const b = signed(other) << BigInt(other.exp - e);
    const sum = a + b;
    // x + (-x) is +0 when rounding to nearest even.
    if (sum === 0n) return BigFloat.zero(prec, false);
    return BigFloat.round(sum < 0n, sum < 0n ? -sum : sum, e, prec);
  }

  sub(other: BigFloat, prec?: number): BigFloat {
    return this.add(other.neg(), prec);
  }

  mul(other: BigFloat, prec = Math.max(this.prec, other.prec)): BigFloat {
    const negative = this.negative !== other.negative;
    if (this.infinite || other.infinite) {
      if (this.isZero || other.isZero) throw new NotANumberError('multiplication of zero with infinity');
      return BigFloat.infinity(negative, prec);
    }
    return BigFloat.round(negative, this.mant * other.mant, this.exp + other.exp, prec);
  }

  quo(other: BigFloat, prec = Math.max(this.prec, other.prec)): BigFloat {
    const negative = this.negative !== other.negative;
    if (this.infinite && other.infinite) throw new NotANumberError('division of infinity by infinity');
    if (this.isZero && other.isZero) throw new NotANumberError('division of zero by zero');
    if (this.infinite || other.isZero) return BigFloat.infinity(negative, prec);
    if (other.infinite || this.isZero) return BigFloat.zero(prec, negative);
    const shift = Math.max(0, prec + 2 + bitLength(other.mant) - bitLength(this.mant));
    const dividend = this.mant << BigInt(shift);
    const q = dividend / other.mant;
    const sticky = q * other.mant !== dividend;
    return BigFloat.round(negative, q, this.exp - other.exp - shift, prec, sticky);
  }

  cmp(other: BigFloat): -1 | 0 | 1 {
    const sign = (x: BigFloat) => (x.isZero ? 0 : x.negative ? -1 : 1);
    const a = sign(this);
    const b = sign(other);
    if (a !== b) return a < b ? -1 : 1;
    if (a === 0) return 0;
    const magnitude = compareMagnitude(this, other);
    return (a < 0 ? -magnitude : magnitude) as -1 | 0 | 1;
  }

  /** Truncated toward zero, as Go's Float.Int. */
  truncate(): bigint {
    if (this.infinite) throw new RangeError('infinity has no integer value');
    if (this.top() > MAX_WHOLE_BITS)
      throw new ValueTooLargeError(Math.ceil(this.top() * LOG10_2), 'This whole number');
    const magnitude = this.exp >= 0 ? this.mant << BigInt(this.exp) : this.mant >> BigInt(-this.exp);
    return this.negative ? -magnitude : magnitude;
  }

  get isInteger(): boolean {
    return !this.infinite && (this.isZero || this.exp >= 0);
  }

  /** A whole number a float64 holds exactly: |value| < 2^53. */
  get isSafeInteger(): boolean {
    return this.isInteger && this.top() <= 53;
  }

  /** Go's Float.MinPrec: the bits the mantissa needs. */
  get minPrec(): number {
    return this.infinite ? 0 : bitLength(this.mant);
  }

  /** The nearest float64, as Go's Float.Float64. */
  toFloat64(): number {
    if (this.infinite) return this.negative ? -Infinity : Infinity;
    if (this.isZero) return this.negative ? -0 : 0;
    const sign = this.negative ? -1 : 1;
    if (this.top() - 1 < -1022) {
      // Subnormal: float64 keeps multiples of 2^-1074 only.
      if (this.top() < -1074) return sign * 0;
      const shift = -1074 - this.exp;
      return (
        sign * Number(shift <= 0 ? this.mant << BigInt(-shift) : roundedShift(this.mant, shift)) * 2 ** -1074
      );
    }
    const r = BigFloat.round(this.negative, this.mant, this.exp, 53);
    if (r.infinite) return sign * Infinity;
    return sign * Number(r.mant) * 2 ** r.exp;
  }

  /** Go's Float.Text(format, precision): 'f', 'e' or 'g'; precision -1 is the shortest exact reading. */
  text(format: 'e' | 'f' | 'g', precision = -1): string {
    const sign = this.negative ? '-' : '';
    if (this.infinite) return this.negative ? '-Inf' : '+Inf';
    let shortest = false;
    let d: Decimal;
    if (precision < 0) {
      shortest = true;
      d = this.decimal(shortestDigits(this.prec));
      roundShortest(d, this);
      precision =
        format === 'e'
          ? d.digits.length - 1
          : format === 'f'
            ? Math.max(d.digits.length - d.exp, 0)
            : d.digits.length;
    } else if (format === 'e') {
      d = this.decimal(precision + 2);
      d.round(1 + precision);
    } else if (format === 'f') {
      d = this.decimal(this.decimalExponentAtMost() + precision + 1);
      d.round(d.exp + precision);
    } else {
      if (precision === 0) precision = 1;
      d = this.decimal(precision + 1);
      d.round(precision);
    }
    if (format === 'e') return sign + formatE(precision, d);
    if (format === 'f') return sign + formatF(precision, d);
    let eprec = precision;
    if (eprec > d.digits.length && d.digits.length >= d.exp) eprec = d.digits.length;
    if (shortest) eprec = 6;
    const exp = d.exp - 1;
    if (exp < -4 || exp >= eprec) return sign + formatE(Math.min(precision, d.digits.length) - 1, d);
    if (precision > d.exp) precision = d.digits.length;
    return sign + formatF(Math.max(precision - d.exp, 0), d);
  }

  toString(): string {
    return this.text('f');
  }

  /** What JSON.stringify sees (a plan, a saved plan file): the nearest float64. */
  toJSON(): number {
    return this.toFloat64();
  }

  /** The normalized exponent: 2^(top-1) ≤ |value| < 2^top. */
  top(): number {
    return this.exp + bitLength(this.mant);
  }

  /** The decimal exponent, or one more: |value| < 10^result. */
  decimalExponentAtMost(): number {
    return Math.floor(this.top() * LOG10_2) + 1;
  }

  /** The leading decimal digits, at least `count` of them (all when fewer make the exact value). */
  private decimal(count: number): Decimal {
    if (this.isZero) return new Decimal('', 0);
    return Decimal.of(this.mant, this.exp, Math.max(count, 1));
  }
}

/** m / 2^shift rounded to nearest even; `sticky` says m was a little more than it shows. */
function roundedShift(m: bigint, shift: number, sticky = false): bigint {
  const q = m >> BigInt(shift);
  const rest = m & ((1n << BigInt(shift)) - 1n);
  const half = 1n << BigInt(shift - 1);
  return rest > half || (rest === half && (sticky || (q & 1n) === 1n)) ? q + 1n : q;
}

const signed = (x: BigFloat) => (x.negative ? -x.mant : x.mant);

function compareMagnitude(x: BigFloat, y: BigFloat): -1 | 0 | 1 {
  if (x.infinite || y.infinite) return x.infinite === y.infinite ? 0 : x.infinite ? 1 : -1;
  const xTop = x.exp + bitLength(x.mant);
  const yTop = y.exp + bitLength(y.mant);
  if (xTop !== yTop) return xTop < yTop ? -1 : 1;
  const e = Math.min(x.exp, y.exp);
  const a = x.mant << BigInt(x.exp - e);
  const b = y.mant << BigInt(y.exp - e);
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * A decimal 0.digits × 10^exp, as Go's big package rounds and prints it. Go converts the whole exact value; only
 * its leading digits are computed here, with `inexact` saying non-zero digits were left off after them, so a
 * number of a million digits costs what its first few hundred do.
 */
class Decimal {
  constructor(
    public digits: string,
    public exp: number,
    public inexact = false,
  ) {}

  /** The leading digits of m × 2^e (m > 0): at least `count` + 1 of them, or all there are. */
  static of(m: bigint, e: number, count: number): Decimal {
    const top = e + bitLength(m);
    // 2^(top-1) ≤ m × 2^e < 2^top: dividing by 10^j leaves count + 2 digits, or one or two more.
    const j = Math.floor((top - 1) * LOG10_2) - count - 1;
    const { quotient, exact } = scaledFloor(m, e, j, Math.ceil((count + 4) / LOG10_2) + GUARD_BITS);
    const text = quotient.toString();
    const d = new Decimal(text, text.length + j, !exact);
    if (exact) d.trim();
    return d;
  }

  at(i: number): string {
    return i >= 0 && i < this.digits.length ? this.digits[i]! : '0';
  }

  /** The exact value ends at digit n (never true of a value cut short). */
  endsAt(n: number): boolean {
    return !this.inexact && n === this.digits.length;
  }

  /** The exact value has non-zero digits after the first n. */
  goesOnAfter(n: number): boolean {
    return this.inexact || n < this.digits.length;
  }

  round(n: number): void {
    if (n < 0 || n >= this.digits.length) return;
    const tie = this.digits[n] === '5' && this.endsAt(n + 1);
    const up = tie ? n > 0 && Number(this.digits[n - 1]) % 2 === 1 : this.digits[n]! >= '5';
    if (up) this.roundUp(n);
    else this.roundDown(n);
  }

  roundUp(n: number): void {
    if (n < 0 || n >= this.digits.length) return;
    while (n > 0 && this.digits[n - 1] === '9') n--;
    this.inexact = false;
    if (n === 0) {
      this.digits = '1';
      this.exp++;
      return;
    }
    this.digits = this.digits.slice(0, n - 1) + String(Number(this.digits[n - 1]) + 1);
  }

  roundDown(n: number): void {
    if (n < 0 || n >= this.digits.length) return;
    this.digits = this.digits.slice(0, n);
    this.inexact = false;
    this.trim();
  }

  private trim(): void {
    let n = this.digits.length;
    while (n > 0 && this.digits.charCodeAt(n - 1) === 48) n--;
    this.digits = this.digits.slice(0, n);
    if (n === 0) this.exp = 0;
  }
}

/** Bits past those the digits need, so that bounds on a power of ten rarely leave a digit undecided. */
const GUARD_BITS = 96;

/** Digits enough to tell x from both neighbours half a unit in the last place away, and to round after them. */
const shortestDigits = (prec: number) => Math.ceil((prec + 1) * LOG10_2) + 5;

interface Scaled {
  readonly quotient: bigint;
  readonly exact: boolean;
}

/**
 * floor(m × 2^e / 10^j) for any integer j, and whether nothing was left over. 10^j is bounded within `width`
 * bits rather than computed whole (5^3,400,000 has 7.9 million bits): when both bounds give the same quotient
 * with a remainder, that is the quotient; else the exact power decides.
 */
function scaledFloor(m: bigint, e: number, j: number, width: number): Scaled {
  const five = powerOfFiveWithin(Math.abs(j), width);
  // m × 2^e / (5^j × 2^j), with 5^|j| = five × 2^shift.
  const divide = (f: bigint) => floorOf(m, e - j - five.shift, f);
  const multiply = (f: bigint) => floorOf(m * f, e - j + five.shift, 1n);
  const [smallest, largest] =
    j >= 0 ? [divide(five.high), divide(five.low)] : [multiply(five.low), multiply(five.high)];
  if (five.low === five.high) return smallest;
  if (smallest.quotient === largest.quotient && !smallest.exact) return smallest;
  return scaledFloor(m, e, j, Infinity);
}

/** floor(n × 2^shift / d) and whether it divides exactly. */
function floorOf(n: bigint, shift: number, d: bigint): Scaled {
  const [dividend, divisor] = shift >= 0 ? [n << BigInt(shift), d] : [n, d << BigInt(-shift)];
  const quotient = dividend / divisor;
  return { quotient, exact: quotient * divisor === dividend };
}

/** low × 2^shift ≤ 5^n ≤ high × 2^shift. */
interface Bounds {
  readonly low: bigint;
  readonly high: bigint;
  readonly shift: number;
}

/** 5^n exactly while it has at most `width` bits, else bounds of that many bits, by squaring. */
function powerOfFiveWithin(n: number, width: number): Bounds {
  if (n * LOG2_5 <= width) {
    const exact = 5n ** BigInt(n);
    return { low: exact, high: exact, shift: 0 };
  }
  let result: Bounds = { low: 1n, high: 1n, shift: 0 };
  let factor: Bounds = { low: 5n, high: 5n, shift: 0 };
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) result = narrowed(product(result, factor), width);
    if (rest > 1) factor = narrowed(product(factor, factor), width);
  }
  return result;
}

const product = (a: Bounds, b: Bounds): Bounds => ({
  low: a.low * b.low,
  high: a.high * b.high,
  shift: a.shift + b.shift,
});

/** The bounds cut to `width` bits, the low one rounded down and the high one up. */
function narrowed(x: Bounds, width: number): Bounds {
  const cut = bitLength(x.high) - width;
  if (cut <= 0) return x;
  const bits = BigInt(cut);
  return { low: x.low >> bits, high: ((x.high - 1n) >> bits) + 1n, shift: x.shift + cut };
}

/**
 * Shortens `d`, the decimal of x, to the fewest digits that still read back as x at x's precision: the
 * neighbours half a unit in the last place away bound the choice (inclusive when x's mantissa is even).
 */
function roundShortest(d: Decimal, x: BigFloat): void {
  // A whole number whose last place is worth 1 or less reads back only as itself (parseint's results).
  if (d.digits === '' || (x.isInteger && x.top() <= x.prec)) return;
  const widen = x.prec + 1 - bitLength(x.mant);
  const mant = x.mant << BigInt(widen);
  const exp = x.exp - widen;
  const count = shortestDigits(x.prec);
  const lower = Decimal.of(mant - 1n, exp, count);
  const upper = Decimal.of(mant + 1n, exp, count);
  const inclusive = (mant & 2n) === 0n;
  for (let i = 0; i < d.digits.length; i++) {
    const digit = d.digits[i]!;
    const below = lower.at(i);
    const above = upper.at(i);
    const canDown = below !== digit || (inclusive && lower.endsAt(i + 1));
    const canUp =
      digit !== above && (inclusive || Number(digit) + 1 < Number(above) || upper.goesOnAfter(i + 1));
    if (canDown && canUp) return d.round(i + 1);
    if (canDown) return d.roundDown(i + 1);
    if (canUp) return d.roundUp(i + 1);
  }
}

function formatE(precision: number, d: Decimal): string {
  let out = d.digits === '' ? '0' : d.digits[0]!;
  if (precision > 0) out += `.${d.digits.slice(1, precision + 1).padEnd(precision, '0')}`;
  const exp = d.digits === '' ? 0 : d.exp - 1;
  return `${out}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Whole digits, then `precision` after the point; refused when longer than any value may be. */
function formatF(precision: number, d: Decimal): string {
  const length = Math.max(d.exp, 1) + (precision > 0 ? precision + 1 : 0);
  if (length > MAX_VALUE_WEIGHT) throw new ValueTooLargeError(length, 'Printing this number');
  const whole = d.exp > 0 ? digitsFrom(d, 0, d.exp) : '0';
  return precision > 0 ? `${whole}.${digitsFrom(d, d.exp, precision)}` : whole;
}

/** `count` digits of d from position `start`: zeros before its first digit (start < 0) and after its last. */
function digitsFrom(d: Decimal, start: number, count: number): string {
  const leadingZeros = Math.min(Math.max(-start, 0), count);
  const shown = d.digits.slice(Math.max(start, 0), Math.max(start + count, 0));
  return '0'.repeat(leadingZeros) + shown.padEnd(count - leadingZeros, '0');
}

/**
 * A decimal literal read as Go's big.ParseFloat reads it (base 10): the digits exactly, then scaled by a power of
 * five computed 64 bits beyond the target precision. Returns undefined for text that is not a number.
 */
export function parseDecimal(text: string, prec = 512): BigFloat | undefined {
  const match = /^([+-]?)(?:(inf|Inf)|(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?)$/.exec(text);
  if (!match) return undefined;
  const negative = match[1] === '-';
  if (match[2]) return BigFloat.infinity(negative, prec);
  const whole = match[3] ?? '';
  const fraction = match[4] ?? '';
  if (whole === '' && fraction === '') return undefined;
  const exponent = BigInt(match[5] ?? '0') - BigInt(fraction.length);
  if (exponent > BigInt(MAX_EXP) || exponent < BigInt(MIN_EXP)) return undefined;
  const digits = BigInt(whole + fraction || '0');
  if (digits === 0n) return BigFloat.zero(prec, negative);
  const exp10 = Number(exponent);
  if (exp10 === 0) return BigFloat.round(negative, digits, 0, prec);
  const power = powerOfFive(Math.abs(exp10), prec + 64);
  const scaled = BigFloat.round(negative, digits, exp10, Number.MAX_SAFE_INTEGER);
  return exp10 < 0 ? scaled.quo(power, prec) : scaled.mul(power, prec);
}

/** 5^n as Go's parser computes it: exact up to 5^27, then by squaring with each product rounded to prec bits. */
function powerOfFive(n: number, prec: number): BigFloat {
  const EXACT = 27;
  if (n <= EXACT) return BigFloat.round(false, 5n ** BigInt(n), 0, prec);
  let result = BigFloat.round(false, 5n ** BigInt(EXACT), 0, prec);
  let factor = BigFloat.round(false, 5n, 0, prec);
  for (let rest = n - EXACT; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) result = result.mul(factor, prec);
    factor = factor.mul(factor, prec);
  }
  return result;
}
