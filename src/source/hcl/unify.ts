/**
 * cty's type unification and set order, which decide what list(any) and set(any) arguments become and in what
 * order sets come back. drover's values carry no cty type, so it is read off the value as cty would type the
 * expression that made it: a bracketed list is a tuple, braces an object (a map when marked as one), null of
 * no type yet; a set made by a set function keeps its type (SET_TYPES) until an expression builds something new
 * from it.
 */
import { asMap, formatScalar, isMap, isObject, type Value } from './types.js';
import { compare as compareNumbers, isNumber, toBigFloat, type NumberValue } from './numbers.js';

export type CtyType =
  | { readonly kind: 'dynamic' | 'string' | 'number' | 'bool' }
  | { readonly kind: 'tuple'; readonly elements: readonly CtyType[] }
  | { readonly kind: 'list' | 'set' | 'map'; readonly element: CtyType }
  | { readonly kind: 'object'; readonly attributes: ReadonlyMap<string, CtyType> };

export const DYNAMIC: CtyType = { kind: 'dynamic' };
const PRIMITIVES = new Set(['string', 'number', 'bool']);

const SET_TYPES = new WeakMap<readonly Value[], CtyType>();

/** Marks `values` (already in set order) as a cty set of `element`. */
export function asSet(values: Value[], element: CtyType): Value[] {
  SET_TYPES.set(values, { kind: 'set', element });
  return values;
}

export function isSet(value: Value): boolean {
  return Array.isArray(value) && SET_TYPES.has(value);
}

export function typeOf(value: Value): CtyType {
  if (value === null) return DYNAMIC;
  if (typeof value === 'string') return { kind: 'string' };
  if (typeof value === 'boolean') return { kind: 'bool' };
  if (isNumber(value)) return { kind: 'number' };
  if (Array.isArray(value)) return SET_TYPES.get(value) ?? { kind: 'tuple', elements: value.map(typeOf) };
  const entries = Object.entries(value as Record<string, Value>);
  if (isMap(value)) return { kind: 'map', element: unifyTypes(entries.map(([, v]) => typeOf(v))) ?? DYNAMIC };
  return { kind: 'object', attributes: new Map(entries.map(([k, v]) => [k, typeOf(v)])) };
}

/** The one type all of `types` convert to, as cty's unify picks it; undefined when there is none. */
export function unifyTypes(types: readonly CtyType[]): CtyType | undefined {
  const known = types.filter((t) => t.kind !== 'dynamic');
  if (known.length === 0) return DYNAMIC;
  const hasDynamic = known.length < types.length;
  const kinds = new Set(known.map((t) => t.kind));
  const only = kinds.size === 1 ? known[0]!.kind : undefined;
  // A null beside a structure could become anything: cty leaves the type dynamic (and a list of it fails).
  if (hasDynamic && only !== undefined && !PRIMITIVES.has(only)) return DYNAMIC;
  if (only === 'tuple') return unifyTuples(known as TupleType[]);
  if (only === 'object') return unifyObjects(known as ObjectType[]);
  if (only === 'set' || only === 'list' || only === 'map') {
    const element = unifyTypes(known.map((t) => (t as CollectionType).element));
    return element && { kind: only, element };
  }
  if ([...kinds].some((kind) => !PRIMITIVES.has(kind))) return undefined;
  if (only !== undefined) return known[0];
  // Numbers and bools convert to strings; a number and a bool have no type in common.
  return kinds.has('string') ? { kind: 'string' } : undefined;
}

type TupleType = Extract<CtyType, { kind: 'tuple' }>;
type ObjectType = Extract<CtyType, { kind: 'object' }>;
type CollectionType = Extract<CtyType, { kind: 'list' | 'set' | 'map' }>;

/** Tuples of one length unify element by element; of different lengths, to a list of one element type. */
function unifyTuples(tuples: readonly TupleType[]): CtyType | undefined {
  const length = tuples[0]!.elements.length;
  if (tuples.some((t) => t.elements.length !== length)) {
    const element = unifyTypes(tuples.flatMap((t) => t.elements));
    return element && { kind: 'list', element };
  }
  const elements: CtyType[] = [];
  for (let i = 0; i < length; i++) {
    const element = unifyTypes(tuples.map((t) => t.elements[i]!));
    if (!element) return undefined;
    elements.push(element);
  }
  return { kind: 'tuple', elements };
}

/** Objects with the same attribute names unify attribute by attribute; with different names, to a map. */
function unifyObjects(objects: readonly ObjectType[]): CtyType | undefined {
  const names = [...objects[0]!.attributes.keys()];
  const same = objects.every(
    (o) => o.attributes.size === names.length && names.every((name) => o.attributes.has(name)),
  );
  if (!same) {
    const element = unifyTypes(objects.flatMap((o) => [...o.attributes.values()]));
    return element && { kind: 'map', element };
  }
  const attributes = new Map<string, CtyType>();
  for (const name of names) {
    const attribute = unifyTypes(objects.map((o) => o.attributes.get(name)!));
    if (!attribute) return undefined;
    attributes.set(name, attribute);
  }
  return { kind: 'object', attributes };
}

/** `value` converted to `type` (which unification chose, so the conversion exists). */
export function toType(value: Value, type: CtyType): Value {
  if (value === null) return null;
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? value : formatScalar(value as NumberValue | boolean);
    case 'tuple':
      return (value as Value[]).map((item, i) => toType(item, type.elements[i]!));
    case 'list':
    case 'set':
      return (value as Value[]).map((item) => toType(item, type.element));
    case 'object':
      return Object.fromEntries(
        Object.entries(value as Record<string, Value>).map(([k, v]) => [
          k,
          toType(v, type.attributes.get(k)!),
        ]),
      );
    case 'map':
      return asMap(
        Object.fromEntries(
          Object.entries(value as Record<string, Value>).map(([k, v]) => [k, toType(v, type.element)]),
        ),
      );
    default:
      return value;
  }
}

/** A tuple's elements as one list(any) or set(any) argument converts them; undefined when they have no common type. */
export function unify(values: readonly Value[]): { values: Value[]; element: CtyType } | undefined {
  const element = unifyTypes(values.map(typeOf));
  if (!element || (element.kind === 'dynamic' && values.some((v) => v !== null))) return undefined;
  return { values: values.map((v) => toType(v, element)), element };
}

/**
 * The order cty keeps a set in: strings by their bytes, numbers by value, false before true, anything else by
 * the bytes of cty's hash string of it; null last.
 */
export function setOrder(values: readonly Value[], element: CtyType): Value[] {
  const byKind = (a: Value, b: Value): number => {
    switch (element.kind) {
      case 'string':
        return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string));
      case 'number':
        return compareNumbers(a as NumberValue, b as NumberValue);
      case 'bool':
        return Number(a) - Number(b);
      default:
        return Buffer.compare(Buffer.from(hashString(a, element)), Buffer.from(hashString(b, element)));
    }
  };
  return [...values].sort((a, b) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : byKind(a, b)));
}

/** cty's appendSetHashBytes: the string a set element is ordered by when it is not a primitive. */
function hashString(value: Value, type: CtyType): string {
  if (value === null) return '~';
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (isNumber(value)) return toBigFloat(value).text('g', 10);
  if (typeof value === 'string') return goQuote(value);
  const kind = type.kind === 'dynamic' ? typeOf(value).kind : type.kind;
  if (Array.isArray(value)) {
    const parts = value.map((item, i) => `${hashString(item, elementAt(type, i))};`).join('');
    return kind === 'tuple' ? `<${parts}>` : `[${parts}]`;
  }
  if (!isObject(value)) return '';
  const names = Object.keys(value).sort();
  if (kind === 'map')
    return `{${names.map((k) => `${goQuote(k)}:${hashString(value[k]!, elementAt(type, k))};`).join('')}}`;
  return `<${names.map((k) => `${hashString(value[k]!, elementAt(type, k))};`).join('')}>`;
}

function elementAt(type: CtyType, at: number | string): CtyType {
  if (type.kind === 'tuple') return type.elements[at as number] ?? DYNAMIC;
  if (type.kind === 'object') return type.attributes.get(at as string) ?? DYNAMIC;
  if (type.kind === 'list' || type.kind === 'set' || type.kind === 'map') return type.element;
  return DYNAMIC;
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;
const NAMED_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** Go's strconv.Quote (fmt's %q): printable characters as they are, others escaped. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (NAMED_ESCAPES[ch]) out += NAMED_ESCAPES[ch];
    else {
      const code = ch.codePointAt(0)!;
      if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}

function friendlyName(type: CtyType): string {
  if (type.kind === 'list' || type.kind === 'set' || type.kind === 'map')
    return `${type.kind} of ${friendlyName(type.element)}`;
  return type.kind;
}

function sameType(a: CtyType, b: CtyType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'tuple' && b.kind === 'tuple')
    return a.elements.length === b.elements.length && a.elements.every((t, i) => sameType(t, b.elements[i]!));
  if (a.kind === 'object' && b.kind === 'object')
    return (
      a.attributes.size === b.attributes.size &&
      [...a.attributes].every(([name, t]) => b.attributes.has(name) && sameType(t, b.attributes.get(name)!))
    );
  if ('element' in a && 'element' in b) return sameType(a.element, b.element);
  return true;
}

/** hclsyntax's describeConditionalTypeMismatch: why a conditional's two results have no type in common. */
export function describeMismatch(whenTrue: CtyType, whenFalse: CtyType): string {
  if (whenTrue.kind === 'object' && whenFalse.kind === 'object') {
    for (const name of [...whenTrue.attributes.keys()].sort()) {
      const other = whenFalse.attributes.get(name);
      if (!other)
        return `The 'true' value includes object attribute "${name}", which is absent in the 'false' value`;
      const own = whenTrue.attributes.get(name)!;
      if (!sameType(own, other))
        return `Type mismatch for object attribute "${name}": ${describeMismatch(own, other)}`;
    }
    for (const name of [...whenFalse.attributes.keys()].sort())
      if (!whenTrue.attributes.has(name))
        return `The 'false' value includes object attribute "${name}", which is absent in the 'true' value`;
  }
  if (whenTrue.kind === 'tuple' && whenFalse.kind === 'tuple') {
    const [a, b] = [whenTrue.elements, whenFalse.elements];
    if (a.length !== b.length)
      return `The 'true' tuple has length ${a.length}, but the 'false' tuple has length ${b.length}`;
    const i = a.findIndex((t, index) => !sameType(t, b[index]!));
    if (i >= 0) return `Type mismatch for tuple element ${i}: ${describeMismatch(a[i]!, b[i]!)}`;
  }
  const [trueName, falseName] = [friendlyName(whenTrue), friendlyName(whenFalse)];
  if (trueName === falseName)
    return "At least one deeply-nested attribute or element is not compatible across both the 'true' and the 'false' value";
  return `The 'true' value is ${trueName}, but the 'false' value is ${falseName}`;
}
