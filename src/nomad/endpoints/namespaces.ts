import { NomadPermissionError } from '../errors.js';
import { aboutObject, orNull } from '../object-errors.js';
import type { ApiResponse, Transport } from '../transport.js';
import {
  clusterReadRequest,
  clusterWriteRequest,
  segment,
  type ClusterReadOptions,
  type ClusterWriteOptions,
  type WriteIndex,
} from './options.js';

/** The namespace every cluster has; Nomad refuses to delete it. */
export const DEFAULT_NAMESPACE = 'default';

/** Task drivers and network modes jobs in the namespace may use (null: no restriction). */
export interface NamespaceCapabilities {
  readonly EnabledTaskDrivers: string[] | null;
  readonly DisabledTaskDrivers: string[] | null;
  readonly EnabledNetworkModes: string[] | null;
  readonly DisabledNetworkModes: string[] | null;
}

/** Which node pools (or Vault, Consul clusters) jobs in the namespace may use: Nomad Enterprise only. */
export interface NamespaceUsageConfiguration {
  readonly Default: string;
  readonly Allowed: string[] | null;
  readonly Denied: string[] | null;
}

/** A namespace as Nomad answers it (nomad/structs.Namespace). */
export interface Namespace {
  readonly Name: string;
  readonly Description: string;
  /** A quota specification's name: Nomad Enterprise only ("" otherwise). */
  readonly Quota: string;
  readonly Capabilities: NamespaceCapabilities | null;
  readonly NodePoolConfiguration: NamespaceUsageConfiguration | null;
  readonly VaultConfiguration: NamespaceUsageConfiguration | null;
  readonly ConsulConfiguration: NamespaceUsageConfiguration | null;
  readonly Meta: Record<string, string> | null;
  /** Extra claims for the workload identities of jobs in the namespace. */
  readonly RequiredExtraClaims: Record<string, string> | null;
  readonly OptionalExtraClaims: Record<string, string> | null;
  /** Base64 of Nomad's BLAKE2b-256 over the fields a user sets. */
  readonly Hash: string;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}

/** What a write sends. Nomad replaces the whole namespace with it: a field left out is cleared. */
export type NamespaceSpec = { readonly Name: string } & Partial<
  Pick<
    Namespace,
    | 'Description'
    | 'Quota'
    | 'Capabilities'
    | 'NodePoolConfiguration'
    | 'VaultConfiguration'
    | 'ConsulConfiguration'
    | 'Meta'
    | 'RequiredExtraClaims'
    | 'OptionalExtraClaims'
  >
>;

/**
 * /v1/namespaces and /v1/namespace/:name. Reads block with `index`; a token sees only the namespaces it holds a
 * capability in (a list leaves the others out, a read of one is a 403, whether or not it exists). Writes and
 * deletes need a management token; typed refusals come from ../object-errors.ts.
 */
export class NamespacesApi {
  constructor(private readonly transport: Transport) {}

  list(options: ClusterReadOptions & { prefix?: string } = {}): Promise<ApiResponse<Namespace[]>> {
    return this.transport.json(clusterReadRequest('/namespaces', options, { prefix: options.prefix }));
  }

  /** The namespace; NomadObjectNotFoundError when there is none. */
  read(name: string, options: ClusterReadOptions = {}): Promise<ApiResponse<Namespace>> {
    return aboutObject('namespace', name, () =>
      this.transport.json<Namespace>(clusterReadRequest(`/namespace/${segment(name)}`, options)),
    );
  }

  /** The namespace, or null when there is none (with the table's index, for a blocking wait on its creation). */
  async find(name: string, options: ClusterReadOptions = {}): Promise<ApiResponse<Namespace | null>> {
    return orNull(() => this.read(name, options));
  }

  /** Whether the namespace exists; undefined when the token may not read it (Nomad answers 403). */
  async exists(name: string, signal?: AbortSignal): Promise<boolean | undefined> {
    try {
      return (await this.find(name, { signal })).body !== null;
    } catch (error) {
      if (error instanceof NomadPermissionError) return undefined;
      throw error;
    }
  }

  /** Creates or replaces the namespace. */
  async write(namespace: NamespaceSpec, options: ClusterWriteOptions = {}): Promise<WriteIndex> {
    const request = clusterWriteRequest('PUT', `/namespace/${segment(namespace.Name)}`, options, namespace);
    const { meta } = await aboutObject('namespace', namespace.Name, () => this.transport.bytes(request));
    return { index: meta.index };
  }

  /**
   * Deletes the namespace. Refused (NomadObjectInUseError) while it holds jobs that are not dead, allocations
   * still running, variables, volumes or a quota; "default" cannot go (NomadBuiltInObjectError).
   */
  async delete(name: string, options: ClusterWriteOptions = {}): Promise<WriteIndex> {
    const request = clusterWriteRequest('DELETE', `/namespace/${segment(name)}`, options);
    const { meta } = await aboutObject('namespace', name, () => this.transport.bytes(request));
    return { index: meta.index };
  }
}
