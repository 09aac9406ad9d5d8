/**
 * Namespaces and node pools as drover.hcl blocks (docs/estate.md), written from the estate reader's own schema
 * (source/estate/blocks.ts): every field a user may set that Nomad holds, so the first plan adopts each unchanged.
 */
import { SCHEMAS } from '../source/estate/blocks.js';
import type { Schema } from '../source/estate/decode-body.js';
import { durationText, isIdentifier, label, literal, quoted } from './hcl-literals.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown) =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (isObj(v) && Object.values(v).every(isEmpty));

export function estateBlock(type: 'namespace' | 'node_pool', object: Obj): string {
  const lines = [`${type} ${label(String(object.Name), `${type}.name`)} {`];
  body(SCHEMAS[type], object, '  ', lines, type);
  lines.push('}');
  return lines.length === 2 ? `${lines[0]}}` : lines.join('\n');
}

function body(schema: Schema, object: Obj, indent: string, lines: string[], where: string): void {
  for (const [name, rule] of Object.entries(schema.arguments)) {
    const value = object[rule.field];
    if (isEmpty(value)) continue;
    const text =
      rule.kind === 'duration' && typeof value === 'number'
        ? durationText(value)
        : rule.kind === 'map' && isObj(value)
          ? `{ ${Object.entries(value)
              .map(([k, v]) => `${isIdentifier(k) ? k : quoted(k)} = ${quoted(String(v))}`)
              .join(', ')} }`
          : literal(value, indent, `${where}.${name}`);
    lines.push(`${indent}${name} = ${text}`);
  }
  for (const [name, rule] of Object.entries(schema.blocks ?? {})) {
    const value = object[rule.field];
    if (!isObj(value) || isEmpty(value)) continue;
    lines.push(`${indent}${name} {`);
    body(rule.schema, value, `${indent}  `, lines, `${where}.${name}`);
    lines.push(`${indent}}`);
  }
}
