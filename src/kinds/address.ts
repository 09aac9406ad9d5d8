/**
 * Every object a plan touches has an address: the cluster it lives in, its kind, its namespace (for the kinds
 * Nomad keeps per namespace) and its name. Waves, ownership, staleness, results and saved plans key on it.
 */

/** The kinds a plan can change; each is a folder under src/kinds/ and a line in its registry. */
export const KIND_NAMES = ['node-pool', 'namespace', 'acl-policy', 'acl-role', 'variable', 'job'] as const;
export type KindName = (typeof KIND_NAMES)[number];

/** How people name one object of each kind, and several (Nomad's own words). */
export const KIND_NOUNS: Readonly<Record<KindName, { readonly one: string; readonly many: string }>> = {
  'node-pool': { one: 'node pool', many: 'node pools' },
  namespace: { one: 'namespace', many: 'namespaces' },
  'acl-policy': { one: 'ACL policy', many: 'ACL policies' },
  'acl-role': { one: 'ACL role', many: 'ACL roles' },
  variable: { one: 'variable', many: 'variables' },
  job: { one: 'job', many: 'jobs' },
};

export interface Address<K extends KindName = KindName> {
  readonly cluster: string;
  readonly kind: K;
  /** Absent for the kinds Nomad keeps outside namespaces. */
  readonly namespace?: string;
  readonly name: string;
}

/** A key that tells any two addresses apart (names may hold any character, '/' included). */
export function addressKey(address: Address): string {
  return JSON.stringify([address.cluster, address.kind, address.namespace ?? null, address.name]);
}

export function sameAddress(a: Address, b: Address): boolean {
  return addressKey(a) === addressKey(b);
}
