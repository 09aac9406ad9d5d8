/**
 * Differential testing against @cdktn/hcl2json (HashiCorp's own HCL parser compiled to WASM): drover's syntax tree
 * is turned into the oracle's JSON shape (blocks nested by type and labels, literals as values, other expressions
 * as "${source}") and compared, expression text ignoring white space.
 */
import { createRequire } from 'node:module';
import type { Body, Expression, TemplatePart } from '../../src/source/hcl/ast.js';
import { evaluate } from '../../src/source/hcl/evaluate.js';
import { isNumber, toFloat64 } from '../../src/source/hcl/numbers.js';
import { formatScalar, type Value } from '../../src/source/hcl/types.js';

const require = createRequire(import.meta.url);
const hcl2json = require('@cdktn/hcl2json') as { parse(file: string, source: string): Promise<unknown> };

export async function oracleParse(source: string): Promise<{ json?: unknown; error?: string }> {
  try {
    return { json: await hcl2json.parse('input.hcl', source) };
  } catch (error) {
    return { error: String(error) };
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function toOracleShape(body: Body, source: string): Json {
  const out: Record<string, Json> = {};
  for (const attribute of body.attributes) out[attribute.name] = expression(attribute.expr, source);
  for (const block of body.blocks) {
    const converted = toOracleShape(block.body, source);
    if (block.labels.length === 0) {
      out[block.type] = [...((out[block.type] as Json[] | undefined) ?? []), converted];
      continue;
    }
    let level = (out[block.type] ??= {}) as Record<string, Json>;
    block.labels.forEach((label, i) => {
      if (i === block.labels.length - 1)
        level[label.value] = [...((level[label.value] as Json[] | undefined) ?? []), converted];
      else level = (level[label.value] ??= {}) as Record<string, Json>;
    });
  }
  return out;
}

const sourceOf = (expr: { range: { start: { offset: number }; end: { offset: number } } }, source: string) =>
  source.slice(expr.range.start.offset, expr.range.end.offset);

function expression(expr: Expression, source: string): Json {
  switch (expr.kind) {
    case 'literal':
      // The reader keeps a quoted string without interpolations as a literal; hcl2json writes it as template text.
      if (typeof expr.value === 'string') return templateText(expr.value);
      return isNumber(expr.value) ? toFloat64(expr.value) : expr.value;
    case 'constant':
      return constantJson(expr.value);
    case 'unary':
      if (expr.op === '-' && expr.operand.kind === 'literal' && isNumber(expr.operand.value))
        return -toFloat64(expr.operand.value);
      return `\${${sourceOf(expr, source)}}`;
    case 'template':
      if (expr.parts.length === 1 && expr.parts[0]!.kind === 'interp')
        return `\${${sourceOf(expr.parts[0]!.expr, source)}}`;
      return template(expr.parts, source);
    case 'tuple':
      return expr.items.map((item) => expression(item, source));
    case 'object': {
      const out: Record<string, Json> = {};
      for (const item of expr.items) {
        const key =
          item.bareKey && item.key.kind === 'variable'
            ? item.key.name
            : item.key.kind === 'literal' && typeof item.key.value === 'string'
              ? item.key.value
              : item.key.kind === 'template' && item.key.parts.every((p) => p.kind === 'text')
                ? item.key.parts.map((p) => (p.kind === 'text' ? p.value : '')).join('')
                : `\${${sourceOf(item.key, source)}}`;
        out[key] = expression(item.value, source);
      }
      return out;
    }
    default:
      return `\${${sourceOf(expr, source)}}`;
  }
}

function template(parts: readonly TemplatePart[], source: string): string {
  return parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return templateText(part.value);
        case 'interp': {
          // hcl2json folds interpolations that evaluate without variables or functions.
          const folded = constant(part.expr, source);
          return folded ?? `\${${sourceOf(part.expr, source)}}`;
        }
        case 'if':
          return `%{if ${sourceOf(part.condition, source)}}${template(part.then, source)}${part.otherwise.length ? `%{else}${template(part.otherwise, source)}` : ''}%{endif}`;
        case 'for':
          return `%{for ${part.keyVar ? `${part.keyVar}, ` : ''}${part.valueVar} in ${sourceOf(part.collection, source)}}${template(part.body, source)}%{endfor}`;
      }
    })
    .join('');
}

/** A folded list's or object's value as hcl2json writes the literal it came from. */
function constantJson(value: Value): Json {
  if (typeof value === 'string') return templateText(value);
  if (isNumber(value)) return toFloat64(value);
  if (Array.isArray(value)) return value.map(constantJson);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, constantJson(v as Value)]));
  return value;
}

function templateText(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

function constant(expr: Expression, source: string): string | undefined {
  try {
    const value = evaluate(expr, { variables: {}, functions: {}, source, warnings: [] });
    if (typeof value === 'string') return value.includes('${') ? undefined : value;
    if (typeof value === 'number' || typeof value === 'boolean') return formatScalar(value);
  } catch {
    // not a constant
  }
  return undefined;
}

/** White space inside expressions and templates is the oracle's formatting, not meaning. */
export function normalize(value: unknown): unknown {
  if (typeof value === 'string') return /\$\{|%\{/.test(value) ? value.replace(/\s+/g, '') : value;
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [/\$\{/.test(k) ? k.replace(/\s+/g, '') : k, normalize(v)]),
    );
  return value;
}
