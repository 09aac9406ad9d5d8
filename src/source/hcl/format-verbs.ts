/**
 * go-cty's format(): Go's fmt verbs applied to cty values. Numbers go through Go's big.Float and big.Int
 * formatting (so 1/3 prints all its digits), strings are measured and cut in grapheme clusters, %v prints strings
 * and numbers as they are and anything else as JSON, `%[n]` picks an argument.
 */
import type { BigFloat } from './big-float.js';
import { jsonEncode } from './encodings.js';
import { ArgumentError } from './evaluate.js';
import { isNumber, parseNumber, toBigFloat, toWhole } from './numbers.js';
import { describeValue, formatScalar, type Value } from './types.js';
import { graphemes } from './graphemes.js';
import { appended } from './value-limit.js';

/** The widest field and the longest precision a format verb may ask for: a million characters. */
const MAX_FORMAT_WIDTH = 1_000_000;

interface Verb {
  readonly raw: string;
  readonly offset: number;
  readonly flags: string;
  readonly width?: number;
  readonly precision?: number;
  readonly mode: string;
}

const VERB = /%(?:\[(\d+)\])?([-+# 0]*)(\d+)?(?:\.(\d*))?(.?)/gsu;

export function format(spec: string, args: readonly Value[]): string {
  let out = '';
  let last = 0;
  let next = 0;
  let highest = 0;
  for (const match of spec.matchAll(VERB)) {
    out = appended(out, spec.slice(last, match.index));
    last = match.index + match[0].length;
    const [raw, argIndex, flags = '', width, precision, mode = ''] = match;
    if (raw === '%%') {
      out += '%';
      continue;
    }
    if (mode === '') throw new Error(`unterminated format verb at offset ${match.index}`);
    if (argIndex !== undefined) next = Number(argIndex) - 1;
    for (const [what, value] of [
      ['width', width],
      ['precision', precision],
    ] as const)
      if (value !== undefined && Number(value) > MAX_FORMAT_WIDTH)
        throw new Error(
          `format verb ${JSON.stringify(raw)} asks for a ${what} of ${Number(value).toLocaleString('en-US')} characters; drover builds at most ${MAX_FORMAT_WIDTH.toLocaleString('en-US')} (Nomad would try, using gigabytes, for a value no job can use)`,
        );
    const verb: Verb = {
      raw,
      offset: match.index,
      flags,
      mode,
      ...(width !== undefined && { width: Number(width) }),
      ...(precision !== undefined && { precision: Number(precision || '0') }),
    };
    if (next >= args.length)
      throw new Error(
        `format verb ${JSON.stringify(raw)} on offset ${match.index} is requesting argument ${next + 1}, but only ${args.length} argument${args.length === 1 ? ' was' : 's were'} given`,
      );
    out = appended(out, formatOne(verb, args[next++]!));
    highest = Math.max(highest, next);
  }
  // Arguments no verb uses are refused, as cty does, to catch mistakes: the first of them is the one at fault.
  if (highest < args.length)
    throw new ArgumentError(
      highest + 1,
      'args',
      highest === 0
        ? 'too many arguments; no verbs in format string'
        : `too many arguments; only ${highest} used by format string`,
    );
  return appended(out, spec.slice(last));
}

function formatOne(verb: Verb, value: Value): string {
  const problem = (why: string) =>
    new Error(`unsupported value for ${JSON.stringify(verb.raw)} at ${verb.offset}: ${why}`);
  if (verb.mode !== 'v' && value === null) throw problem('null value cannot be formatted');
  switch (verb.mode) {
    case 'v':
      if (!verb.flags.includes('#') && value !== null) {
        if (typeof value === 'string') return pad(verb, value);
        if (isNumber(value)) return pad(verb, toBigFloat(value).text('g'));
      }
      return pad(verb, jsonEncode(value));
    case 't':
      if (value === true || value === 'true') return 'true';
      if (value === false || value === 'false') return 'false';
      throw problem(`a bool is required, not ${describeValue(value)}`);
    case 's':
    case 'q': {
      if (typeof value !== 'string' && !isNumber(value) && typeof value !== 'boolean')
        throw problem(`a string is required, not ${describeValue(value)}`);
      let text = typeof value === 'string' ? value : formatScalar(value);
      if (verb.precision !== undefined && verb.precision > 0)
        text = graphemes(text).slice(0, verb.precision).join('');
      return pad(verb, verb.mode === 'q' ? jsonEncode(text) : text);
    }
    case 'b':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      const n = isNumber(value) ? value : typeof value === 'string' ? parseNumber(value) : undefined;
      if (n === undefined) throw problem(`a number is required, not ${describeValue(value)}`);
      const x = toBigFloat(n);
      if ('bdoxX'.includes(verb.mode)) {
        if (!x.isInteger) throw problem('an integer is required');
        checkDigits(verb, x.top() / Math.log2(BASES[verb.mode as 'b']));
        return formatInteger(verb, toWhole(n)!);
      }
      if ('fF'.includes(verb.mode)) checkDigits(verb, x.decimalExponentAtMost() + (verb.precision ?? 6));
      return formatFloat(verb, x);
    }
    default:
      throw new Error(
        `unsupported format verb ${JSON.stringify(verb.mode)} in ${JSON.stringify(verb.raw)} at offset ${verb.offset}`,
      );
  }
}

/** Go's big.Float Format: sign flags, width, '0' padding after the sign, '-' to the left. */
function formatFloat(verb: Verb, x: BigFloat): string {
  const mode = verb.mode === 'F' ? 'f' : verb.mode;
  const lower = mode.toLowerCase() as 'e' | 'f' | 'g';
  const precision = verb.precision ?? (lower === 'g' ? -1 : 6);
  let body = x.text(lower, precision);
  if (mode === 'E' || mode === 'G') body = body.toUpperCase().replace('INF', 'Inf');
  let sign = '';
  if (body.startsWith('-')) [sign, body] = ['-', body.slice(1)];
  else if (body.startsWith('+')) [sign, body] = [verb.flags.includes(' ') ? ' ' : '+', body.slice(1)];
  else if (verb.flags.includes('+')) sign = '+';
  else if (verb.flags.includes(' ')) sign = ' ';
  return justify(verb, sign, body, !x.infinite);
}

/**
 * Refuses a number whose digits in full (a whole number's, or %f's) pass MAX_FORMAT_WIDTH before computing them:
 * converting 1e60000000 to decimal would take a minute.
 */
function checkDigits(verb: Verb, digits: number): void {
  if (digits > MAX_FORMAT_WIDTH)
    throw new Error(
      `format verb ${JSON.stringify(verb.raw)} would print ${Math.ceil(digits).toLocaleString('en-US')} digits; drover builds at most ${MAX_FORMAT_WIDTH.toLocaleString('en-US')} characters for one verb (Nomad would try, for a value no job can use)`,
    );
}

const BASES = { b: 2, d: 10, o: 8, x: 16, X: 16 };

/** Go's big.Int Format: precision is a minimum of digits, '#' adds the base prefix. */
function formatInteger(verb: Verb, n: bigint): string {
  const base = BASES[verb.mode as 'b'];
  let digits = (n < 0n ? -n : n).toString(base);
  if (verb.mode === 'X') digits = digits.toUpperCase();
  if (verb.precision !== undefined)
    digits = verb.precision === 0 && n === 0n ? '' : digits.padStart(verb.precision, '0');
  let prefix = '';
  if (verb.flags.includes('#')) prefix = { b: '0b', d: '', o: '0', x: '0x', X: '0X' }[verb.mode as 'b']!;
  const sign = n < 0n ? '-' : verb.flags.includes('+') ? '+' : verb.flags.includes(' ') ? ' ' : '';
  return justify(verb, sign + prefix, digits, verb.precision === undefined);
}

function justify(verb: Verb, sign: string, body: string, zeroPadding: boolean): string {
  const padding = Math.max(0, (verb.width ?? 0) - sign.length - body.length);
  if (verb.flags.includes('-')) return sign + body + ' '.repeat(padding);
  if (verb.flags.includes('0') && zeroPadding) return sign + '0'.repeat(padding) + body;
  return ' '.repeat(padding) + sign + body;
}

/** cty pads strings and %v to a width counted in grapheme clusters, with '0' when asked. */
function pad(verb: Verb, text: string): string {
  if (verb.width === undefined) return text;
  const missing = verb.width - graphemes(text).length;
  if (missing <= 0) return text;
  const fill = (verb.flags.includes('0') ? '0' : ' ').repeat(missing);
  return verb.flags.includes('-') ? text + fill : fill + text;
}
