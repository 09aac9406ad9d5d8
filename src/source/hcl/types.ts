/**
 * HCL values as drover evaluates them (plain JSON-like values), and type constraints for `variable` blocks with
 * cty's conversions (string ↔ number ↔ bool, tuple → list/set, object → map, element types converted).
 */
import type { Expression } from './ast.js';
import { BigFloat } from './big-float.js';
import { formatNumber, isNumber, parseNumber, type NumberValue } from './numbers.js';

export type Value = string | NumberValue | boolean | null | Value[] | { [key: string]: Value };

export type HclType =
  | { readonly kind: 'string' | 'number' | 'bool' | 'any' }
  | { readonly kind: 'list' | 'set' | 'map'; readonly element: HclType }
  | {
      readonly kind: 'object';
      readonly attributes: Readonly<Record<string, HclType>>;
      readonly optional: ReadonlySet<string>;
    }
  | { readonly kind: 'tuple'; readonly elements: readonly HclType[] };

/** Sets an own key, `__proto__` included (an assignment would set the object's prototype instead). */
export function setKey(object: Record<string, Value>, key: string, value: Value): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

export const isObject = (v: Value | undefined): v is { [key: string]: Value } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof BigFloat);

/**
 * Values of cty's map types (a variable's `map(…)` type, convert(), a merge of maps); every other `{…}` is an
 * object, which length() refuses as Nomad does. Marked by identity: a map is never changed after it is made.
 */
const MAPS = new WeakSet<object>();

export function asMap<T extends { [key: string]: Value }>(value: T): T {
  MAPS.add(value);
  return value;
}

export const isMap = (v: Value | undefined): v is { [key: string]: Value } => isObject(v) && MAPS.has(v);

/** A text that two values share exactly when cty finds them equal (numbers by value, whatever their precision). */
export function valueKey(v: Value): string {
  if (v instanceof BigFloat) {
    if (v.isZero) return '0';
    if (v.isSafeInteger) return String(v.truncate());
    return `#${v.negative ? '-' : ''}${v.infinite ? 'inf' : `${v.mant.toString(16)}p${v.exp}`}`;
  }
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${valueKey(v[k]!)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/**
 * Whether cty finds two values equal: valueKey's answer, without writing out a whole job to find it is not null
 * (`c.desired == null` in a check). A string, a bool or null equals only itself; numbers and collections are
 * compared by their keys.
 */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return valueKey(a) === valueKey(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return valueKey(a) === valueKey(b);
}

export function typeName(type: HclType): string {
  switch (type.kind) {
    case 'list':
    case 'set':
    case 'map':
      return `${type.kind}(${typeName(type.element)})`;
    case 'object':
      return `object({${Object.entries(type.attributes)
        .map(([k, t]) => `${k}=${type.optional.has(k) ? `optional(${typeName(t)})` : typeName(t)}`)
        .join(', ')}})`;
    case 'tuple':
      return `tuple([${type.elements.map(typeName).join(', ')}])`;
    default:
      return type.kind;
  }
}

export function describeValue(value: Value): string {
  if (value === null) return 'null';
  if (isNumber(value)) return 'a number';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value === 'boolean' ? 'bool' : typeof value}`;
}

/** A type constraint expression (`list(string)`, `object({ a = number })`), or an error message. */
export function parseType(expr: Expression): HclType | string {
  if (expr.kind === 'variable') {
    if (['string', 'number', 'bool', 'any'].includes(expr.name)) return { kind: expr.name as 'string' };
    if (['list', 'set', 'map'].includes(expr.name))
      return { kind: expr.name as 'list', element: { kind: 'any' } };
    return `"${expr.name}" is not a type; use string, number, bool, any, list(…), set(…), map(…), object({…}) or tuple([…])`;
  }
  if (expr.kind === 'call') {
    const [arg] = expr.args;
    if (['list', 'set', 'map'].includes(expr.name)) {
      if (expr.args.length !== 1 || !arg) return `${expr.name}(…) takes one element type`;
      const element = parseType(arg);
      return typeof element === 'string' ? element : { kind: expr.name as 'list', element };
    }
    if (expr.name === 'object') {
      if (expr.args.length !== 1 || arg?.kind !== 'object')
        return 'object(…) takes an object of attribute types: object({ name = string })';
      const attributes: Record<string, HclType> = {};
      const optional = new Set<string>();
      for (const item of arg.items) {
        const key = item.key.kind === 'variable' ? item.key.name : undefined;
        if (!key) return 'object type attribute names must be plain names';
        let typeExpr = item.value;
        if (typeExpr.kind === 'call' && typeExpr.name === 'optional' && typeExpr.args[0]) {
          optional.add(key);
          typeExpr = typeExpr.args[0];
        }
        const type = parseType(typeExpr);
        if (typeof type === 'string') return type;
        attributes[key] = type;
      }
      return { kind: 'object', attributes, optional };
    }
    if (expr.name === 'tuple') {
      if (expr.args.length !== 1 || arg?.kind !== 'tuple')
        return 'tuple(…) takes a list of element types: tuple([string, number])';
      const elements: HclType[] = [];
      for (const item of arg.items) {
        const type = parseType(item);
        if (typeof type === 'string') return type;
        elements.push(type);
      }
      return { kind: 'tuple', elements };
    }
    return `"${expr.name}(…)" is not a type constructor`;
  }
  return 'a type constraint is a type keyword or constructor, such as string or list(number)';
}

/** Converts a value to a type as cty does; throws an Error whose message says what does not fit. */
export function convert(value: Value, type: HclType, path = ''): Value {
  const where = path === '' ? '' : ` at ${path}`;
  if (type.kind === 'any' || value === null) return value;
  switch (type.kind) {
    case 'string':
      if (typeof value === 'string') return value;
      if (isNumber(value) || typeof value === 'boolean') return formatScalar(value);
      break;
    case 'number': {
      if (isNumber(value)) return value;
      const parsed = typeof value === 'string' ? parseNumber(value) : undefined;
      if (parsed !== undefined) return parsed;
      break;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      break;
    case 'list':
    case 'set':
      if (Array.isArray(value)) {
        const items = value.map((item, i) => convert(item, type.element, `${path}[${i}]`));
        if (type.kind === 'set') return [...new Map(items.map((v) => [valueKey(v), v])).values()];
        return items;
      }
      break;
    case 'tuple':
      if (Array.isArray(value)) {
        if (value.length !== type.elements.length)
          throw new Error(`a tuple of ${type.elements.length} elements is required${where}`);
        return value.map((item, i) => convert(item, type.elements[i]!, `${path}[${i}]`));
      }
      break;
    case 'map':
      if (isObject(value))
        return asMap(
          Object.fromEntries(
            Object.entries(value).map(([k, v]) => [k, convert(v, type.element, `${path}["${k}"]`)]),
          ),
        );
      break;
    case 'object':
      if (isObject(value)) {
        const out: Record<string, Value> = {};
        for (const [name, attrType] of Object.entries(type.attributes)) {
          if (!Object.hasOwn(value, name)) {
            if (type.optional.has(name)) {
              out[name] = null;
              continue;
            }
            throw new Error(`attribute "${name}" is required${where}`);
          }
          out[name] = convert(value[name]!, attrType, path === '' ? name : `${path}.${name}`);
        }
        return out;
      }
      break;
  }
  throw new Error(`${typeName(type)} required${where}, got ${describeValue(value)}`);
}

/** Numbers and bools as HCL prints them into strings. */
export function formatScalar(value: NumberValue | boolean): string {
  if (typeof value === 'boolean') return String(value);
  return formatNumber(value);
}
