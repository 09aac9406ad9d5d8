/**
 * Job JSON exactly as `nomad job run -output` prints it: Go's encoding/json with four-space indentation, struct
 * fields in declaration order, map keys sorted, `omitempty` fields dropped when empty, and <, >, & escaped.
 */
import { isNumber, toFloat64, toInt64, type NumberValue } from './hcl/numbers.js';
import { isObject, type Value } from './hcl/types.js';
import { API_STRUCTS } from './jobspec/api-structs.js';

const INDENT = '    ';

function goString(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A number of a Go interface{} value: a whole number within int64 is an int (exact), anything else a float64,
 * which Go prints as the shortest decimal (-9223372036854775809 becomes -9223372036854776000).
 */
function goNumber(n: NumberValue): string {
  if (typeof n === 'number') return Number.isSafeInteger(n) ? String(n) : JSON.stringify(n);
  const whole = toInt64(n);
  if (whole !== undefined) return whole.toString();
  const float = toFloat64(n);
  return Object.is(float, -0) ? '-0' : JSON.stringify(float);
}

/** Any value whose shape is a Go map or interface{}: keys sorted at every level. */
function untyped(value: Value, depth: number): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return goString(value);
  if (isNumber(value)) return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + untyped(v, depth + 1)).join(',\n')}\n${close}]`;
  }
  const keys = Object.keys(value).sort();
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${pad}${goString(k)}: ${untyped(value[k]!, depth + 1)}`).join(',\n')}\n${close}}`;
}

function typed(kind: string, value: Value, depth: number): string {
  if (value === null) return 'null';
  const [base, struct] = kind.split(':') as [string, string | undefined];
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (base === 'struct') return structJson(struct!, value as Record<string, Value>, depth);
  if (base === 'list' && Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + (v === null ? 'null' : structJson(struct!, v as Record<string, Value>, depth + 1))).join(',\n')}\n${close}]`;
  }
  if (base === 'map' && isObject(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${pad}${goString(k)}: ${structJson(struct!, value[k] as Record<string, Value>, depth + 1)}`).join(',\n')}\n${close}}`;
  }
  // An int field is Go's int64: its digits exactly, however large.
  if (base === 'int' && typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  return untyped(value, depth);
}

function structJson(name: string, value: Record<string, Value>, depth: number): string {
  const rows = API_STRUCTS[name]!;
  const pad = INDENT.repeat(depth + 1);
  const fields = rows
    .filter((row) => !(row[5] && (value[row[0]] === null || value[row[0]] === undefined)))
    .map((row) => `${pad}${goString(row[0])}: ${typed(row[3], value[row[0]] ?? null, depth + 1)}`);
  if (fields.length === 0) return '{}';
  return `{\n${fields.join(',\n')}\n${INDENT.repeat(depth)}}`;
}

/** `{"Job": …}` as Nomad's CLI prints it for `nomad job run -output`. */
export function renderJobJson(job: Record<string, Value>): string {
  return `{\n${INDENT}"Job": ${structJson('Job', job, 1)}\n}`;
}
