/** How an address is named in progress lines and summaries: a job by its ID, as Nomad's CLI names it. */
import { KIND_NOUNS, type Address } from '../plan/model.js';

export function addressLabel(address: Address): string {
  return address.kind === 'job' ? address.name : `${KIND_NOUNS[address.kind].one} ${address.name}`;
}

/** The label with its namespace, where the namespace is not the default one (`variable payments/nomad/jobs/api`). */
export function qualifiedLabel(address: Address): string {
  if (address.namespace === undefined || address.namespace === 'default') return addressLabel(address);
  const name = `${address.namespace}/${address.name}`;
  return addressLabel({ ...address, name });
}
