/**
 * Namespaces, as `nomad namespace apply` writes them: before the kinds that live in them (jobs, variables),
 * deleted after them, and only once empty.
 */
import { DEFAULT_NAMESPACE, type NamespaceSpec } from '../../nomad/endpoints/namespaces.js';
import { stampedObjectKind } from '../stamped-object-kind.js';
import { refuseNonEmptyDeletes } from './refuse-non-empty.js';

/** The fields of a namespace a spec sets (Nomad's namespace spec file). */
export const NAMESPACE_FIELDS = [
  'Description',
  'Quota',
  'Capabilities',
  'NodePoolConfiguration',
  'VaultConfiguration',
  'ConsulConfiguration',
  'Meta',
  'RequiredExtraClaims',
  'OptionalExtraClaims',
] as const;

export const namespaceKind = stampedObjectKind({
  kind: 'namespace',
  fields: NAMESPACE_FIELDS,
  builtIn: new Set([DEFAULT_NAMESPACE]),
  list: async (client, signal) => (await client.namespaces.list({ signal })).body,
  find: async (client, name, signal) => (await client.namespaces.find(name, { signal })).body,
  write: (client, spec: NamespaceSpec, signal) => client.namespaces.write(spec, { signal }),
  delete: (client, name, signal) => client.namespaces.delete(name, { signal }),
  review: refuseNonEmptyDeletes,
});
