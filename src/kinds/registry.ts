/**
 * The kinds a plan can hold, in the order their registrations run (deletes run in the reverse order): a kind is
 * written before the kinds that use it.
 */
import type { Change, ChangeOf, KindName } from '../plan/model.js';
import type { Kind } from './kind.js';
import { jobKind } from './job/kind.js';

export const KINDS = { job: jobKind } as const satisfies {
  readonly [K in KindName]: Kind<K, ChangeOf<K>, unknown>;
};

/** What the project declares, per kind (a kind left out plans nothing). */
export type DesiredState = { readonly [K in KindName]?: Parameters<(typeof KINDS)[K]['plan']>[1] };

export const KIND_ORDER: readonly KindName[] = ['job'];

/** The kind a change belongs to, typed for that change. */
export function kindOf<C extends Change>(change: C): Kind<C['kind'], C, unknown> {
  return KINDS[change.kind] as unknown as Kind<C['kind'], C, unknown>;
}
