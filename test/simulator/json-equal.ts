/**
 * Whether two values would serialise to the same JSON text, found without writing either: the walk stops at the
 * first difference. JSON.stringify's rules: keys compared in their order, a value it drops (undefined, a function)
 * left out of an object and null in an array, a non-finite number null, an object with toJSON as it serialises.
 * `ignoredKeys`: members of the two top-level objects left out of the comparison.
 */
export function sameJson(a: unknown, b: unknown, ignoredKeys?: ReadonlySet<string>): boolean {
  return same(asJson(a), asJson(b), ignoredKeys);
}

const DROPPED = Symbol('dropped');

/** A value as JSON.stringify sees it: DROPPED for what it leaves out, null for a non-finite number. */
function asJson(value: unknown): unknown {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return DROPPED;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

function inArray(value: unknown): unknown {
  const json = asJson(value);
  return json === DROPPED ? null : json;
}

function same(a: unknown, b: unknown, ignoredKeys?: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (hasToJson(a) || hasToJson(b)) return JSON.stringify(a) === JSON.stringify(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  return isArray
    ? sameItems(a as unknown[], b as unknown[])
    : sameMembers(a as Record<string, unknown>, b as Record<string, unknown>, ignoredKeys);
}

function hasToJson(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}

function sameItems(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(inArray(a[i]), inArray(b[i]))) return false;
  return true;
}

function sameMembers(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  ignoredKeys: ReadonlySet<string> | undefined,
): boolean {
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  let i = nextWritten(a, keysA, 0, ignoredKeys);
  let j = nextWritten(b, keysB, 0, ignoredKeys);
  while (i < keysA.length && j < keysB.length) {
    const key = keysA[i]!;
    if (key !== keysB[j] || !same(asJson(a[key]), asJson(b[key]))) return false;
    i = nextWritten(a, keysA, i + 1, ignoredKeys);
    j = nextWritten(b, keysB, j + 1, ignoredKeys);
  }
  return i === keysA.length && j === keysB.length;
}

/** The position of the next key from `from` whose member JSON.stringify writes. */
function nextWritten(
  record: Record<string, unknown>,
  keys: string[],
  from: number,
  ignoredKeys: ReadonlySet<string> | undefined,
): number {
  let i = from;
  while (i < keys.length && (ignoredKeys?.has(keys[i]!) || asJson(record[keys[i]!]) === DROPPED)) i++;
  return i;
}
