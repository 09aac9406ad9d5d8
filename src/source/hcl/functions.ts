/**
 * The functions Nomad's jobspec2 offers (../shared/reference/nomad-api.md §11.7), with cty/Terraform semantics.
 * Filesystem functions resolve paths against the job file's directory and exist only when the caller allows
 * them. Not available: bcrypt (no implementation here yet; it says so when called).
 */
import { closeSync, constants as fsConstants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import {
  ArgumentError,
  evaluate,
  evaluateOrUndefined,
  fail,
  spend,
  type EvalContext,
  type HclFunction,
} from './evaluate.js';
import { crypto } from '../../util/crypto.js';
import { parseGoDuration } from '../../util/duration.js';
import { goRegexp, replaceAllString, replaceAllSubstrings } from './go-regexp.js';
import { BigFloat } from './big-float.js';
import { jsonDecode, jsonEncode, yamlDecode } from './encodings.js';
import { yamlEncode } from './yaml-encode.js';
import { filesetPaths } from './fileset.js';
import { format } from './format-verbs.js';
import { graphemes } from './graphemes.js';
import { DIGITS, integerOf } from './parse-integer.js';
import { checkStringLength } from './value-limit.js';
import {
  add,
  compare,
  floatNumber,
  INT64_MESSAGE,
  isNumber,
  numberValue,
  parseNumber,
  toBigFloat,
  toFloat64,
  toInt64,
  toWhole,
  wholeNumber,
  type NumberValue,
} from './numbers.js';
import {
  asMap,
  convert,
  describeValue,
  formatScalar,
  isMap,
  isObject,
  parseType,
  setKey,
  valueKey,
  type Value,
} from './types.js';
import { asSet, isSet, setOrder, toType, typeOf, unify, unifyTypes, type CtyType } from './unify.js';

/** The longest text parseint reads: its digits cost seconds past a million, for a value no job can use. */
export const MAX_PARSEINT_DIGITS = 100_000;

/** regex_replace's bound on pattern length × text length: a 1,000-character pattern over 1 MB of text. */
export const MAX_REGEX_STEPS = 1_000_000_000;

const fn = (
  params: number,
  callImpl: NonNullable<HclFunction['call']>,
  extra: Partial<HclFunction> = {},
): HclFunction => ({
  params,
  call: callImpl,
  ...extra,
});
const str = (v: Value) => {
  if (typeof v === 'string') return v;
  if (isNumber(v) || typeof v === 'boolean') return formatScalar(v);
  throw new Error(`a string is required, not ${describeValue(v)}`);
};
/** A number exactly, as cty holds it. */
const exact = (v: Value): NumberValue => {
  if (isNumber(v)) return v;
  const parsed = typeof v === 'string' ? parseNumber(v) : undefined;
  if (parsed === undefined) throw new Error(`a number is required, not ${describeValue(v)}`);
  return parsed;
};
/** A number as a float64: for counts, offsets and the functions cty computes in float64. */
const num = (v: Value) => toFloat64(exact(v));
/** A Go function's int argument, as gocty reads it: a whole number within int64, else Nomad's own refusal. */
const goInt64 = (v: Value): bigint => {
  const whole = toInt64(exact(v));
  if (whole === undefined) throw new Error(INT64_MESSAGE);
  return whole;
};
const goInt = (v: Value): number => Number(goInt64(v));
/** The most spaces indent() adds per line: a million, as format() widths (Nomad would build gigabytes). */
const MAX_INDENT = 1_000_000;
const key = valueKey;
const list = (v: Value): Value[] => {
  if (Array.isArray(v)) return v;
  throw new Error(`a list is required, not ${describeValue(v)}`);
};
const obj = (v: Value): { [k: string]: Value } => {
  if (isObject(v)) return v;
  throw new Error(`a map or object is required, not ${describeValue(v)}`);
};
// cty's ReverseFunc, which Nomad registers as both reverse and strrev, reverses a string.
const reverseText = fn(1, ([s]) => graphemes(str(s!)).reverse().join(''));
const distinct = (items: Value[]) => [...new Map(items.map((v) => [key(v), v])).values()];
/** A list(any) argument: a tuple's elements unified to one type (`[1, "a"]` is a list of strings), as cty converts it. */
const uniformList = (v: Value, index: number): Value[] => {
  const unified = unify(list(v));
  if (!unified) throw new ArgumentError(index, 'list', 'all list elements must have the same type');
  return unified.values;
};
/**
 * The set(any) arguments of setunion and setintersection, each converted to a set, then all to one element
 * type.
 */
const uniformSets = (args: readonly Value[]): { sets: Value[][]; element: CtyType } => {
  const unified = args.map((arg, i) => {
    const set = unify(list(arg));
    if (!set)
      throw new ArgumentError(
        i,
        i === 0 ? 'first_set' : 'other_sets',
        'all set elements must have the same type',
      );
    return set;
  });
  const element = unifyTypes(unified.map((set) => set.element));
  if (!element) throw new Error('given sets must all have compatible element types');
  return { sets: unified.map((set) => set.values.map((v) => toType(v, element))), element };
};
/** A set of `element`, deduplicated and in cty's order. */
const toSet = (values: Value[], element: CtyType): Value[] =>
  asSet(setOrder(distinct(values), element), element);

function sha(algorithm: string) {
  return fn(1, ([s]) => crypto().createHash(algorithm).update(str(s!)).digest('hex'));
}

// ---- strings -------------------------------------------------------------------------------------------

/** Go's strings.Title (cty's title): a rune after a separator becomes title case. */
function titleCase(s: string): string {
  let previous = ' ';
  let out = '';
  for (const char of s) {
    out += isSeparator(previous) ? toTitle(char) : char;
    previous = char;
  }
  return out;
}

/** Go's strings.isSeparator: ASCII other than letters, digits and _; beyond ASCII, only spaces. */
function isSeparator(char: string): boolean {
  if (char.codePointAt(0)! <= 0x7f) return !/[0-9A-Za-z_]/.test(char);
  if (/[\p{L}\p{Nd}]/u.test(char)) return false;
  return /\s/u.test(char);
}

/** unicode.ToTitle: upper case, except the digraphs that have a title case of their own. */
const TITLE_CASE: Readonly<Record<string, string>> = {
  Ǆ: 'ǅ',
  ǅ: 'ǅ',
  ǆ: 'ǅ',
  Ǉ: 'ǈ',
  ǈ: 'ǈ',
  ǉ: 'ǈ',
  Ǌ: 'ǋ',
  ǋ: 'ǋ',
  ǌ: 'ǋ',
  Ǳ: 'ǲ',
  ǲ: 'ǲ',
  ǳ: 'ǲ',
};
function toTitle(char: string): string {
  const upper = TITLE_CASE[char] ?? char.toUpperCase();
  // A letter whose upper case is several letters (ß → SS) keeps itself under Go's rune-for-rune mapping.
  return [...upper].length === 1 ? upper : char;
}

// ---- time ---------------------------------------------------------------------------------------------

function parseRfc3339(text: string): { date: Date; offsetMinutes: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a valid RFC 3339 timestamp`);
  const offsetMinutes =
    match[8] === 'Z'
      ? 0
      : (match[8]!.startsWith('-') ? -1 : 1) *
        (Number(match[8]!.slice(1, 3)) * 60 + Number(match[8]!.slice(4)));
  return { date: new Date(text), offsetMinutes };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Terraform's formatdate tokens (YYYY, MMM, DD, EEE, hh, mm, ss, ZZZZ, 'literal', …). */
export function formatDate(spec: string, timestamp: string): string {
  const { date, offsetMinutes } = parseRfc3339(timestamp);
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const offset = (sep: string) =>
    `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}${sep}${pad(Math.abs(offsetMinutes) % 60)}`;
  const h12 = local.getUTCHours() % 12 === 0 ? 12 : local.getUTCHours() % 12;
  const tokens: Record<string, () => string> = {
    YYYY: () => pad(local.getUTCFullYear(), 4),
    YY: () => pad(local.getUTCFullYear() % 100),
    MMMM: () => MONTHS[local.getUTCMonth()]!,
    MMM: () => MONTHS[local.getUTCMonth()]!.slice(0, 3),
    MM: () => pad(local.getUTCMonth() + 1),
    M: () => String(local.getUTCMonth() + 1),
    DD: () => pad(local.getUTCDate()),
    D: () => String(local.getUTCDate()),
    EEEE: () => DAYS[local.getUTCDay()]!,
    EEE: () => DAYS[local.getUTCDay()]!.slice(0, 3),
    hh: () => pad(local.getUTCHours()),
    h: () => String(local.getUTCHours()),
    HH: () => pad(h12),
    H: () => String(h12),
    AA: () => (local.getUTCHours() < 12 ? 'AM' : 'PM'),
    aa: () => (local.getUTCHours() < 12 ? 'am' : 'pm'),
    mm: () => pad(local.getUTCMinutes()),
    m: () => String(local.getUTCMinutes()),
    ss: () => pad(local.getUTCSeconds()),
    s: () => String(local.getUTCSeconds()),
    ZZZZZ: () => offset(':'),
    ZZZZ: () => offset(''),
    ZZZ: () => (offsetMinutes === 0 ? 'UTC' : offset('')),
    Z: () => (offsetMinutes === 0 ? 'Z' : offset(':')),
  };
  let out = '';
  for (let i = 0; i < spec.length;) {
    if (spec[i] === "'") {
      const end = spec.indexOf("'", i + 1);
      if (end === -1) throw new Error('unterminated literal in the format string');
      out += end === i + 1 ? "'" : spec.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(spec[i]!)) {
      let j = i;
      while (j < spec.length && spec[j] === spec[i]) j++;
      const run = spec.slice(i, j);
      const token = tokens[run];
      if (!token) throw new Error(`invalid date format token "${run}"`);
      out += token();
      i = j;
      continue;
    }
    out += spec[i++];
  }
  return out;
}

// ---- networks -----------------------------------------------------------------------------------------

interface Cidr {
  readonly bits: 32 | 128;
  readonly address: bigint;
  readonly prefix: number;
}

function parseIp(text: string): { bits: 32 | 128; value: bigint } {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) {
    const octets = text.split('.').map(Number);
    if (octets.some((o) => o > 255)) throw new Error(`invalid IP address "${text}"`);
    return { bits: 32, value: octets.reduce((acc, o) => (acc << 8n) + BigInt(o), 0n) };
  }
  if (text.includes(':')) {
    const [head, tail = ''] = text.split('::');
    const groups = (s: string) => (s === '' ? [] : s.split(':'));
    const h = groups(head!);
    const ellipsis = text.includes('::');
    const t = ellipsis ? groups(tail) : [];
    const zeros = ellipsis ? 8 - h.length - t.length : 0;
    // As Go's ParseIP: "::" stands for one group of zeros or more.
    if (ellipsis && zeros < 1) throw new Error(`invalid IP address "${text}"`);
    const all = [...h, ...Array<string>(zeros).fill('0'), ...t];
    if (all.length !== 8 || all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g)))
      throw new Error(`invalid IP address "${text}"`);
    return { bits: 128, value: all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n) };
  }
  throw new Error(`invalid IP address "${text}"`);
}

function parseCidr(text: string): Cidr {
  const [ip, prefixText] = text.split('/');
  if (prefixText === undefined || !/^\d+$/.test(prefixText))
    throw new Error(`invalid CIDR address "${text}"`);
  const { bits, value } = parseIp(ip!);
  const prefix = Number(prefixText);
  if (prefix > bits) throw new Error(`invalid CIDR prefix length in "${text}"`);
  const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { bits, address: value & mask, prefix };
}

function formatIp(bits: 32 | 128, value: bigint): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) =>
    ((value >> BigInt(112 - i * 16)) & 0xffffn).toString(16),
  );
  const text = groups.join(':');
  const runs = [...text.matchAll(/(?:^|:)(0(?::0)+)(?::|$)/g)].sort((a, b) => b[1]!.length - a[1]!.length);
  if (runs.length === 0) return text;
  const run = runs[0]!;
  const start = run.index! + (run[0].startsWith(':') ? 1 : 0);
  return `${text.slice(0, start)}::${text.slice(start + run[1]!.length).replace(/^:/, '')}`
    .replace(/^:(?!:)/, '')
    .replace(/:::/, '::');
}

function cidrSubnet(base: Cidr, newbits: number, netnum: bigint): string {
  const prefix = base.prefix + newbits;
  if (prefix > base.bits)
    throw new Error(`insufficient address space to extend prefix of ${base.prefix} by ${newbits}`);
  if (netnum < 0n || netnum >= 1n << BigInt(newbits))
    throw new Error(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
  const address = base.address | (netnum << BigInt(base.bits - prefix));
  return `${formatIp(base.bits, address)}/${prefix}`;
}

// ---- filesystem ----------------------------------------------------------------------------------------

function within(ctx: EvalContext, path: string): string {
  return isAbsolute(path) ? path : join(ctx.baseDir!, path);
}

/** The most file() and filebase64() read: a job file's own bound (10 MiB). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const tooLarge = (path: string) =>
  `${path} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, the most a job file may read`;

/**
 * A regular file's bytes, at most MAX_FILE_BYTES, read without blocking: a device or a /proc file that says it
 * is regular but has nothing to give (/proc/kmsg) is refused instead of waited on, a larger file before it is read.
 */
function readRegularFile(ctx: EvalContext, path: string): Buffer {
  const full = within(ctx, path);
  const stat = statSync(full, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) throw new Error(`${path} is not a regular file`);
  if (stat && stat.size > MAX_FILE_BYTES) throw new Error(tooLarge(path));
  const fd = openSync(full, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunk.length, null);
      } catch (caught) {
        if ((caught as NodeJS.ErrnoException).code === 'EAGAIN')
          throw new Error(`${path} has nothing to read now (a device or a stream, not a file)`);
        throw caught;
      }
      if (read === 0) return Buffer.concat(chunks, total);
      total += read;
      if (total > MAX_FILE_BYTES) throw new Error(tooLarge(path));
      chunks.push(chunk.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
}

/** What a function whose result follows from more than its arguments is marked with. */
const READS_OUTSIDE = { readsOutside: true } as const;

const filesystemFunctions: Record<string, HclFunction> = {
  abspath: fn(1, ([p], ctx) => resolve(within(ctx, str(p!))), READS_OUTSIDE),
  basename: fn(1, ([p]) => basename(str(p!))),
  dirname: fn(1, ([p]) => dirname(str(p!))),
  pathexpand: fn(1, ([p]) => str(p!).replace(/^~(?=$|\/)/, homedir()), READS_OUTSIDE),
  file: fn(
    1,
    ([p], ctx) => {
      const bytes = readRegularFile(ctx, str(p!));
      const text = bytes.toString('utf8');
      if (Buffer.from(text, 'utf8').compare(bytes) !== 0)
        throw new Error(`${str(p!)} is not valid UTF-8; use filebase64() for binary files`);
      return text;
    },
    READS_OUTSIDE,
  ),
  filebase64: fn(1, ([p], ctx) => readRegularFile(ctx, str(p!)).toString('base64'), READS_OUTSIDE),
  fileexists: fn(
    1,
    ([p], ctx) => {
      const path = within(ctx, str(p!));
      if (!existsSync(path)) return false;
      if (!statSync(path).isFile()) throw new Error(`${str(p!)} is not a regular file`);
      return true;
    },
    READS_OUTSIDE,
  ),
  fileset: fn(
    2,
    ([p, pattern], ctx) => {
      const base = within(ctx, str(p!));
      if (!existsSync(base)) return [];
      const paths = filesetPaths(base, str(pattern!));
      return asSet(setOrder(paths, { kind: 'string' }), { kind: 'string' });
    },
    READS_OUTSIDE,
  ),
};

/** cty's ceil (towards 1) and floor (towards -1): the next whole number, kept at n's precision. */
function wholeTowards(n: NumberValue, towards: 1n | -1n): NumberValue {
  if (typeof n === 'number' || n.infinite) return n;
  let whole = n.truncate();
  const side = BigFloat.fromBigInt(whole).cmp(n);
  if ((towards === 1n && side < 0) || (towards === -1n && side > 0)) whole += towards;
  return numberValue(BigFloat.fromBigInt(whole, n.prec));
}

/**
 * Go's strings.ToUpper/ToLower: each code point on its own, one code point for one (ß stays ß, no final sigma);
 * İ lowers to i, as Go's special case has it.
 */
function simpleCase(text: string, to: 'upper' | 'lower'): string {
  let out = '';
  for (const c of text) {
    if (to === 'lower' && c === '\u0130') {
      out += 'i';
      continue;
    }
    const mapped = to === 'upper' ? c.toUpperCase() : c.toLowerCase();
    out += [...mapped].length === 1 ? mapped : c;
  }
  return out;
}

// ---- the table -----------------------------------------------------------------------------------------

const pureFunctions: Record<string, HclFunction> = {
  abs: fn(1, ([n]) => numberValue(toBigFloat(exact(n!)).abs())),
  ceil: fn(1, ([n]) => wholeTowards(exact(n!), 1n)),
  floor: fn(1, ([n]) => wholeTowards(exact(n!), -1n)),
  log: fn(2, ([n, base]) => floatNumber(Math.log(num(n!)) / Math.log(num(base!)))),
  max: fn(1, (args) => args.map(exact).reduce((a, b) => (compare(b, a) > 0 ? b : a)), { variadic: true }),
  min: fn(1, (args) => args.map(exact).reduce((a, b) => (compare(b, a) < 0 ? b : a)), { variadic: true }),
  parseint: fn(2, ([s, base]) => {
    const b = num(base!);
    if (b < 2 || b > 62) throw new Error('base must be a whole number between 2 and 62 inclusive');
    const text = str(s!);
    if (text.length > MAX_PARSEINT_DIGITS)
      throw new Error(
        `drover reads at most ${MAX_PARSEINT_DIGITS.toLocaleString('en-US')} digits, not ${text.length.toLocaleString('en-US')}: no job field holds a number that long (Go's int64 has 19)`,
      );
    const body = text.replace(/^[+-]/, '');
    const lower = b <= 36 ? body.toLowerCase() : body;
    if (!new RegExp(`^[${DIGITS.slice(0, b)}]+$`).test(lower))
      throw new Error(`cannot parse "${text}" as a base ${b} integer`);
    const value = integerOf(lower, b);
    return wholeNumber(text.startsWith('-') ? -value : value);
  }),
  pow: fn(2, ([a, b]) => floatNumber(Math.pow(num(a!), num(b!)))),
  signum: fn(1, ([n]) => {
    const whole = toInt64(exact(n!));
    if (whole === undefined) throw new Error(INT64_MESSAGE);
    return wholeNumber(whole > 0n ? 1 : whole < 0n ? -1 : 0);
  }),

  chomp: fn(1, ([s]) => str(s!).replace(/(\r\n|\n|\r)+$/, '')),
  format: fn(1, ([spec, ...args]) => format(str(spec!), args), { variadic: true }),
  formatlist: fn(
    1,
    ([spec, ...args]) => {
      const lengths = args.filter(Array.isArray).map((a) => a.length);
      if (new Set(lengths).size > 1) throw new Error('all list arguments must have the same length');
      const count = lengths[0] ?? 1;
      return Array.from({ length: count }, (_, i) =>
        format(
          str(spec!),
          args.map((a) => (Array.isArray(a) ? a[i]! : a)),
        ),
      );
    },
    { variadic: true },
  ),
  indent: fn(2, ([n, s]) => {
    const spaces = goInt(n!);
    if (spaces < 0) throw new Error('strings: negative Repeat count (Nomad refuses it too)');
    if (spaces > MAX_INDENT)
      throw new Error(
        `an indent of ${spaces} spaces; drover adds at most ${MAX_INDENT.toLocaleString('en-US')} per line`,
      );
    const text = str(s!);
    checkStringLength(text.length + (text.split('\n').length - 1) * spaces);
    return text.replace(/\n/g, `\n${' '.repeat(spaces)}`);
  }),
  join: fn(
    2,
    ([sep, ...lists]) => {
      const items = lists.flatMap((l) => list(l)).map((v) => str(v));
      const separator = str(sep!);
      const separators = Math.max(items.length - 1, 0) * separator.length;
      checkStringLength(items.reduce((total, item) => total + item.length, separators));
      return items.join(separator);
    },
    { params: 2, variadic: true },
  ),
  lower: fn(1, ([s]) => simpleCase(str(s!), 'lower')),
  upper: fn(1, ([s]) => simpleCase(str(s!), 'upper')),
  // go-cty's replace is Go's strings.Replace: no regular expressions (Terraform's /re/ form is its own).
  replace: fn(3, ([s, search, replacement]) =>
    replaceAllSubstrings(str(s!), str(search!), str(replacement!)),
  ),
  regex_replace: fn(3, ([s, pattern, replacement]) => {
    const [text, re] = [str(s!), str(pattern!)];
    // RE2 matches in time proportional to the pattern times the text, in Go as in drover.
    if (re.length * text.length > MAX_REGEX_STEPS)
      throw new Error(
        `a pattern of ${re.length.toLocaleString('en-US')} characters over ${text.length.toLocaleString('en-US')} characters of text is past drover's bound of ${MAX_REGEX_STEPS.toLocaleString('en-US')} steps (pattern length × text length); Go's regexp would spend minutes on it too`,
      );
    return replaceAllString(goRegexp(re), text, str(replacement!));
  }),
  split: fn(2, ([sep, s]) => str(s!).split(str(sep!))),
  strlen: fn(1, ([s]) => wholeNumber(graphemes(str(s!)).length)),
  strrev: reverseText,
  substr: fn(3, ([s, offsetValue, lengthValue]) => {
    const chars = graphemes(str(s!));
    let offset = goInt(offsetValue!);
    const length = goInt(lengthValue!);
    if (offset < 0) offset = Math.max(0, chars.length + offset);
    if (offset > chars.length) throw new Error('offset is greater than the length of the string');
    return chars.slice(offset, length < 0 ? undefined : offset + length).join('');
  }),
  title: fn(1, ([s]) => titleCase(str(s!))),
  trim: fn(2, ([s, cut]) => {
    const set = new Set([...str(cut!)]);
    const chars = [...str(s!)];
    let a = 0;
    let b = chars.length;
    while (a < b && set.has(chars[a]!)) a++;
    while (b > a && set.has(chars[b - 1]!)) b--;
    return chars.slice(a, b).join('');
  }),
  trimprefix: fn(2, ([s, p]) => (str(s!).startsWith(str(p!)) ? str(s!).slice(str(p!).length) : str(s!))),
  trimsuffix: fn(2, ([s, p]) =>
    str(p!) !== '' && str(s!).endsWith(str(p!)) ? str(s!).slice(0, -str(p!).length) : str(s!),
  ),
  trimspace: fn(1, ([s]) => str(s!).trim()),

  base64encode: fn(1, ([s]) => Buffer.from(str(s!), 'utf8').toString('base64')),
  base64decode: fn(1, ([s]) => {
    const text = str(s!);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
      throw new Error('the string is not valid base64');
    return Buffer.from(text, 'base64').toString('utf8');
  }),
  csvdecode: fn(1, ([s]) => {
    const rows = parseCsv(str(s!));
    const [header, ...records] = rows;
    if (!header) throw new Error('missing header line');
    return records.map((r, i) => {
      if (r.length !== header.length) throw new Error(`line ${i + 2}: wrong number of fields`);
      return Object.fromEntries(header.map((h, j) => [h, r[j]!]));
    });
  }),
  jsondecode: fn(1, ([s]) => jsonDecode(str(s!))),
  jsonencode: fn(1, ([v]) => jsonEncode(v!)),
  urlencode: fn(1, ([s]) =>
    encodeURIComponent(str(s!))
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+'),
  ),
  yamldecode: fn(1, ([s]) => yamlDecode(str(s!))),
  yamlencode: fn(1, ([v]) => yamlEncode(v!)),
  sha256: sha('sha256'),
  sha512: sha('sha512'),
  md5: sha('md5'),
  sha1: sha('sha1'),
  uuidv4: fn(0, () => crypto().randomUUID(), READS_OUTSIDE),
  uuidv5: fn(2, ([namespace, name]) => {
    const known: Record<string, string> = {
      dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
      oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
      x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
    };
    const ns = known[str(namespace!)] ?? str(namespace!);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ns))
      throw new Error(`"${ns}" is not a UUID or a known namespace`);
    const hash = crypto()
      .createHash('sha1')
      .update(Buffer.from(ns.replace(/-/g, ''), 'hex'))
      .update(str(name!))
      .digest();
    hash[6] = (hash[6]! & 0x0f) | 0x50;
    hash[8] = (hash[8]! & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }),
  bcrypt: fn(
    1,
    () => {
      throw new Error(
        'bcrypt is not available in drover yet; hash the value outside the job file and pass it in a variable',
      );
    },
    { optional: 1 },
  ),
  rsadecrypt: fn(2, ([ciphertext, key]) => {
    try {
      const { privateDecrypt, createPrivateKey, constants } = crypto();
      const decrypted = privateDecrypt(
        { key: createPrivateKey(str(key!)), padding: constants.RSA_PKCS1_PADDING },
        Buffer.from(str(ciphertext!), 'base64'),
      );
      return decrypted.toString('utf8');
    } catch (error) {
      if (/no longer supported/.test((error as Error).message))
        throw new Error(
          'Node.js refuses PKCS#1 v1.5 decryption (CVE-2023-46809), which rsadecrypt needs; decrypt the value outside the job file and pass it in a variable',
        );
      throw error;
    }
  }),

  formatdate: fn(2, ([spec, ts]) => formatDate(str(spec!), str(ts!))),
  // Go's t.Add(d).Format(time.RFC3339): nanosecond arithmetic, fractional seconds dropped from the result.
  timeadd: fn(2, ([ts, duration]) => {
    const text = str(ts!);
    const { date, offsetMinutes } = parseRfc3339(text);
    const ns = parseGoDuration(str(duration!));
    if (ns === undefined) throw new Error(`"${str(duration!)}" is not a duration such as "1h30m"`);
    const fraction = BigInt((/T[^.]*\.(\d+)/.exec(text)?.[1] ?? '').padEnd(9, '0').slice(0, 9));
    const seconds = BigInt(Math.floor(date.getTime() / 1000)) + BigInt(offsetMinutes * 60);
    const total = seconds * 1_000_000_000n + fraction + BigInt(Math.trunc(ns));
    const wholeSeconds = total / 1_000_000_000n - (total % 1_000_000_000n < 0n ? 1n : 0n);
    const iso = new Date(Number(wholeSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (offsetMinutes === 0) return iso;
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    return `${iso.slice(0, -1)}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }),

  cidrhost: fn(2, ([prefix, hostnum]) => {
    const base = parseCidr(str(prefix!));
    const size = 1n << BigInt(base.bits - base.prefix);
    const requested = goInt64(hostnum!);
    const n = requested < 0n ? requested + size : requested;
    if (n < 0n || n >= size)
      throw new Error(`prefix of ${base.prefix} does not accommodate a host numbered ${requested}`);
    return formatIp(base.bits, base.address + n);
  }),
  cidrnetmask: fn(1, ([prefix]) => {
    const base = parseCidr(str(prefix!));
    if (base.bits !== 32) throw new Error('only IPv4 networks have a netmask');
    return formatIp(32, ((1n << BigInt(base.prefix)) - 1n) << BigInt(32 - base.prefix));
  }),
  cidrsubnet: fn(3, ([prefix, newbits, netnum]) =>
    cidrSubnet(parseCidr(str(prefix!)), goInt(newbits!), goInt64(netnum!)),
  ),
  cidrsubnets: fn(
    1,
    ([prefix, ...sizes]) => {
      const base = parseCidr(str(prefix!));
      let next = base.address;
      return sizes.map((size, i) => {
        if (toInt64(exact(size)) === undefined) throw new ArgumentError(i + 1, 'newbits', INT64_MESSAGE);
        const prefixLength = base.prefix + num(size);
        if (prefixLength > base.bits)
          throw new Error(`would extend prefix to ${prefixLength} bits, which is too long`);
        const block = 1n << BigInt(base.bits - prefixLength);
        next = ((next + block - 1n) / block) * block;
        if (next >= base.address + (1n << BigInt(base.bits - base.prefix)))
          throw new Error('not enough remaining address space');
        const result = `${formatIp(base.bits, next)}/${prefixLength}`;
        next += block;
        return result;
      });
    },
    { variadic: true },
  ),

  chunklist: fn(2, ([l, size]) => {
    const items = uniformList(l!, 0);
    const n = num(size!);
    if (n < 0) throw new Error('the size argument must be positive');
    if (n === 0) return [items];
    return Array.from({ length: Math.ceil(items.length / n) }, (_, i) => items.slice(i * n, i * n + n));
  }),
  // cty's CoalesceFunc: the first argument that is not null (an empty string counts), converted to the type
  // all the arguments share.
  coalesce: fn(
    1,
    (args) => {
      const type = unifyTypes(args.map(typeOf));
      if (!type) throw new Error('all arguments must have the same type');
      const found = args.find((a) => a !== null);
      if (found === undefined) throw new Error('no non-null arguments');
      return toType(found, type);
    },
    { variadic: true },
  ),
  coalescelist: fn(
    1,
    (args) => {
      const found = args.find((a) => Array.isArray(a) && a.length > 0);
      if (found === undefined) throw new Error('no non-empty list arguments');
      return found;
    },
    { variadic: true },
  ),
  // list(string): numbers and bools become strings.
  compact: fn(1, ([l]) =>
    list(l!)
      .filter((v) => v !== null)
      .map(str)
      .filter((v) => v !== ''),
  ),
  concat: fn(
    1,
    (args, ctx, range) => {
      const total = args.reduce<number>((sum, a) => sum + list(a).length, 0);
      spend(ctx, total, range, () => `concat's result (${total.toLocaleString('en-US')} elements)`);
      return args.flatMap((a) => list(a));
    },
    { variadic: true },
  ),
  contains: fn(2, ([l, v]) => list(l!).some((item) => key(item) === key(v!))),
  distinct: fn(1, ([l]) => distinct(uniformList(l!, 0))),
  element: fn(2, ([l, i]) => {
    const items = list(l!);
    if (items.length === 0) throw new Error('cannot use element function with an empty list');
    const n = Math.floor(num(i!));
    if (n < 0) throw new Error('cannot use element function with a negative index');
    return items[n % items.length]!;
  }),
  flatten: fn(1, ([l], ctx, range) => {
    const flat = (v: Value): Value[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
    const result = list(l!).flatMap(flat);
    spend(
      ctx,
      result.length,
      range,
      () => `flatten's result (${result.length.toLocaleString('en-US')} elements)`,
    );
    return result;
  }),
  // cty's IndexFunc: element access, collection[key] (not Terraform's search for a value).
  index: fn(2, ([collection, k]) => {
    if (Array.isArray(collection)) {
      if (!isNumber(k)) throw new Error('key for tuple must be number');
      const i = toWhole(k);
      if (i === undefined || i < 0n || i >= BigInt(collection.length))
        throw new Error('index out of range for list');
      return collection[Number(i)]!;
    }
    const o = obj(collection!);
    if (!Object.hasOwn(o, str(k!))) throw new Error('key does not exist in map');
    return o[str(k!)]!;
  }),
  keys: fn(1, ([m]) => Object.keys(obj(m!)).sort()),
  values: fn(1, ([m]) => {
    const o = obj(m!);
    return Object.keys(o)
      .sort()
      .map((k) => o[k]!);
  }),
  length: fn(1, ([v]) => {
    if (Array.isArray(v)) return wholeNumber(v.length);
    if (isMap(v!)) return wholeNumber(Object.keys(v).length);
    throw new Error('collection must be a list, a map or a tuple');
  }),
  lookup: fn(
    2,
    ([m, k, fallback]) => {
      const o = obj(m!);
      const name = str(k!);
      if (Object.hasOwn(o, name)) return o[name]!;
      if (fallback === undefined) throw new Error(`the map has no key "${name}" and no default was given`);
      return fallback;
    },
    { optional: 1 },
  ),
  // cty's merge gives a map when every argument is a map, else an object.
  merge: fn(
    0,
    (args) => {
      const given = args.filter((a) => a !== null);
      const merged: { [key: string]: Value } = {};
      for (const object of given.map(obj)) for (const [k, v] of Object.entries(object)) setKey(merged, k, v);
      return given.length > 0 && given.every(isMap) ? asMap(merged) : merged;
    },
    {
      variadic: true,
    },
  ),
  range: fn(
    1,
    (args) => {
      const [a, b, step] = args.map(exact);
      const [start, end, by] =
        args.length === 1 ? [0, a!, 1] : [a!, b!, step ?? (compare(a!, b!) <= 0 ? 1 : -1)];
      const direction = compare(by, 0);
      if (direction === 0) throw new Error('step must not be zero');
      const out: NumberValue[] = [];
      for (let v = start; compare(v, end) === direction * -1; v = add(v, by)) {
        out.push(v);
        if (out.length > 1024) throw new Error('more than 1024 values requested');
      }
      return out;
    },
    { optional: 2 },
  ),
  reverse: reverseText,
  setintersection: fn(
    1,
    (args) => {
      const { sets, element } = uniformSets(args);
      const [first, ...others] = sets;
      const kept = first!.filter((v) => others.every((s) => s.some((x) => key(x) === key(v))));
      return toSet(kept, element);
    },
    { variadic: true },
  ),
  setproduct: fn(
    1,
    (args, ctx, range) => {
      if (args.length < 2) throw new Error('at least two arguments are required');
      // Lists and tuples are accepted beside sets; one set among them makes the result a set.
      const factors = args.map((arg, i) => {
        if (!Array.isArray(arg)) throw new ArgumentError(i, 'sets', 'a set or a list is required');
        const unified = unify(arg);
        if (!unified) throw new ArgumentError(i, 'sets', 'all elements must be of the same type');
        return unified;
      });
      const total = factors.reduce((product, f) => product * f.values.length, 1);
      spend(ctx, total, range, () => `setproduct's result (${total.toLocaleString('en-US')} combinations)`);
      const product = factors.reduce<Value[][]>(
        (acc, f) => acc.flatMap((combo) => f.values.map((v) => [...combo, v])),
        [[]],
      );
      if (!args.some(isSet)) return product;
      return toSet(product, { kind: 'tuple', elements: factors.map((f) => f.element) });
    },
    { variadic: true },
  ),
  setunion: fn(
    1,
    (args) => {
      const { sets, element } = uniformSets(args);
      return toSet(sets.flat(), element);
    },
    { variadic: true },
  ),
  slice: fn(3, ([l, a, b]) => {
    const items = list(l!);
    const start = num(a!);
    const end = num(b!);
    if (start < 0 || end > items.length || start > end)
      throw new Error(`invalid slice indexes ${start} and ${end} for a list of ${items.length}`);
    return items.slice(start, end);
  }),
  sort: fn(1, ([l]) =>
    list(l!)
      .map((v) => str(v))
      .sort(),
  ),
  zipmap: fn(2, ([k, v]) => {
    const ks = list(k!);
    const vs = list(v!);
    if (ks.length !== vs.length) throw new Error(`${ks.length} keys but ${vs.length} values`);
    return Object.fromEntries(ks.map((name, i) => [str(name), vs[i]!]));
  }),

  can: {
    params: 1,
    lazy: (args, ctx, range) => {
      if (args.length !== 1)
        fail(range, 'Wrong number of function arguments', 'can() takes exactly one argument.');
      return evaluateOrUndefined(args[0]!, ctx) !== undefined;
    },
  },
  try: {
    params: 1,
    lazy: (args, ctx, range) => {
      if (args.length === 0)
        fail(range, 'Not enough function arguments', 'try() needs at least one argument.');
      for (const arg of args) {
        const value = evaluateOrUndefined(arg, ctx);
        if (value !== undefined) return value;
      }
      return fail(range, 'No result for try()', 'Every argument of try() failed to evaluate.');
    },
  },
  convert: {
    params: 2,
    lazy: (args, ctx, range) => {
      if (args.length !== 2)
        fail(range, 'Wrong number of function arguments', 'convert() takes a value and a type.');
      const type = parseType(args[1]!);
      if (typeof type === 'string') fail(args[1]!.range, 'Invalid type specification', type);
      try {
        return convert(evaluate(args[0]!, ctx), type);
      } catch (caught) {
        return fail(range, 'Invalid value for conversion', (caught as Error).message);
      }
    },
  },
};

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const allFunctions: Record<string, HclFunction> = { ...pureFunctions, ...filesystemFunctions };

/** The functions of a job file; filesystem functions only with a base directory (the CLI; not the parse API). */
export function jobspecFunctions(allowFilesystem: boolean): Record<string, HclFunction> {
  return allowFilesystem ? allFunctions : pureFunctions;
}
