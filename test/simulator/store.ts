import { createHash } from 'node:crypto';
import type {
  Allocation,
  Deployment,
  EventBatch,
  Evaluation,
  Job,
  JobSubmission,
  NomadEvent,
} from '../../src/nomad/types.js';
import type { SimVariable } from './variables.js';

/** Nomad's memdb tables whose indexes the API reports. */
export type Table =
  | 'jobs'
  | 'job_summary'
  | 'job_version'
  | 'evals'
  | 'allocs'
  | 'deployment'
  | 'namespaces'
  | 'nodes'
  | 'node_pools'
  | 'variables'
  | 'acl_policy'
  | 'acl_roles'
  | 'acl_token';

export interface JobRecord {
  namespace: string;
  id: string;
  /** The current server copy (Status is derived on read). */
  job: Job;
  /** Newest first, at most 6 (JobDefaultTrackedVersions). */
  versions: Job[];
  submissions: Map<number, JobSubmission>;
  summaryModifyIndex: number;
  summaryCreateIndex: number;
}

export interface SimNode {
  ID: string;
  Name: string;
  Datacenter: string;
  NodePool: string;
  Meta: Record<string, string>;
  DynamicMeta: Record<string, string>;
  /** CPU MHz and memory MB free for placements, consulted by the scripted "exhausted" failure. */
  CPU: number;
  MemoryMB: number;
}

export interface WriteResult {
  readonly tables?: readonly Table[];
  /** Watch keys this write touches: "job:<ns>/<id>", "allocs:<ns>/<id>", "alloc:<id>", … */
  readonly keys?: readonly string[];
  readonly events?: readonly Omit<NomadEvent, 'Index'>[];
}

export const jobKey = (namespace: string, id: string) => `${namespace}/${id}`;

/**
 * The simulated state store: one raft index bumped by every write, per-table indexes, and watch keys that wake
 * blocking queries the way memdb watch sets do (a query wakes when something it read changes, then answers if
 * its index passed the client's).
 */
export class Store {
  index = 10;
  readonly tableIndex = new Map<Table, number>();
  readonly jobs = new Map<string, JobRecord>();
  readonly evals = new Map<string, Evaluation>();
  readonly allocs = new Map<string, Allocation>();
  readonly deployments = new Map<string, Deployment>();
  readonly namespaces = new Map<string, SimNamespace>();
  readonly nodePools = new Map<string, SimNodePool>();
  readonly aclPolicies = new Map<string, SimAclPolicy>();
  /** By ID. */
  readonly aclRoles = new Map<string, SimAclRole>();
  /** By variableKey(namespace, path). */
  readonly variables = new Map<string, SimVariable>();
  readonly nodes: SimNode[] = [];
  /** The event stream's buffer (Nomad keeps a bounded ring too). */
  readonly eventLog: EventBatch[] = [];
  /**
   * Runs inside every write, after the mutation: state that Nomad derives in the same transaction (a job's Status
   * is rewritten, with a new ModifyIndex, when its allocations, evaluations or deployments change).
   */
  derive: ((index: number, result: WriteResult) => WriteResult | undefined) | undefined;
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly eventListeners = new Set<(batch: EventBatch) => void>();

  constructor() {
    this.namespaces.set(
      'default',
      namespaceRecord({ Name: 'default', Description: 'Default shared namespace' }, 1),
    );
    for (const [name, description] of [
      ['all', 'Node pool with all nodes in the cluster.'],
      ['default', 'Default node pool.'],
    ] as const)
      this.nodePools.set(name, {
        ...nodePoolRecord({ Name: name, Description: description }, 1),
        Hash: null,
      });
    for (const table of [
      'jobs',
      'job_summary',
      'job_version',
      'evals',
      'allocs',
      'deployment',
      'namespaces',
      'nodes',
      'node_pools',
      'variables',
    ] as const)
      this.tableIndex.set(table, 1);
    // Nothing has written these yet: Nomad answers their index as 0 where it does not floor it at 1.
    for (const table of ['acl_policy', 'acl_roles', 'acl_token'] as const) this.tableIndex.set(table, 0);
  }

  table(name: Table): number {
    return this.tableIndex.get(name) ?? 1;
  }

  /** A list's index, which Nomad never answers as 0 (a blocking query could not use it). */
  listIndex(name: Table): number {
    return Math.max(1, this.table(name));
  }

  /** One raft write: the mutation runs with the new index, then watchers and event subscribers are told. */
  write(mutate: (index: number) => WriteResult): number {
    const index = ++this.index;
    const primary = mutate(index);
    const derived = this.derive?.(index, primary);
    const result: WriteResult = derived
      ? {
          tables: [...(primary.tables ?? []), ...(derived.tables ?? [])],
          keys: [...(primary.keys ?? []), ...(derived.keys ?? [])],
          events: [...(primary.events ?? []), ...(derived.events ?? [])],
        }
      : primary;
    for (const table of result.tables ?? []) this.tableIndex.set(table, index);
    if (result.events && result.events.length > 0) {
      const batch: EventBatch = { Index: index, Events: result.events.map((e) => ({ ...e, Index: index })) };
      this.eventLog.push(batch);
      if (this.eventLog.length > 2000) this.eventLog.shift();
      for (const listener of this.eventListeners) listener(batch);
    }
    const woken = new Set<() => void>();
    for (const key of [...(result.keys ?? []), ...(result.tables ?? []).map((t) => `table:${t}`)])
      for (const wake of this.watchers.get(key) ?? []) woken.add(wake);
    for (const wake of woken) wake();
    return index;
  }

  /** Resolves when any of the keys is written, the timeout passes, or the signal aborts. */
  waitForChange(keys: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        for (const key of keys) this.watchers.get(key)?.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      for (const key of keys) {
        if (!this.watchers.has(key)) this.watchers.set(key, new Set());
        this.watchers.get(key)!.add(done);
      }
    });
  }

  onEvents(listener: (batch: EventBatch) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  job(namespace: string, id: string): JobRecord | undefined {
    return this.jobs.get(jobKey(namespace, id));
  }

  allocsOfJob(namespace: string, id: string): Allocation[] {
    return ofJob(this.allocs, namespace, id);
  }

  evalsOfJob(namespace: string, id: string): Evaluation[] {
    return ofJob(this.evals, namespace, id);
  }

  deploymentsOfJob(namespace: string, id: string): Deployment[] {
    return ofJob(this.deployments, namespace, id).sort((a, b) => b.CreateIndex - a.CreateIndex);
  }
}

/** A table's objects of one job, in the table's order (a scan without a copy of the whole table first). */
function ofJob<T extends { Namespace?: string; JobID?: string }>(
  table: ReadonlyMap<string, T>,
  namespace: string,
  id: string,
): T[] {
  const found: T[] = [];
  for (const object of table.values())
    if (object.Namespace === namespace && object.JobID === id) found.push(object);
  return found;
}

/** A digest of an object's fields, standing in for Nomad's BLAKE2b-256 `Hash` (drover never recomputes it). */
export function digest(...fields: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64');
}

/** The fields of a namespace a write sets; the rest Nomad keeps (indexes) or computes (hash). */
export interface NamespaceFields {
  readonly Name: string;
  readonly Description?: string;
  readonly Quota?: string;
  readonly Capabilities?: Record<string, unknown> | null;
  readonly NodePoolConfiguration?: Record<string, unknown> | null;
  readonly VaultConfiguration?: Record<string, unknown> | null;
  readonly ConsulConfiguration?: Record<string, unknown> | null;
  readonly Meta?: Record<string, string> | null;
  readonly RequiredExtraClaims?: Record<string, string> | null;
  readonly OptionalExtraClaims?: Record<string, string> | null;
}

export type SimNamespace = ReturnType<typeof namespaceRecord>;

/** A namespace as Nomad's structs.Namespace serializes it (keys sorted, as Nomad 2.0.5 writes them). */
export function namespaceRecord(fields: NamespaceFields, index: number, createIndex = index) {
  const capabilities = fields.Capabilities
    ? {
        DisabledNetworkModes: fields.Capabilities.DisabledNetworkModes ?? null,
        DisabledTaskDrivers: fields.Capabilities.DisabledTaskDrivers ?? null,
        EnabledNetworkModes: fields.Capabilities.EnabledNetworkModes ?? null,
        EnabledTaskDrivers: fields.Capabilities.EnabledTaskDrivers ?? null,
      }
    : null;
  return {
    Capabilities: capabilities,
    ConsulConfiguration: fields.ConsulConfiguration ?? null,
    CreateIndex: createIndex,
    Description: fields.Description ?? '',
    Hash: digest(fields.Name, fields.Description, fields.Quota, capabilities, fields.Meta),
    Meta: fields.Meta ?? null,
    ModifyIndex: index,
    Name: fields.Name,
    NodePoolConfiguration: fields.NodePoolConfiguration ?? null,
    OptionalExtraClaims: fields.OptionalExtraClaims ?? null,
    Quota: fields.Quota ?? '',
    RequiredExtraClaims: fields.RequiredExtraClaims ?? null,
    VaultConfiguration: fields.VaultConfiguration ?? null,
  };
}

/** Nomad's default for a pool's NodeIdentityTTL: 24 h, in nanoseconds. */
export const DEFAULT_NODE_IDENTITY_TTL = 24 * 3_600_000_000_000;

export interface NodePoolFields {
  readonly Name: string;
  readonly Description?: string;
  readonly Meta?: Record<string, string> | null;
  readonly NodeIdentityTTL?: number;
  readonly SchedulerConfiguration?: Record<string, unknown> | null;
}

export type SimNodePool = Omit<ReturnType<typeof nodePoolRecord>, 'Hash'> & { Hash: string | null };

/** A node pool as Nomad's structs.NodePool serializes it (keys sorted). */
export function nodePoolRecord(fields: NodePoolFields, index: number, createIndex = index) {
  const ttl = fields.NodeIdentityTTL || DEFAULT_NODE_IDENTITY_TTL;
  return {
    CreateIndex: createIndex,
    Description: fields.Description ?? '',
    Hash: digest(fields.Name, fields.Description, ttl, fields.Meta),
    Meta: fields.Meta ?? null,
    ModifyIndex: index,
    Name: fields.Name,
    NodeIdentityTTL: ttl,
    SchedulerConfiguration: fields.SchedulerConfiguration ?? null,
  };
}

export interface SimAclPolicy {
  readonly Name: string;
  readonly Description: string;
  readonly Rules: string;
  readonly JobACL: { Group: string; JobID: string; Namespace: string; Task: string } | null;
  readonly Hash: string;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}

export interface SimAclRole {
  readonly ID: string;
  readonly Name: string;
  readonly Description: string;
  readonly Policies: Array<{ Name: string }>;
  readonly Hash: string;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}
