/** How an address is named in progress lines and summaries: a job by its ID, as Nomad's CLI names it. */
import type { Address } from '../plan/model.js';

export function addressLabel(address: Address): string {
  switch (address.kind) {
    case 'job':
      return address.name;
    case 'namespace':
      return `namespace ${address.name}`;
  }
}

/** The label with its namespace, where the namespace is not the default one. */
export function qualifiedLabel(address: Address): string {
  const label = addressLabel(address);
  return address.namespace === undefined || address.namespace === 'default'
    ? label
    : `${address.namespace}/${label}`;
}
