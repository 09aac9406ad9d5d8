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
  | 'variables';

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
    this.namespaces.set('default', namespaceRecord('default', 'Default shared namespace', 1));
    for (const table of [
      'jobs',
      'job_summary',
      'job_version',
      'evals',
      'allocs',
      'deployment',
      'namespaces',
      'nodes',
      'variables',
    ] as const)
      this.tableIndex.set(table, 1);
  }

  table(name: Table): number {
    return this.tableIndex.get(name) ?? 1;
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
    return [...this.allocs.values()].filter((a) => a.Namespace === namespace && a.JobID === id);
  }

  evalsOfJob(namespace: string, id: string): Evaluation[] {
    return [...this.evals.values()].filter((e) => e.Namespace === namespace && e.JobID === id);
  }

  deploymentsOfJob(namespace: string, id: string): Deployment[] {
    return [...this.deployments.values()]
      .filter((d) => d.Namespace === namespace && d.JobID === id)
      .sort((a, b) => b.CreateIndex - a.CreateIndex);
  }
}

export type SimNamespace = ReturnType<typeof namespaceRecord>;

/** A namespace as Nomad's structs.Namespace serializes it (no capabilities, quota or configurations set). */
export function namespaceRecord(name: string, description: string, index: number) {
  return {
    Name: name,
    Description: description,
    Quota: '',
    Capabilities: null,
    NodePoolConfiguration: null,
    VaultConfiguration: null,
    ConsulConfiguration: null,
    Meta: null,
    // Nomad's is a BLAKE2b-256 of the fields; drover never reads it, so any digest of them stands in.
    Hash: createHash('sha256').update(`${name}\u0000${description}`).digest('base64'),
    CreateIndex: index,
    ModifyIndex: index,
    RequiredExtraClaims: null,
    OptionalExtraClaims: null,
  };
}
