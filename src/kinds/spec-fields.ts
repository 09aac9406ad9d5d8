/**
 * Comparing spec objects as a write would change them: Nomad replaces the whole object, so every field a user
 * may set counts, and a field Nomad holds that the file leaves out shows as deleted. Empty values (null, "",
 * [], {}) are no value: Nomad answers null for a list the spec left out.
 */
import type { FieldDiff } from '../nomad/types.js';
import { changedFields } from '../plan/local-diff.js';

/** The named fields of an object, empty values left out at every depth. */
export function settableFields(object: object, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = withoutEmpty((object as Record<string, unknown>)[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** What writing `desired` changes on `live` (absent: what creating it sets), field by field. */
export function specFieldChanges(
  live: object | undefined,
  desired: object,
  keys: readonly string[],
): FieldDiff[] {
  return changedFields(
    live ? settableFields(live, keys) : {},
    settableFields(desired, keys),
    new Set(),
    false,
  );
}

function withoutEmpty(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  if (typeof value === 'object') {
    const kept = Object.entries(value).flatMap(([k, v]) => {
      const inner = withoutEmpty(v);
      return inner === undefined ? [] : [[k, inner] as const];
    });
    return kept.length === 0 ? undefined : Object.fromEntries(kept);
  }
  return value;
}
