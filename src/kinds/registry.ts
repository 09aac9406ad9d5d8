/**
 * The kinds a plan can hold, in the order their registrations run (deletes run in the reverse order): a kind is
 * written before the kinds that use it.
 */
import type { Change, ChangeOf, KindName } from '../plan/model.js';
import type { Kind } from './kind.js';
import { aclPolicyKind } from './acl-policy/kind.js';
import { aclRoleKind } from './acl-role/kind.js';
import { jobKind } from './job/kind.js';
import { namespaceKind } from './namespace/kind.js';
import { nodePoolKind } from './node-pool/kind.js';
import { variableKind } from './variable/kind.js';

export const KINDS = {
  'node-pool': nodePoolKind,
  namespace: namespaceKind,
  'acl-policy': aclPolicyKind,
  'acl-role': aclRoleKind,
  variable: variableKind,
  job: jobKind,
} as const satisfies {
  readonly [K in KindName]: Kind<K, ChangeOf<K>, unknown>;
};

/** What the project declares, per kind (a kind left out plans nothing). */
export type DesiredState = { readonly [K in KindName]?: Parameters<(typeof KINDS)[K]['plan']>[1] };

export const KIND_ORDER: readonly KindName[] = [
  'node-pool',
  'namespace',
  'acl-policy',
  'acl-role',
  'variable',
  'job',
];

type AnyKind = Kind<KindName, Change, unknown>;

/**
 * A kind as the applier drives it, over changes of any kind. The applier hands each kind only its own changes
 * (filtered by `kind`): this is the one place that relies on it.
 */
export function anyKind(name: KindName): AnyKind {
  return KINDS[name] as unknown as AnyKind;
}
