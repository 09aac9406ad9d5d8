/** Reading decoded api structs as Nomad's Go code sees them: nil strings are "", nil numbers are absent. */
import { isNumber, toFloat64 } from '../../hcl/numbers.js';
import type { Value } from '../../hcl/types.js';
import { goDurationString } from '../../../util/duration.js';

export type Obj = { [key: string]: Value };

export const text = (o: Obj | null | undefined, key: string): string => {
  const v = o?.[key];
  return typeof v === 'string' ? v : '';
};

export const numberOf = (o: Obj | null | undefined, key: string): number | undefined => {
  const v = o?.[key];
  return v !== undefined && isNumber(v) ? toFloat64(v) : undefined;
};

/** A Go int field: 0 when unset. */
export const int = (o: Obj | null | undefined, key: string): number => numberOf(o, key) ?? 0;

export const flag = (o: Obj | null | undefined, key: string): boolean => o?.[key] === true;

export const object = (o: Obj | null | undefined, key: string): Obj | undefined => {
  const v = o?.[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isNumber(v) ? (v as Obj) : undefined;
};

export const objects = (o: Obj | null | undefined, key: string): Obj[] => {
  const v = o?.[key];
  return Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === 'object') as Obj[]) : [];
};

export const strings = (o: Obj | null | undefined, key: string): string[] => {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

/** The fields the file set over Nomad's defaults, as api Canonicalize merges pointers: a nil field keeps the default. */
export function withDefaults(defaults: Obj, ...layers: ReadonlyArray<Obj | null | undefined>): Obj {
  const out: Obj = { ...defaults };
  for (const layer of layers)
    for (const [k, v] of Object.entries(layer ?? {})) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

export const duration = (ns: number): string => goDurationString(ns);

export const SECOND = 1e9;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** The job's type as Nomad reads it: unset is "service", an empty string stays empty. */
export const jobType = (job: Obj): string =>
  job.Type === null || job.Type === undefined ? 'service' : text(job, 'Type');
