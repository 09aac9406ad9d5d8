/**
 * Values written as HCL expressions that drover's reader (and jobspec2) read back to the same value: strings
 * with `${` and `%{` escaped (a job file's text is a template), multi-line text as a heredoc, durations as the
 * shortest Go duration, free-form values as literals.
 */

import { BigFloat } from '../source/hcl/big-float.js';
import { formatNumber } from '../source/hcl/numbers.js';

/** What an import cannot write as HCL that reads back the same: the job is written as JSON instead. */
export class Unrepresentable extends Error {
  constructor(readonly where: string) {
    super(`${where} cannot be written in HCL exactly`);
  }
}

const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'endif', 'endfor', 'else']);

/** A name HCL takes bare, as an attribute name or an object key. */
export const isIdentifier = (name: string): boolean =>
  /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) && !KEYWORDS.has(name);

/** Template text: `${` and `%{` would start an interpolation or a directive. */
const escapeTemplate = (text: string) => text.replace(/([$%])\{/g, (_, sign: string) => `${sign}${sign}{`);

export function quoted(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `"${escapeTemplate(out)}"`;
}

/** A block label: a literal (labels are never templates), so text that looks like one cannot be a label. */
export function label(text: string, where: string): string {
  if (text.includes('${') || text.includes('%{')) throw new Unrepresentable(where);
  return JSON.stringify(text);
}

/**
 * Multi-line text ending in a newline as a heredoc (its text is read as it stands, backslashes included),
 * anything else quoted. `indent` is the column the closing marker goes to.
 */
export function textValue(text: string, indent: string): string {
  const lines = text.split('\n');
  const heredoc =
    lines.length >= 2 &&
    text.endsWith('\n') &&
    ![...text].some((ch) => ch !== '\n' && ch !== '\t' && (ch < ' ' || ch === '\u007f')) &&
    !text.includes('\u2028') &&
    !text.includes('\u2029');
  if (!heredoc) return quoted(text);
  const marker = ['EOT', 'EOF', 'TEMPLATE', 'END_OF_TEXT'].find(
    (m) => !lines.some((line) => line.trim() === m),
  );
  if (!marker) return quoted(text);
  return `<<${marker}\n${escapeTemplate(text)}${indent}${marker}`;
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['h', 3600e9],
  ['m', 60e9],
  ['s', 1e9],
  ['ms', 1e6],
  ['us', 1e3],
  ['ns', 1],
];

/** Nanoseconds as the shortest Go duration of whole units: "30s", "1h30m", "1s500ms", "0s". */
export function durationText(ns: number): string {
  if (ns === 0) return '"0s"';
  let rest = Math.abs(ns);
  let text = ns < 0 ? '-' : '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return `"${text}"`;
}

/** A plain value (from a free-form map or an expression) as an HCL literal. */
export function literal(value: unknown, indent: string, where: string): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof BigFloat) return formatNumber(value);
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'number') {
    // Past int64 a number is a float in Go, and a literal that size reads back as an int: not the same value.
    if (!Number.isFinite(value) || Math.abs(value) >= 2 ** 63) throw new Unrepresentable(where);
    return Number.isInteger(value) ? BigInt(value).toString() : JSON.stringify(value);
  }
  if (typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object' || v === null))
      return `[${value.map((v) => literal(v, inner, where)).join(', ')}]`;
    return `[\n${value.map((v) => `${inner}${literal(v, inner, where)},`).join('\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries
      .map(([k, v]) => `${inner}${isIdentifier(k) ? k : quoted(k)} = ${literal(v, inner, `${where}.${k}`)}`)
      .join('\n')}\n${indent}}`;
  }
  throw new Unrepresentable(where);
}
