/**
 * Numbers as go-cty has them: 512-bit binary floating point read from literals, whole numbers from functions at
 * 64 bits, float64 results at 53, each operation at the larger precision of its operands. A JavaScript number in a
 * value stands for a whole number of at most 53 bits read at 512 bits (most numbers in job files), so the common
 * case costs nothing; every other number is a BigFloat.
 */
import { BigFloat, NotANumberError, parseDecimal } from './big-float.js';

export type NumberValue = number | BigFloat;

const LITERAL_PRECISION = 512;

export const isNumber = (v: unknown): v is NumberValue => typeof v === 'number' || v instanceof BigFloat;

/** The compact form when it means the same, else the BigFloat. */
export function numberValue(x: BigFloat): NumberValue {
  if (x.prec !== LITERAL_PRECISION || !x.isInteger || x.infinite) return x;
  if (x.isZero) return x.negative ? x : 0;
  if (!x.isSafeInteger) return x;
  return Number(x.truncate());
}

export function toBigFloat(n: NumberValue): BigFloat {
  if (n instanceof BigFloat) return n;
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return BigFloat.fromBigInt(BigInt(n), LITERAL_PRECISION);
  // A float64 from outside the reader (a JSON value) means the decimal it prints as, read as cty reads it.
  if (!Number.isFinite(n)) return BigFloat.fromFloat64(n).withPrec(LITERAL_PRECISION);
  return parseDecimal(String(n), LITERAL_PRECISION)!;
}

/** A number literal, or a string converted to a number: undefined when it is not one. */
export function parseNumber(text: string): NumberValue | undefined {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const parsed = parseDecimal(text, LITERAL_PRECISION);
  return parsed && numberValue(parsed);
}

/** What NumberIntVal gives: a whole number at 64 bits (more when it needs them). */
export function wholeNumber(n: number | bigint): NumberValue {
  return BigFloat.fromBigInt(BigInt(n));
}

/** What NumberFloatVal gives: a float64 at 53 bits. */
export function floatNumber(x: number): NumberValue {
  return BigFloat.fromFloat64(x);
}

/** As cty prints a number into a string or JSON: the shortest decimal that reads back the same, never exponents. */
export function formatNumber(n: NumberValue): string {
  if (typeof n === 'number' && Number.isSafeInteger(n)) return String(n);
  return toBigFloat(n).text('f');
}

export function negate(n: NumberValue): NumberValue {
  if (typeof n === 'number' && n !== 0) return -n;
  return numberValue(toBigFloat(n).neg());
}

export function add(a: NumberValue, b: NumberValue): NumberValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  return numberValue(toBigFloat(a).add(toBigFloat(b)));
}

export function subtract(a: NumberValue, b: NumberValue): NumberValue {
  return add(a, negate(b));
}

export function multiply(a: NumberValue, b: NumberValue): NumberValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const product = a * b;
    if (Number.isSafeInteger(product) && !Object.is(product, -0)) return product;
  }
  const x = toBigFloat(a);
  const y = toBigFloat(b);
  // cty multiplies at 512 bits, then keeps the operands' precision unless the product needs more.
  const product = x.mul(y, LITERAL_PRECISION);
  return numberValue(product.withPrec(Math.max(x.prec, y.prec, product.minPrec)));
}

/** a / b; undefined for 0/0 and ∞/∞, which cty refuses. */
export function divide(a: NumberValue, b: NumberValue): NumberValue | undefined {
  if (typeof a === 'number' && typeof b === 'number' && b !== 0 && a % b === 0 && !(a === 0 && b < 0))
    return a / b;
  try {
    return numberValue(toBigFloat(a).quo(toBigFloat(b)));
  } catch (error) {
    if (error instanceof NotANumberError) return undefined;
    throw error;
  }
}

/** cty's remainder: a − b × trunc(a / b), at a's precision; a % 0 is a; undefined where cty fails. */
export function modulo(a: NumberValue, b: NumberValue): NumberValue | undefined {
  if (typeof a === 'number' && typeof b === 'number' && b !== 0) return a % b || 0;
  const x = toBigFloat(a);
  const y = toBigFloat(b);
  if (x.infinite || y.infinite) return undefined;
  if (y.isZero) return a;
  const quotient = x.quo(y);
  const whole = BigFloat.fromBigInt(quotient.truncate(), x.prec);
  return numberValue(x.sub(y.mul(whole, x.prec), x.prec));
}

export function compare(a: NumberValue, b: NumberValue): -1 | 0 | 1 {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return toBigFloat(a).cmp(toBigFloat(b));
}

/** The nearest float64, for the functions cty computes in float64 and for Nomad's float fields. */
export function toFloat64(n: NumberValue): number {
  return typeof n === 'number' ? n : n.toFloat64();
}

/** A whole number exactly, or undefined when n has a fraction or is infinite. */
export function toWhole(n: NumberValue): bigint | undefined {
  if (typeof n === 'number') return Number.isInteger(n) ? BigInt(n) : undefined;
  return n.isInteger ? n.truncate() : undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** As gocty reads an int: a whole number within int64, or undefined. */
export function toInt64(n: NumberValue): bigint | undefined {
  const whole = toWhole(n);
  return whole !== undefined && whole >= INT64_MIN && whole <= INT64_MAX ? whole : undefined;
}

export const INT64_MESSAGE =
  'value must be a whole number, between -9223372036854775808 and 9223372036854775807';
