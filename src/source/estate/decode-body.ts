/**
 * The body of an estate block (namespace, node_pool, acl_policy, acl_role) to the fields of its API shape,
 * driven by a schema per block: every argument and nested block Nomad's spec files take, each with the value it
 * holds; anything else is refused at its position with the closest name. As in Nomad's spec files, a map such as
 * `meta` may be written as an argument (`meta = { … }`) or as a block (`meta { … }`); null leaves a field unset.
 */
import type { Attribute, Block, Body, Expression } from '../hcl/ast.js';
import { DiagnosticError, error, suggest, type Diagnostic, type Range } from '../hcl/diagnostics.js';
import { evaluate, type EvalContext } from '../hcl/evaluate.js';
import { isNumber } from '../hcl/numbers.js';
import { describeValue, formatScalar, isObject, setKey, type Value } from '../hcl/types.js';
import { refuseValue, ValueTooLargeError } from '../hcl/value-limit.js';
import { duration } from '../jobspec/decode.js';

/** string: text (a number or bool is written as text); strings: a list of them; map: names to strings. */
export type ValueKind = 'string' | 'bool' | 'strings' | 'map' | 'duration';

export interface ArgumentRule {
  readonly kind: ValueKind;
  /** The field of the API shape it sets. */
  readonly field: string;
  /** Only Nomad Enterprise takes it: open-source Nomad refuses the object as unlicensed. */
  readonly enterprise?: boolean;
}

export interface BlockRule {
  readonly field: string;
  readonly schema: Schema;
  readonly enterprise?: boolean;
}

export interface Schema {
  readonly arguments: Readonly<Record<string, ArgumentRule>>;
  readonly blocks?: Readonly<Record<string, BlockRule>>;
  /** The fields a nested block always has (Nomad answers them all), before the ones it sets. */
  readonly template?: Readonly<Record<string, Value>>;
  /** What a top-level block's label stands for ("name", "path"): an argument so named is refused with a pointer to it. */
  readonly label?: string;
}

/** An Enterprise-only argument or block that a declaration sets. */
export interface EnterpriseUse {
  /** As written: "quota", "node_pool_config". */
  readonly name: string;
  readonly range: Range;
}

export interface DecodeState {
  readonly eval: EvalContext;
  /** Records a problem (the reader stops once there are too many). */
  readonly report: (diagnostic: Diagnostic) => void;
  /** Counts what a value weighs against the estate's bound. */
  readonly weigh: (value: Value) => void;
  /**
   * The file a value was read from whole (`file("policies/x.hcl")`), as messages name it, its text kept for
   * printing them; undefined for any other expression.
   */
  readonly fileOf: (expr: Expression, text: string) => string | undefined;
}

export interface Decoded {
  readonly fields: Record<string, Value>;
  readonly enterprise: EnterpriseUse[];
  /** Where each field set came from (its value, or its block's type), nested ones as "Block.Field". */
  readonly ranges: ReadonlyMap<string, Range>;
}

/** The fields `body` sets, by `schema`; `title` names the block in messages: `the namespace "payments" block`. */
export function decodeBody(body: Body, schema: Schema, title: string, state: DecodeState): Decoded {
  const fields: Record<string, Value> = { ...schema.template };
  const enterprise: EnterpriseUse[] = [];
  const ranges = new Map<string, Range>();
  const blocks = schema.blocks ?? {};
  const names = [...Object.keys(schema.arguments), ...Object.keys(blocks)];

  for (const attr of body.attributes) {
    const rule = schema.arguments[attr.name];
    if (!rule) {
      state.report(
        attr.name === schema.label
          ? error(
              attr.nameRange,
              `Unsupported argument "${attr.name}"`,
              `The ${attr.name} is the block's label (${title}); leave "${attr.name}" out.`,
            )
          : unexpected('argument', attr.name, attr.nameRange, title, names, blocks),
      );
      continue;
    }
    const value = readValue(attr, rule.kind, state);
    if (value === undefined) continue;
    setKey(fields, rule.field, value);
    ranges.set(rule.field, attr.expr.range);
    if (rule.enterprise && value !== '') enterprise.push({ name: attr.name, range: attr.nameRange });
  }

  const seen = new Map<string, Block>();
  for (const block of body.blocks) {
    const mapRule = schema.arguments[block.type];
    const rule = blocks[block.type];
    if (!rule && mapRule?.kind !== 'map') {
      state.report(
        mapRule
          ? error(
              block.typeRange,
              `Unsupported block type "${block.type}"`,
              `"${block.type}" is an argument here: write ${block.type} = …`,
            )
          : unexpected('block', block.type, block.typeRange, title, names, blocks),
      );
      continue;
    }
    if (!nameless(block, state)) continue;
    const earlier = seen.get(block.type);
    const argument = rule ? undefined : body.attributes.find((a) => a.name === block.type);
    if (earlier || argument) {
      state.report(
        error(
          block.typeRange,
          `Duplicate ${block.type} block`,
          `"${block.type}" is also set at line ${(earlier ?? argument)!.range.start.line}; set it once.`,
        ),
      );
      continue;
    }
    seen.set(block.type, block);
    if (!rule) {
      setKey(fields, mapRule!.field, mapBlock(block, state));
      ranges.set(mapRule!.field, block.typeRange);
      if (mapRule!.enterprise) enterprise.push({ name: block.type, range: block.typeRange });
      continue;
    }
    const inner = decodeBody(block.body, rule.schema, `the "${block.type}" block`, state);
    setKey(fields, rule.field, inner.fields);
    ranges.set(rule.field, block.typeRange);
    for (const [field, range] of inner.ranges) ranges.set(`${rule.field}.${field}`, range);
    if (rule.enterprise) enterprise.push({ name: block.type, range: block.typeRange });
  }
  return { fields, enterprise, ranges };
}

/** An argument's value as `kind`, or undefined when it is null or refused (its error recorded). */
export function readValue(attr: Attribute, kind: ValueKind, state: DecodeState): Value | undefined {
  try {
    const value = evaluate(attr.expr, state.eval);
    state.weigh(value);
    if (value === null) return undefined;
    return convert(value, kind, attr.expr.range, attr.name);
  } catch (caught) {
    if (!(caught instanceof DiagnosticError)) throw caught;
    state.report(caught.diagnostic);
    return undefined;
  }
}

/** A block holding only `name = value` lines (a map in block form: `meta { team = "payments" }`). */
function mapBlock(block: Block, state: DecodeState): Record<string, Value> {
  for (const nested of block.body.blocks)
    state.report(
      error(
        nested.typeRange,
        `Unsupported block type "${nested.type}"`,
        `The "${block.type}" block holds only name = value lines.`,
      ),
    );
  const out: Record<string, Value> = {};
  for (const attr of block.body.attributes) {
    const value = readValue(attr, 'string', state);
    if (value !== undefined) setKey(out, attr.name, value);
  }
  return out;
}

/** Whether a nested block has no label, as every estate block's nested blocks must (else its error). */
function nameless(block: Block, state: DecodeState): boolean {
  if (block.labels.length === 0) return true;
  state.report(
    error(
      block.labels[0]!.range,
      `Extraneous label for ${block.type}`,
      `A ${block.type} block takes no name: ${block.type} { … }.`,
    ),
  );
  return false;
}

function unexpected(
  what: 'argument' | 'block',
  name: string,
  range: Range,
  title: string,
  names: readonly string[],
  blocks: Readonly<Record<string, BlockRule>>,
): Diagnostic {
  const summary = what === 'argument' ? `Unsupported argument "${name}"` : `Unsupported block type "${name}"`;
  if (what === 'argument' && blocks[name])
    return error(range, summary, `"${name}" is a block here: write ${name} { … }.`);
  const hint = suggest(name, names);
  return error(
    range,
    summary,
    hint
      ? `${what === 'argument' ? 'An argument' : 'A block'} named "${name}" is not expected in ${title}; did you mean "${hint}"?`
      : `${title[0]!.toUpperCase()}${title.slice(1)} takes ${names.length > 0 ? names.join(', ') : 'nothing'}.`,
  );
}

/** A value as `kind`, Nomad's spec files' way: numbers and bools may stand for text, text for a bool. */
export function convert(value: Value, kind: ValueKind, range: Range, name: string): Value {
  const refuse = (required: string, found: Value = value): never => {
    throw new DiagnosticError(
      error(range, `Unsuitable value for "${name}"`, `${required} is required, not ${describeValue(found)}.`),
    );
  };
  switch (kind) {
    case 'string':
      return text(value, range) ?? refuse('A string');
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return refuse('A bool');
    case 'strings':
      if (!Array.isArray(value)) return refuse('A list of strings');
      return value.map((item) => text(item, range) ?? refuse('A list of strings', item));
    case 'map': {
      if (!isObject(value)) return refuse('A map of strings');
      const out: Record<string, Value> = {};
      for (const key of Object.keys(value)) {
        const item = value[key]!;
        setKey(
          out,
          key,
          text(item, range) ?? refuse(`A string for ${JSON.stringify(key)} (a map of strings)`, item),
        );
      }
      return out;
    }
    case 'duration':
      return duration(value, range);
  }
}

/** Text for a string, a number or a bool; undefined for anything else. */
function text(value: Value, range: Range): string | undefined {
  if (typeof value === 'string') return value;
  if (!isNumber(value) && typeof value !== 'boolean') return undefined;
  try {
    return formatScalar(value);
  } catch (caught) {
    if (caught instanceof ValueTooLargeError) refuseValue(range, caught.weight);
    throw caught;
  }
}
