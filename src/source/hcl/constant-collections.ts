/**
 * Lists and objects whose items are all constant, kept as their value: `[1, 1, …]` written 4.75 million times in a
 * 9 MB file took 104 bytes an item as syntax nodes (870 MB at peak). A folded list keeps its items' offsets and
 * still reads as a `tuple` node: `items` builds the item nodes when asked for (the positions of a `depends_on`
 * list's names); evaluation copies the value without them. A folded object keeps its items as written (one is
 * small), but inside a list only its value is kept.
 */
import type { Expression, ObjectItem } from './ast.js';
import { SourceSpan, type Range } from './diagnostics.js';
import { isObject, setKey, type Value } from './types.js';

/** An item folded into its parent's value: a literal, or a list or object that was folded itself. */
export type ConstantExpression = Extract<Expression, { kind: 'constant' }>;

export class ConstantTuple {
  readonly kind = 'tuple';

  constructor(
    readonly value: Value[],
    /** Start and end offset of each item, in pairs. */
    private readonly offsets: Int32Array,
    readonly range: SourceSpan,
  ) {}

  get items(): Expression[] {
    return itemNodes(this.value, this.offsets, this.range);
  }
}

export class ConstantObject {
  readonly kind = 'object';

  constructor(
    readonly value: Record<string, Value>,
    readonly items: ObjectItem[],
    readonly range: SourceSpan,
  ) {}
}

/** The value an expression has whatever the variables, or NOT_CONSTANT. */
export const NOT_CONSTANT = Symbol('not constant');

export function constantOf(expr: Expression): Value | typeof NOT_CONSTANT {
  if (expr.kind === 'literal' || expr.kind === 'constant') return expr.value;
  if (expr instanceof ConstantTuple || expr instanceof ConstantObject) return expr.value;
  return NOT_CONSTANT;
}

/** A fresh copy: an evaluation's value may end up in the job more than once, and each is its own. */
export function copyOf(value: Value): Value {
  if (Array.isArray(value)) return value.map(copyOf);
  if (isObject(value)) {
    const out: Record<string, Value> = {};
    for (const key of Object.keys(value)) setKey(out, key, copyOf(value[key]!));
    return out;
  }
  return value;
}

/** A list's items as they are read: folded while every one is constant, as syntax nodes from the first that is not. */
export class TupleBuilder {
  private values: Value[] | undefined = [];
  /** Start and end offset of each item, in pairs; grown by doubling. */
  private offsets = new Int32Array(16);
  /** The first folded item's range: the source the offsets point into. */
  private source: SourceSpan | undefined;
  private nodes: Expression[] = [];

  add(item: Expression): void {
    const value = this.values && item.range instanceof SourceSpan ? constantOf(item) : NOT_CONSTANT;
    if (value === NOT_CONSTANT) {
      this.unfold();
      this.nodes.push(item);
      return;
    }
    this.source ??= item.range as SourceSpan;
    const at = 2 * this.values!.push(value);
    if (at > this.offsets.length) {
      const grown = new Int32Array(2 * this.offsets.length);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    const range = item.range as SourceSpan;
    this.offsets[at - 2] = range.startOffset;
    this.offsets[at - 1] = range.endOffset;
  }

  /** The list node: folded when every item was constant. */
  build(range: Range): Expression {
    if (this.values && range instanceof SourceSpan)
      return new ConstantTuple(this.values, this.offsets.slice(0, 2 * this.values.length), range);
    this.unfold();
    return { kind: 'tuple', items: this.nodes.slice(), range };
  }

  private unfold(): void {
    if (!this.values) return;
    if (this.source) this.nodes = itemNodes(this.values, this.offsets, this.source);
    this.values = undefined;
    this.offsets = new Int32Array(0);
  }
}

/**
 * An object of constant values under plain keys (names, or quoted strings without interpolations), folded;
 * undefined for any other. Its items stay as written: an object literal is small, a list of a million is not.
 */
export function foldedObject(items: ObjectItem[], range: Range): ConstantObject | undefined {
  if (!(range instanceof SourceSpan)) return undefined;
  const value: Record<string, Value> = {};
  for (const item of items) {
    const key = item.bareKey && item.key.kind === 'variable' ? item.key.name : constantOf(item.key);
    if (typeof key !== 'string') return undefined;
    const itemValue = constantOf(item.value);
    if (itemValue === NOT_CONSTANT) return undefined;
    setKey(value, key, itemValue);
  }
  return new ConstantObject(value, items, range);
}

/** The nodes of folded items, at their offsets (start and end in pairs) in `source`'s file. */
function itemNodes(values: readonly Value[], offsets: Int32Array, source: SourceSpan): Expression[] {
  return values.map((value, i) => nodeFor(value, source.sibling(offsets[2 * i]!, offsets[2 * i + 1]!)));
}

function nodeFor(value: Value, range: Range): Expression {
  if (Array.isArray(value) || isObject(value)) return { kind: 'constant', value, range };
  return { kind: 'literal', value, range };
}
