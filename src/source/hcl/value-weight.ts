/**
 * What a value weighs, to bound every value an expression builds: roughly its bytes in memory, 16 units per
 * element or collection and one per character of a string; a part shared twice counts twice, as rendering the job
 * would write it twice. Forty
 * locals each holding `[local.previous, local.previous]` are forty small objects that render as 2^40 elements:
 * counted as they are built (each collection's weight is kept once known), they are refused at the local that
 * crosses the bound, long before anything walks them.
 */
import { BigFloat } from './big-float.js';
import type { Value } from './types.js';

export { MAX_VALUE_WEIGHT } from './value-limit.js';
const ELEMENT = 16;

const weights = new WeakMap<object, number>();

export function weightOf(value: Value): number {
  if (typeof value === 'string') return ELEMENT + value.length;
  if (value === null || typeof value !== 'object' || value instanceof BigFloat) return ELEMENT;
  const known = weights.get(value);
  if (known !== undefined) return known;
  let total = ELEMENT;
  for (const child of Array.isArray(value) ? value : Object.values(value)) total += weightOf(child);
  weights.set(value, total);
  return total;
}
