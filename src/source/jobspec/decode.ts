/**
 * HCL bodies to Nomad API job JSON, driven by the api struct table (api-structs.ts) the way jobspec2's gohcl
 * decoder is driven by struct tags, plus jobspec2's own rules: constraint and affinity shorthands, `meta`/`env`
 * in attribute form, group-level vault and secrets, task scaling "cpu"/"mem", free-form maps with nested blocks as
 * lists, durations as nanoseconds, and `dynamic` blocks.
 */
import type { Block, Body } from '../hcl/ast.js';
import {
  DiagnosticError,
  error,
  rangeBetween,
  suggest,
  type Diagnostic,
  type Range,
} from '../hcl/diagnostics.js';
import { BigFloat } from '../hcl/big-float.js';
import { evaluate, fail, withVariables, type EvalContext } from '../hcl/evaluate.js';
import { parseGoDuration } from '../../util/duration.js';
import {
  formatNumber,
  INT64_MESSAGE,
  isNumber,
  type NumberValue,
  parseNumber,
  toBigFloat,
  toFloat64,
  toInt64,
  toWhole,
} from '../hcl/numbers.js';
import { describeValue, formatScalar, isObject, setKey, type Value } from '../hcl/types.js';
import { API_STRUCTS, type FieldRow } from './api-structs.js';
import { goInt, goIntMessage } from './go-ints.js';
import { appendAll } from '../../util/append-all.js';
import { refuseValue, ValueTooLargeError } from '../hcl/value-limit.js';
import type { Places } from './places.js';
import type { Verdict } from './verdict.js';
import { weightOf } from '../hcl/value-weight.js';

export type Json = Value;
type Obj = { [key: string]: Value };

export interface DecodeContext {
  readonly eval: EvalContext;
  readonly diagnostics: Diagnostic[];
  /** Filled with the place of every struct decoded, for rules that judge the decoded job. */
  readonly places?: Places;
  /** The weight of every value the job's attributes evaluated to (value-weight.ts), added up as they are read. */
  readonly weighed?: { total: number };
  /** Whose verdict the job gets where Nomad's differ (verdict.ts): a registering server's unless told. */
  readonly verdict?: Verdict;
}

/** The value, its weight added to the job's (the evaluator has weighed what expressions built: no walk). */
function weighed<T extends Value | undefined>(dctx: DecodeContext, value: T): T {
  if (dctx.weighed && value !== undefined) dctx.weighed.total += weightOf(value);
  return value;
}

const NO_VARIABLES: Readonly<Record<string, Value>> = Object.freeze({});

/** Variables of the enclosing blocks and of a `dynamic` block's iterator, without a copy when there are none. */
function mergeScopes(
  outer: Readonly<Record<string, Value>>,
  inner: Readonly<Record<string, Value>>,
): Readonly<Record<string, Value>> {
  if (inner === NO_VARIABLES) return outer;
  return { ...outer, ...inner };
}

/** A block and the iterator variables a `dynamic` block gave it. */
interface ScopedBlock {
  readonly block: Block;
  readonly scope: Readonly<Record<string, Value>>;
}

const CONSTRAINT_SHORTHANDS = ['version', 'semver', 'regexp', 'set_contains'] as const;
const AFFINITY_SHORTHANDS = [
  'version',
  'semver',
  'regexp',
  'set_contains_any',
  'set_contains_all',
  'set_contains',
] as const;

/** Past this many, a file's further errors say nothing more: a 10 MB file of unknown arguments had 431,818. */
export const MAX_DECODE_ERRORS = 1000;

/** Thrown past MAX_DECODE_ERRORS: decoding ends there, its last diagnostic saying so. */
export class DecodingStopped extends DiagnosticError {}

function record(dctx: DecodeContext, diagnostic: Diagnostic): void {
  dctx.diagnostics.push(diagnostic);
  if (dctx.diagnostics.length >= MAX_DECODE_ERRORS)
    throw new DecodingStopped(
      error(
        diagnostic.range,
        'Too many errors',
        `Reading stopped after ${MAX_DECODE_ERRORS.toLocaleString('en-US')} errors: fix these first.`,
      ),
    );
}

function report(dctx: DecodeContext, range: Range, summary: string, detail?: string): void {
  record(dctx, error(range, summary, detail));
}

/** A problem a decoding step raised, to record; anything else (decoding stopped included) goes on up. */
function recordable(caught: unknown): caught is DiagnosticError {
  return caught instanceof DiagnosticError && !(caught instanceof DecodingStopped);
}

/** Runs one decoding step; a diagnostic it raises is recorded and the step yields undefined. */
function attempt<T>(dctx: DecodeContext, run: () => T): T | undefined {
  try {
    return run();
  } catch (caught) {
    if (!recordable(caught)) throw caught;
    record(dctx, caught.diagnostic);
    return undefined;
  }
}

// ---- dynamic blocks ------------------------------------------------------------------------------------

/** The body's blocks with `dynamic "x" { for_each, iterator, labels, content }` expanded. */
export function expandBlocks(body: Body, dctx: DecodeContext): ScopedBlock[] {
  const out: ScopedBlock[] = [];
  for (const block of body.blocks) {
    if (block.type !== 'dynamic') {
      out.push({ block, scope: NO_VARIABLES });
      continue;
    }
    const expanded = attempt(dctx, () => expandDynamic(block, dctx));
    if (expanded) appendAll(out, expanded);
  }
  return out;
}

function expandDynamic(block: Block, dctx: DecodeContext): ScopedBlock[] {
  const [label] = block.labels;
  if (!label || block.labels.length !== 1)
    throw new DiagnosticError(
      error(
        block.typeRange,
        'Invalid dynamic block',
        'A dynamic block takes one label: the type of the blocks it generates.',
      ),
    );
  const attrs = new Map(block.body.attributes.map((a) => [a.name, a]));
  for (const attr of block.body.attributes)
    if (!['for_each', 'iterator', 'labels'].includes(attr.name))
      report(
        dctx,
        attr.nameRange,
        `Unsupported argument "${attr.name}" in a dynamic block`,
        'A dynamic block takes for_each, iterator, labels and one content block.',
      );
  const forEach = attrs.get('for_each');
  if (!forEach)
    throw new DiagnosticError(
      error(
        block.typeRange,
        'Missing required argument "for_each"',
        'A dynamic block needs for_each = <list or map>.',
      ),
    );
  const contents = block.body.blocks.filter((b) => b.type === 'content');
  if (contents.length !== 1)
    throw new DiagnosticError(
      error(block.typeRange, 'Invalid dynamic block', 'A dynamic block needs exactly one content block.'),
    );
  const iteratorExpr = attrs.get('iterator')?.expr;
  const iterator = iteratorExpr
    ? iteratorExpr.kind === 'variable'
      ? iteratorExpr.name
      : undefined
    : label.value;
  if (!iterator)
    throw new DiagnosticError(
      error(
        iteratorExpr!.range,
        'Invalid dynamic iterator',
        'iterator takes a bare name, such as iterator = port.',
      ),
    );
  const collection = evaluate(forEach.expr, dctx.eval);
  const entries: Array<[Value, Value]> = Array.isArray(collection)
    ? collection.map((v, i) => [i, v])
    : isObject(collection)
      ? Object.keys(collection)
          .sort()
          .map((k) => [k, collection[k]!])
      : [];
  if (!Array.isArray(collection) && !isObject(collection))
    throw new DiagnosticError(
      error(
        forEach.expr.range,
        'Invalid dynamic for_each value',
        `for_each needs a list, a set or a map, not ${describeValue(collection)}.`,
      ),
    );
  const content = contents[0]!;
  return entries.map(([key, value]) => {
    const scope = { [iterator]: { key, value } as Value };
    const labelsExpr = attrs.get('labels')?.expr;
    const labels = labelsExpr
      ? (evaluate(labelsExpr, withVariables(dctx.eval, scope)) as Value[]).map((l) => ({
          value: formatLabel(l, labelsExpr.range),
          range: labelsExpr.range,
        }))
      : [];
    const generated: Block = {
      type: label.value,
      typeRange: label.range,
      labels,
      body: content.body,
      range: content.range,
    };
    return { block: generated, scope };
  });
}

function formatLabel(value: Value, range: Range): string {
  if (typeof value === 'string') return value;
  if (isNumber(value) || typeof value === 'boolean') return formatScalar(value);
  throw new DiagnosticError(
    error(range, 'Invalid dynamic block label', `A label must be a string, not ${describeValue(value)}.`),
  );
}

// ---- scalar kinds --------------------------------------------------------------------------------------

/** A number or bool as text; a number too long to print (10^100,000,000) is refused at its value. */
function scalarText(value: NumberValue | boolean, range: Range): string {
  try {
    return formatScalar(value);
  } catch (caught) {
    if (caught instanceof ValueTooLargeError) refuseValue(range, caught.weight);
    throw caught;
  }
}

/**
 * A map's values each as `kind`. A block that set only strings already is a map(string) and is kept as it is
 * (values are never changed once built): copying a meta block of 400,000 keys into a new hash table, or even
 * looking through its values, took a third of the time reading it did.
 */
function mapOf(
  kind: string,
  value: Record<string, Value>,
  range: Range,
  name: string,
): Record<string, Value> {
  if (kind === 'string' && STRING_MAPS.has(value)) return value;
  const out: Record<string, Value> = {};
  for (const key of Object.keys(value)) {
    const item = value[key]!;
    setKey(
      out,
      key,
      kind === 'string' && typeof item === 'string' ? item : toKind(kind, item, range, `${name}.${key}`),
    );
  }
  return out;
}

function toKind(kind: string, value: Value, range: Range, name: string): Value {
  if (value === null) return null;
  const bad = (what: string): never => {
    throw new DiagnosticError(
      error(range, `Unsuitable value for "${name}"`, `${what} is required, not ${describeValue(value)}.`),
    );
  };
  switch (kind) {
    case 'string':
      if (typeof value === 'string') return value;
      if (isNumber(value) || typeof value === 'boolean') return scalarText(value, range);
      return bad('A string');
    case 'int':
    case 'int8':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64': {
      const n = isNumber(value) ? value : typeof value === 'string' ? parseNumber(value) : undefined;
      if (n === undefined) return bad('A number');
      const whole = toWhole(n);
      if (whole === undefined)
        throw new DiagnosticError(
          error(
            range,
            `Unsuitable value for "${name}"`,
            `A whole number is required, not ${formatNumber(n)}.`,
          ),
        );
      // Go's sized integer, as gocty decodes it: out of the type's range is an error, not a wrap.
      const type = goInt(kind)!;
      if (whole < type.min || whole > type.max)
        throw new DiagnosticError(error(range, `Unsuitable value for "${name}"`, goIntMessage(type)));
      return Number(whole);
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return bad('A bool');
    case 'duration':
      return duration(value, range);
    case 'list(string)':
      if (!Array.isArray(value)) return bad('A list of strings');
      return value.map((item) => toKind('string', item, range, name));
    case 'list(int)':
    case 'list(uint16)':
      if (!Array.isArray(value)) return bad('A list of numbers');
      return value.map((item) => toKind(kind.slice(5, -1), item, range, name));
    case 'map(string)':
      if (!isObject(value)) return bad('A map of strings');
      return mapOf('string', value, range, name);
    case 'map(list(string))':
      if (!isObject(value)) return bad('A map of string lists');
      return mapOf('list(string)', value, range, name);
    case 'freeform':
      return goValue(value);
  }
  return bad(`A ${kind}`);
}

/**
 * A free-form value as Nomad decodes it into interface{}: whole numbers within int64 as ints (kept exact past
 * 2^53), others as float64.
 */
function goValue(value: Value): Value {
  if (isNumber(value)) {
    const whole = toInt64(value);
    if (whole === undefined) return toFloat64(value);
    return Number.isSafeInteger(Number(whole)) ? Number(whole) : BigFloat.fromBigInt(whole);
  }
  if (Array.isArray(value)) return value.map(goValue);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, goValue(v)]));
  return value;
}

/** Go durations as jobspec2 reads them: "30s", "1h30m", or a number of nanoseconds. */
export function duration(value: Value, range: Range): number {
  if (value === null)
    throw new DiagnosticError(error(range, 'Unsuitable value', 'Unsuitable duration value: nil'));
  if (isNumber(value)) {
    const ns = toInt64(value);
    if (ns === undefined) throw new DiagnosticError(error(range, 'Unsuitable value', INT64_MESSAGE));
    return Number(ns);
  }
  if (typeof value === 'string') {
    const ns = parseGoDuration(value);
    if (ns === undefined)
      throw new DiagnosticError(
        error(
          range,
          `Invalid duration "${value}"`,
          'Use a Go duration such as "30s", "5m", "1h30m" or "250ms" (units ns, us, ms, s, m, h; no "d").',
        ),
      );
    return ns;
  }
  throw new DiagnosticError(
    error(range, 'Unsuitable value type', `A duration string is required, not ${describeValue(value)}.`),
  );
}

// ---- free-form maps ------------------------------------------------------------------------------------

/** Free-form maps whose every value is a string, as they were built: already maps of strings. */
const STRING_MAPS = new WeakSet<Obj>();

/**
 * jobspec2's BlocksAsAttrs: nested blocks become lists of objects (labelled ones nested by label), attributes
 * written as object literals become one-element lists, null attributes are dropped. Nomad does not expand
 * `dynamic` blocks here: they arrive as a literal "dynamic" key, which drover reproduces and warns about.
 */
function freeform(body: Body, dctx: DecodeContext, scope: Readonly<Record<string, Value>>): Obj {
  const ctx = withVariables(dctx.eval, scope);
  const out: Obj = {};
  let onlyStrings = body.blocks.length === 0;
  for (const attr of body.attributes) {
    const { expr } = attr;
    const value = weighed(
      dctx,
      attempt(dctx, () => evaluate(expr, ctx)),
    );
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') onlyStrings = false;
    setKey(out, attr.name, expr.kind === 'object' ? [value] : value);
  }
  if (onlyStrings) STRING_MAPS.add(out);
  const byType = new Map<string, Block[]>();
  for (const block of body.blocks) {
    const same = byType.get(block.type);
    if (same) same.push(block);
    else byType.set(block.type, [block]);
  }
  for (const [type, blocks] of byType) {
    if (type === 'dynamic')
      record(dctx, {
        severity: 'warning',
        summary: 'dynamic block inside a free-form map',
        detail:
          'Nomad does not expand dynamic blocks inside config (or other free-form maps): it sends them as a literal "dynamic" key. Write the blocks out, or build the value with a for expression.',
        range: blocks[0]!.typeRange,
      });
    if (Object.hasOwn(out, type))
      report(
        dctx,
        blocks[0]!.typeRange,
        `"${type}" is set twice`,
        `"${type}" is both an attribute and a block here.`,
      );
    setKey(
      out,
      type,
      blocks.map((block) => {
        let value: Value = freeform(block.body, dctx, scope);
        for (const label of [...block.labels].reverse()) value = { [label.value]: [value] };
        return value;
      }),
    );
  }
  return out;
}

// ---- structs -------------------------------------------------------------------------------------------

export interface StructOptions {
  /** Attributes and blocks this body may hold that the caller handles itself. */
  readonly handled?: ReadonlySet<string>;
  readonly scope?: Readonly<Record<string, Value>>;
  /** The block as the user wrote it, named in messages: the "update" block, the "group" "web" block. */
  readonly block?: Block;
}

/** Decodes a block body into the api struct `name`, every field present in Go declaration order. */
export function decodeStruct(
  name: string,
  body: Body,
  dctx: DecodeContext,
  label: string | undefined,
  options: StructOptions = {},
): Obj {
  const { rows, attrRows, blockRows, template } = structIndex(name);
  const scope = options.scope ?? NO_VARIABLES;
  const ctx = withVariables(dctx.eval, scope);
  const inner: DecodeContext = ctx === dctx.eval ? dctx : { ...dctx, eval: ctx };
  const handled = options.handled ?? NOTHING_HANDLED;
  const blocks = expandBlocks(body, inner);

  for (const attr of body.attributes) {
    if (attrRows.has(attr.name) || handled.has(attr.name)) continue;
    if (blockRows.has(attr.name)) {
      report(
        dctx,
        attr.nameRange,
        `Unsupported argument "${attr.name}"`,
        `"${attr.name}" is a block here: write ${attr.name} { … }.`,
      );
      continue;
    }
    const hint = suggest(attr.name, [...attrRows.keys(), ...handled]);
    report(
      dctx,
      attr.nameRange,
      `Unsupported argument "${attr.name}"`,
      hint
        ? `An argument named "${attr.name}" is not expected in ${describeStruct(name, options.block)}; did you mean "${hint}"?`
        : `${describeStruct(name, options.block)} has no argument "${attr.name}".`,
    );
  }
  for (const { block } of blocks) {
    if (blockRows.has(block.type) || handled.has(block.type)) continue;
    if (attrRows.has(block.type)) {
      report(
        dctx,
        block.typeRange,
        `Unsupported block type "${block.type}"`,
        `"${block.type}" is an argument here: write ${block.type} = …`,
      );
      continue;
    }
    const hint = suggest(block.type, [...blockRows.keys(), ...handled]);
    report(
      dctx,
      block.typeRange,
      `Unsupported block type "${block.type}"`,
      hint
        ? `Blocks of type "${block.type}" are not expected in ${describeStruct(name, options.block)}; did you mean "${hint}"?`
        : `${describeStruct(name, options.block)} has no "${block.type}" block.`,
    );
  }

  // Rows outnumber a body's items: look items up by name instead of scanning the body once per row.
  const present: Present = {
    range: body.range,
    attributes: new Map(body.attributes.map((a) => [a.name, a])),
    blocks: new Map(),
  };
  for (const scoped of blocks) {
    const same = present.blocks.get(scoped.block.type);
    if (same) same.push(scoped);
    else present.blocks.set(scoped.block.type, [scoped]);
  }
  const out: Obj = { ...template };
  for (const row of rows)
    out[row[0]] = handled.has(row[1]) ? zero(row) : decodeField(row, present, inner, label, scope);
  dctx.places?.set(out, { struct: name, body, block: options.block });
  return out;
}

interface StructIndex {
  readonly rows: readonly FieldRow[];
  readonly attrRows: ReadonlyMap<string, FieldRow>;
  readonly blockRows: ReadonlyMap<string, FieldRow>;
  /** Whether the struct's blocks take a label (a group's name, a port's). */
  readonly labelled: boolean;
  /**
   * Every field, null: a decoded struct starts as a copy, so it shares one compact layout with every other of its
   * kind (one built a field at a time turned into a hash table, four times the size).
   */
  readonly template: Obj;
}

const NOTHING_HANDLED: ReadonlySet<string> = new Set();

const structIndexes = new Map<string, StructIndex>();

/** A struct's rows by HCL name, built once per process: every block of every file decodes through them. */
function structIndex(name: string): StructIndex {
  let index = structIndexes.get(name);
  if (index) return index;
  const rows = API_STRUCTS[name];
  if (!rows) throw new Error(`no api struct ${name}`);
  index = {
    rows,
    attrRows: new Map(rows.filter((r) => r[2] === 'attr' || r[2] === 'required').map((r) => [r[1], r])),
    blockRows: new Map(rows.filter((r) => r[2] === 'block').map((r) => [r[1], r])),
    labelled: rows.some((r) => r[2] === 'label'),
    template: Object.fromEntries(rows.map((r) => [r[0], null])) as Obj,
  };
  structIndexes.set(name, index);
  return index;
}

function describeStruct(name: string, block?: Block): string {
  if (block) return `the ${blockTitle(block)} block`;
  const names: Record<string, string> = { Job: 'the job block', TaskGroup: 'a group', Task: 'a task' };
  return names[name] ?? `this ${name} block`;
}

/** A struct with every field unset: null pointers and collections, zero scalars. */
export function emptyStruct(name: string): Obj {
  return Object.fromEntries(API_STRUCTS[name]!.map((row) => [row[0], zero(row)]));
}

function zero(row: FieldRow): Value {
  if (row[4]) return null;
  if (row[3] === 'string') return '';
  if (row[3] === 'duration' || goInt(row[3])) return 0;
  if (row[3] === 'bool') return false;
  return null;
}

/** Structs whose blocks' labels must differ within one body. */
const UNIQUE_NAMES: ReadonlySet<string> = new Set(['TaskGroup', 'Task', 'Port', 'Action', 'Secret']);

const splitKinds = new Map<string, readonly [string, string | undefined]>();

/** "list:Task" → ["list", "Task"], once per kind. */
function splitKind(kind: string): readonly [string, string | undefined] {
  let split = splitKinds.get(kind);
  if (!split) splitKinds.set(kind, (split = kind.split(':') as [string, string | undefined]));
  return split;
}

/** A body's attributes by name and blocks by type. */
interface Present {
  readonly range: Range;
  readonly attributes: ReadonlyMap<string, Body['attributes'][number]>;
  readonly blocks: Map<string, ScopedBlock[]>;
}

function decodeField(
  row: FieldRow,
  present: Present,
  dctx: DecodeContext,
  label: string | undefined,
  scope: Readonly<Record<string, Value>>,
): Value {
  const [, hcl, role, kind, nullable] = row;
  if (role === 'label') return label ?? zero(row);
  if (role === 'attr' || role === 'required') {
    const attr = present.attributes.get(hcl);
    if (!attr) {
      if (role === 'required')
        report(
          dctx,
          present.range,
          `Missing required argument "${hcl}"`,
          `The argument "${hcl}" is required here.`,
        );
      return zero(row);
    }
    try {
      const evaluated = weighed(dctx, evaluate(attr.expr, dctx.eval));
      if (evaluated === null && kind === 'duration') return duration(null, attr.expr.range);
      // gohcl decodes null only into a pointer, slice or map; a plain Go field refuses it.
      if (evaluated === null && !nullable)
        fail(
          attr.expr.range,
          'Unsuitable value type',
          `Unsuitable value: null value is not allowed for "${hcl}".`,
        );
      return toKind(kind, evaluated, attr.expr.range, hcl);
    } catch (caught) {
      if (!recordable(caught)) throw caught;
      record(dctx, caught.diagnostic);
      return zero(row);
    }
  }
  if (role !== 'block') return zero(row);
  const mine = present.blocks.get(hcl);
  if (!mine) return zero(row);
  const [kindName, struct] = splitKind(kind);
  if (kind === 'map(string)' || kind === 'map(list(string))' || kind === 'freeform') {
    if (mine.length > 1)
      report(
        dctx,
        mine[1]!.block.typeRange,
        `Duplicate ${hcl} block`,
        `Only one "${hcl}" block is allowed here; merge them.`,
      );
    const { block, scope: extra } = mine[0]!;
    const labelsOk = checkLabels(block, 0, dctx);
    if (!labelsOk) return zero(row);
    if (kind === 'freeform') return goValue(freeform(block.body, dctx, mergeScopes(scope, extra)));
    const map = freeform(block.body, dctx, mergeScopes(scope, extra));
    return attempt(dctx, () => toKind(kind, map, block.range, hcl)) ?? zero(row);
  }
  const labelled = structIndex(struct!).labelled;
  const decodeOne = ({ block, scope: extra }: ScopedBlock) =>
    checkLabels(block, labelled ? 1 : 0, dctx)
      ? decodeBlock(
          struct!,
          block,
          dctx,
          labelled ? block.labels[0]!.value : undefined,
          mergeScopes(scope, extra),
        )
      : undefined;
  if (kindName === 'struct') {
    if (mine.length > 1)
      report(
        dctx,
        mine[1]!.block.typeRange,
        `Duplicate ${hcl} block`,
        `Only one "${hcl}" block is allowed here; the first one is at line ${mine[0]!.block.range.start.line}.`,
      );
    return decodeOne(mine[0]!) ?? zero(row);
  }
  if (kindName === 'list') {
    const seen = new Map<string, Block>();
    for (const { block } of mine) {
      const name = block.labels[0]?.value;
      if (!labelled || name === undefined || !UNIQUE_NAMES.has(struct!)) continue;
      const previous = seen.get(name);
      if (previous)
        report(
          dctx,
          block.labels[0]!.range,
          `Duplicate ${hcl} "${name}"`,
          `${hcl} "${name}" is already defined at line ${previous.range.start.line}; ${hcl} names must be unique.`,
        );
      seen.set(name, block);
    }
    return mine.map(decodeOne).filter((v): v is Obj => v !== undefined);
  }
  // map:X — labelled blocks keyed by label (group volumes)
  const out: Obj = {};
  for (const scoped of mine) {
    const value = decodeOne(scoped);
    if (value === undefined) continue;
    const name = scoped.block.labels[0]!.value;
    if (Object.hasOwn(out, name))
      report(
        dctx,
        scoped.block.labels[0]!.range,
        `Duplicate ${hcl} "${name}"`,
        `${hcl} "${name}" is defined twice.`,
      );
    setKey(out, name, value);
  }
  return out;
}

function checkLabels(block: Block, expected: number, dctx: DecodeContext): boolean {
  if (block.labels.length === expected) return true;
  if (block.labels.length < expected)
    report(
      dctx,
      block.typeRange,
      `Missing name for ${block.type}`,
      `A ${block.type} block needs a name: ${block.type} "name" { … }.`,
    );
  else
    report(
      dctx,
      rangeBetween(block.labels[expected]!.range, block.labels[block.labels.length - 1]!.range),
      `Extraneous label for ${block.type}`,
      expected === 0 ? `A ${block.type} block takes no name.` : `A ${block.type} block takes one name.`,
    );
  return false;
}

/** Decodes one block into struct `name`, with jobspec2's per-type rules. */
function decodeBlock(
  name: string,
  block: Block,
  dctx: DecodeContext,
  label: string | undefined,
  scope: Readonly<Record<string, Value>>,
): Obj {
  switch (name) {
    case 'Constraint':
      return shorthand(block, dctx, scope, 'Constraint');
    case 'Affinity':
      return shorthand(block, dctx, scope, 'Affinity');
    case 'TaskGroup':
      return decodeGroup(block, dctx, label!, scope);
    case 'Task':
      return decodeTask(block, dctx, label!, scope);
    default:
      return decodeStruct(name, block.body, dctx, label, { scope, block });
  }
}

function blockTitle(block: Block): string {
  return [`"${block.type}"`, ...block.labels.map((l) => `"${l.value}"`)].join(' ');
}

/**
 * An affinity's weight as jobspec2 decodes it (hcl_conversions.go): any number, truncated to an int64, then
 * converted to Go's int8 the way Go converts, wrapping (300 is 44, 2.9 is 2), where a spread's weight is refused.
 */
function affinityWeight(value: Value, range: Range): Value {
  if (value === null) return null;
  const n = isNumber(value) ? value : typeof value === 'string' ? parseNumber(value) : undefined;
  if (n === undefined)
    throw new DiagnosticError(
      error(range, 'Unsuitable value for "weight"', `A number is required, not ${describeValue(value)}.`),
    );
  const big = toBigFloat(n);
  const int64 = goInt('int')!;
  const truncated = big.infinite ? (big.negative ? int64.min : int64.max) : big.truncate();
  const clamped = truncated < int64.min ? int64.min : truncated > int64.max ? int64.max : truncated;
  return Number(BigInt.asIntN(8, clamped));
}

function shorthand(
  block: Block,
  dctx: DecodeContext,
  scope: Readonly<Record<string, Value>>,
  struct: 'Constraint' | 'Affinity',
): Obj {
  const constraint = struct === 'Constraint';
  const extras = constraint
    ? [
        ...CONSTRAINT_SHORTHANDS,
        'distinct_hosts',
        'distinct_property',
        'set_contains_any',
        'set_contains_all',
        'is_set',
        'is_not_set',
      ]
    : [...AFFINITY_SHORTHANDS, 'weight'];
  const out = decodeStruct(struct, block.body, dctx, undefined, {
    scope,
    handled: new Set(extras),
    block,
  });
  const ctx = withVariables(dctx.eval, scope);
  const weight = constraint ? undefined : block.body.attributes.find((a) => a.name === 'weight');
  if (weight) {
    const decoded = attempt(dctx, () => affinityWeight(evaluate(weight.expr, ctx), weight.expr.range));
    if (decoded !== undefined) out.Weight = decoded;
  }
  const value = (attrName: string, kind: 'string' | 'bool') => {
    const attr = block.body.attributes.find((a) => a.name === attrName);
    if (!attr) return undefined;
    return attempt(dctx, () => toKind(kind, evaluate(attr.expr, ctx), attr.expr.range, attrName)) as
      string | boolean | null | undefined;
  };
  for (const operand of constraint ? CONSTRAINT_SHORTHANDS : AFFINITY_SHORTHANDS) {
    const v = value(operand, 'string');
    if (typeof v === 'string' && v !== '') {
      out.Operand = operand;
      out.RTarget = v;
    }
  }
  if (constraint) {
    const hosts = value('distinct_hosts', 'bool');
    if (typeof hosts === 'boolean') {
      out.Operand = 'distinct_hosts';
      out.RTarget = String(hosts);
    }
    const property = value('distinct_property', 'string');
    if (typeof property === 'string' && property !== '') {
      out.Operand = 'distinct_property';
      out.LTarget = property;
    }
    // Accepted but not mapped by jobspec2 (reference §11.2): write operator = "…" instead.
    for (const ignored of ['set_contains_any', 'set_contains_all', 'is_set', 'is_not_set'])
      value(ignored, 'string');
  }
  if (out.Operand === '') out.Operand = '=';
  return out;
}

/** `meta = { … }` / `env = { … }` as an attribute, which jobspec2 allows beside the block form (not both). */
function attributeMap(
  body: Body,
  name: string,
  dctx: DecodeContext,
  scope: Readonly<Record<string, Value>>,
): Value | undefined {
  const attr = body.attributes.find((a) => a.name === name);
  if (!attr) return undefined;
  const block = body.blocks.find((b) => b.type === name);
  if (block) {
    report(
      dctx,
      block.typeRange,
      `Duplicate ${name} block`,
      `${name} may not be defined more than once. Another definition is at line ${attr.range.start.line}.`,
    );
    return undefined;
  }
  return attempt(dctx, () =>
    toKind(
      'map(string)',
      weighed(dctx, evaluate(attr.expr, withVariables(dctx.eval, scope))),
      attr.expr.range,
      name,
    ),
  );
}

/** A `meta = {…}` or `env = {…}` attribute is the map, also when its value fails (its own error says why): never a block. */
const hasAttribute = (body: Body, name: string) => body.attributes.some((attr) => attr.name === name);

function decodeGroup(
  block: Block,
  dctx: DecodeContext,
  name: string,
  scope: Readonly<Record<string, Value>>,
): Obj {
  const body = block.body;
  const meta = attributeMap(body, 'meta', dctx, scope);
  const group = decodeStruct('TaskGroup', body, dctx, name, {
    scope,
    handled: new Set(['vault', 'secret', ...(hasAttribute(body, 'meta') ? ['meta'] : [])]),
    block,
  });
  if (meta !== undefined) group.Meta = meta;
  // A Connect gateway group needs no task: Nomad's servers inject the gateway's (nomad job validate does not).
  const gateway = ((group.Services as Obj[] | null) ?? []).some((s) => (s.Connect as Obj | null)?.Gateway);
  const taskless = ((group.Tasks as Obj[] | null) ?? []).length === 0;
  if (taskless && !gateway)
    report(
      dctx,
      block.typeRange,
      'Missing task',
      `Group "${name}" has no task block; add task "name" { driver = "…" }.`,
    );
  else if (taskless && dctx.verdict === 'validate')
    report(
      dctx,
      block.typeRange,
      'Missing tasks for task group',
      `In group "${name}": nomad job validate refuses it. Nomad's servers add the task its Connect gateway needs: plan and apply leave this verdict to them.`,
    );
  const extras = expandBlocks(body, { ...dctx, eval: withVariables(dctx.eval, scope) });
  const vaultBlock = extras.find((b) => b.block.type === 'vault');
  const vault = vaultBlock
    ? decodeStruct('Vault', vaultBlock.block.body, dctx, undefined, {
        scope: mergeScopes(scope, vaultBlock.scope),
        block: vaultBlock.block,
      })
    : undefined;
  const secrets = extras
    .filter((b) => b.block.type === 'secret' && checkLabels(b.block, 1, dctx))
    .map((b) =>
      decodeStruct('Secret', b.block.body, dctx, b.block.labels[0]!.value, {
        scope: mergeScopes(scope, b.scope),
        block: b.block,
      }),
    );
  for (const task of (group.Tasks as Obj[] | null) ?? []) {
    if (vault && task.Vault === null) task.Vault = vault;
    // jobspec2 gives the group's secrets to tasks without their own, and (an upstream quirk) doubles the
    // list of a task that has some.
    if (secrets.length > 0)
      task.Secrets = (task.Secrets as Obj[] | null)?.length
        ? [...(task.Secrets as Obj[]), ...(task.Secrets as Obj[])]
        : secrets;
  }
  const scaling = group.Scaling as Obj | null;
  if (scaling) {
    if (scaling.Type === null || scaling.Type === '') scaling.Type = 'horizontal';
    const scalingBlock = body.blocks.find((b) => b.type === 'scaling');
    if (scaling.Type !== 'horizontal')
      report(
        dctx,
        scalingBlock?.range ?? block.range,
        'Invalid group scaling type',
        `task group scaling policy had invalid type: "${scaling.Type}"`,
      );
    if (scaling.Max === null)
      report(
        dctx,
        scalingBlock?.typeRange ?? block.range,
        'Missing required argument "max"',
        'A group scaling block needs max = <count>.',
      );
  }
  return group;
}

function decodeTask(
  block: Block,
  dctx: DecodeContext,
  name: string,
  scope: Readonly<Record<string, Value>>,
): Obj {
  const body = block.body;
  const env = attributeMap(body, 'env', dctx, scope);
  const meta = attributeMap(body, 'meta', dctx, scope);
  const handled = new Set([
    'scaling',
    ...(hasAttribute(body, 'env') ? ['env'] : []),
    ...(hasAttribute(body, 'meta') ? ['meta'] : []),
  ]);
  const task = decodeStruct('Task', body, dctx, name, { scope, handled, block });
  if (env !== undefined) task.Env = env;
  if (meta !== undefined) task.Meta = meta;
  const driver = body.attributes.find((attr) => attr.name === 'driver');
  if (!driver)
    report(
      dctx,
      block.typeRange,
      `Missing required argument "driver"`,
      `Task "${name}" needs a driver, such as driver = "docker" or driver = "exec".`,
    );
  // A driver that failed to evaluate has its own error; one set to "" is Nomad's "Missing task driver".
  else if (task.Driver === '' && dctx.diagnostics.every((d) => d.range !== driver.expr.range))
    report(
      dctx,
      driver.expr.range,
      'Missing task driver',
      `Task "${name}": name a driver, such as "docker" or "exec".`,
    );
  const seen = new Map<string, Block>();
  const policies: Obj[] = [];
  for (const { block, scope: extra } of expandBlocks(body, {
    ...dctx,
    eval: withVariables(dctx.eval, scope),
  })) {
    if (block.type !== 'scaling') continue;
    if (!checkLabels(block, 1, dctx)) continue;
    const label = block.labels[0]!;
    const kind = label.value.toLowerCase();
    if (kind !== 'cpu' && kind !== 'mem') {
      report(dctx, label.range, 'Invalid scaling policy name', 'scaling policy name must be "cpu" or "mem"');
      continue;
    }
    if (seen.has(kind)) {
      report(
        dctx,
        label.range,
        `Duplicate scaling "${kind}" block`,
        `Only one scaling "${kind}" block is allowed in a task.`,
      );
      continue;
    }
    seen.set(kind, block);
    const policy = decodeStruct('ScalingPolicy', block.body, dctx, undefined, {
      scope: mergeScopes(scope, extra),
      block,
    });
    const type = kind === 'cpu' ? 'vertical_cpu' : 'vertical_mem';
    if (policy.Type !== null && policy.Type !== '' && policy.Type !== type)
      report(
        dctx,
        block.range,
        'Invalid scaling policy type',
        `scaling "${kind}" has type "${policy.Type}"; it must be "${type}" or left out.`,
      );
    policy.Type = type;
    if (policy.Max === null)
      report(
        dctx,
        block.typeRange,
        'Missing required argument "max"',
        'A task scaling block needs max = <value>.',
      );
    policies.push(policy);
  }
  if (policies.length > 0) task.ScalingPolicies = policies;
  return task;
}

export interface JobExtras {
  readonly vault?: Obj;
  readonly secrets: Obj[];
  readonly tasks: Obj[];
}

/** The `job` block's body: the Job struct plus its job-level vault, secret and task blocks. */
export function decodeJobBody(body: Body, dctx: DecodeContext): { job: Obj; extras: JobExtras } {
  const meta = attributeMap(body, 'meta', dctx, {});
  const job = decodeStruct('Job', body, dctx, undefined, {
    handled: new Set(['vault', 'secret', 'task', ...(hasAttribute(body, 'meta') ? ['meta'] : [])]),
  });
  if (meta !== undefined) job.Meta = meta;
  const blocks = expandBlocks(body, dctx);
  const vaults = blocks.filter((b) => b.block.type === 'vault');
  if (vaults.length > 1)
    report(
      dctx,
      vaults[1]!.block.typeRange,
      'Duplicate vault block',
      `Only one block of type "vault" is allowed. Previous definition was at line ${vaults[0]!.block.range.start.line}.`,
    );
  const vault = vaults[0]
    ? decodeStruct('Vault', vaults[0].block.body, dctx, undefined, {
        scope: vaults[0].scope,
        block: vaults[0].block,
      })
    : undefined;
  const secrets = blocks
    .filter((b) => b.block.type === 'secret' && checkLabels(b.block, 1, dctx))
    .map((b) =>
      decodeStruct('Secret', b.block.body, dctx, b.block.labels[0]!.value, {
        scope: b.scope,
        block: b.block,
      }),
    );
  const tasks = blocks
    .filter((b) => b.block.type === 'task' && checkLabels(b.block, 1, dctx))
    .map((b) => decodeTask(b.block, dctx, b.block.labels[0]!.value, b.scope));
  return { job, extras: { vault, secrets, tasks } };
}
