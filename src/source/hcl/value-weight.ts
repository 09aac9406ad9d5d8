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
const standIns = new WeakMap<object, () => number>();

export function weightOf(value: Value): number {
  if (typeof value === 'string') return ELEMENT + value.length;
  if (value === null || typeof value !== 'object' || value instanceof BigFloat) return ELEMENT;
  const known = weights.get(value);
  if (known !== undefined) return known;
  let total = standIns.get(value)?.();
  if (total === undefined) {
    total = ELEMENT;
    for (const child of Array.isArray(value) ? value : Object.values(value)) total += weightOf(child);
  }
  weights.set(value, total);
  return total;
}

/**
 * An object whose attributes are made when first read (a check's plan object) weighs what `weigh` says, not what
 * walking it finds: the walk would make every attribute, and a rule keeping whole changes would build all of a
 * plan's jobs to weigh them.
 */
export function weighsAs(value: object, weigh: () => number): void {
  standIns.set(value, weigh);
}

/**
 * What plain JSON data (a job as the API gets it) weighs, from its text: a unit a character, about what walking it
 * finds (16 an element, one a character of a string) for a fraction of the time (JSON.stringify is native; making
 * and walking 200 jobs' values took ~45 ms of a plan's checks).
 */
export function jsonWeight(data: unknown): number {
  if (data === null || typeof data !== 'object')
    return ELEMENT + (typeof data === 'string' ? data.length : 0);
  const known = weights.get(data);
  if (known !== undefined) return known;
  const weight = ELEMENT + (JSON.stringify(data)?.length ?? 0);
  weights.set(data, weight);
  return weight;
}
