/**
 * jsonencode, jsondecode and yamldecode as go-cty has them: object keys in name order, numbers exact
 * (printed as the shortest decimal, never with an exponent), Go's escapes in JSON strings, YAML 1.1.
 */
import { createRequire } from 'node:module';
import type * as YAML from 'yaml';
import { BigFloat } from './big-float.js';
import { formatNumber, isNumber, parseNumber } from './numbers.js';
import { isObject, type Value } from './types.js';
import { TextBuilder } from '../../util/text-builder.js';

const require = createRequire(import.meta.url);
/** yaml is loaded on first use only: most job files never call it. */
const yaml = () => require('yaml') as typeof YAML;

/** A JSON string as Go's encoding/json writes it: <, >, & and the Unicode line separators escaped. */
export function goJsonString(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function jsonEncode(value: Value): string {
  const out = new TextBuilder();
  writeJson(value, out);
  return out.text();
}

function writeJson(value: Value, out: TextBuilder): void {
  if (value === null) return out.add('null');
  if (typeof value === 'string') return out.add(goJsonString(value));
  if (typeof value === 'boolean') return out.add(String(value));
  if (isNumber(value)) {
    if (value instanceof BigFloat && value.infinite) throw new Error('cannot serialize infinity as JSON');
    return out.add(formatNumber(value));
  }
  if (Array.isArray(value)) {
    out.add('[');
    value.forEach((item, i) => {
      if (i > 0) out.add(',');
      writeJson(item, out);
    });
    return out.add(']');
  }
  out.add('{');
  Object.keys(value)
    .sort()
    .forEach((key, i) => {
      if (i > 0) out.add(',');
      out.add(goJsonString(key));
      out.add(':');
      writeJson(value[key]!, out);
    });
  out.add('}');
}

// Private-use characters: JSON allows them raw in strings, and no job file's JSON holds this pair.
const NUMBER_MARK = '\ue000\ue001number:';
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** JSON text to a value, each number read exactly from its digits (JSON.parse would round it to a float64). */
export function jsonDecode(text: string): Value {
  const marked = text.replace(TOKENS, (token) =>
    token.startsWith('"') ? token : `"${NUMBER_MARK}${token}"`,
  );
  return restoreNumbers(JSON.parse(marked) as Value);
}

function restoreNumbers(value: Value): Value {
  if (typeof value === 'string' && value.startsWith(NUMBER_MARK))
    return parseNumber(value.slice(NUMBER_MARK.length)) ?? value;
  if (Array.isArray(value)) return value.map(restoreNumbers);
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreNumbers(v)]));
  return value;
}

/** YAML 1.1 (where y, yes and on are true), numbers read exactly. */
export function yamlDecode(text: string): Value {
  const { parseDocument, visit, isScalar } = yaml();
  const doc = parseDocument(text, { version: '1.1', keepSourceTokens: true });
  if (doc.errors.length > 0) throw doc.errors[0]!;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && isScalar(node) && node.source !== undefined) {
        const exact = parseNumber(node.source.replace(/_/g, '').replace(/^\+/, ''));
        if (exact !== undefined && Number.isFinite(node.value)) node.value = exact as never;
      }
    },
  });
  return doc.toJS({ maxAliasCount: 100 }) as Value;
}
