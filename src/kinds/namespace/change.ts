import type { NamespaceSpec } from '../../nomad/endpoints/namespaces.js';
import type { Address } from '../address.js';
import type { ObjectChange } from '../object-change.js';

/** A namespace's change; namespaces live outside namespaces, so the address has none. */
export type NamespaceChange = ObjectChange<'namespace', NamespaceSpec>;

export function namespaceAddress(cluster: string, name: string): Address<'namespace'> {
  return { cluster, kind: 'namespace', name };
}
