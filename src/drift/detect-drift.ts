/**
 * Drift: what changed in Nomad since drover last applied each job of the stack, told from the stack's history
 * (the JobModifyIndex and version drover's own write left) against what Nomad reports now. Read-only: the job
 * list, and for a job that changed its versions (with diffs) and deployments to say why.
 */
import { isPartial, type HistoryRecord, type JobRecord } from '../history/record.js';
import type { NomadClient } from '../nomad/client.js';
import type { Job, JobDiff } from '../nomad/types.js';
import { withBlindSpots } from '../plan/blind-spots.js';
import { listStackJobs, ownerOf } from '../plan/ownership.js';
import { mapLimit } from '../util/limit.js';
import type { UnseenKind } from '../plan/model.js';
import type { ObjectDriftFact } from './object-drift.js';
import { appendAll } from '../util/append-all.js';

export type DriftKind =
  'auto-reverted' | 'scaled' | 'registered' | 'stopped' | 'purged' | 'unstamped' | 'not-in-history';

export interface DriftFact {
  readonly id: string;
  readonly namespace: string;
  readonly kind: DriftKind;
  readonly message: string;
}

/** A stack's drift, as `drover drift` reports it. */
export interface StackDrift {
  readonly stack: string;
  readonly namespace: string;
  /** Jobs the history knows (what was compared). */
  readonly known: number;
  readonly drifted: readonly DriftFact[];
  /** Objects of the other kinds the stack's inventory lists and the token could compare (besides jobs). */
  readonly inventoried?: number;
  /** Objects of the other kinds, from the stack's inventory, changed or deleted outside drover. */
  readonly objects?: readonly ObjectDriftFact[];
  /** Kinds of the inventory's objects the token could not compare (and what it would need). */
  readonly unchecked?: readonly UnseenKind[];
  /** Jobs of the stack its history cannot vouch for: runs too large to list every job left them out. */
  readonly unlisted?: number;
  /**
   * Who holds the stack's lock, when a run of the stack is under way (visible to tokens Nomad shows the lock):
   * its writes would read as drift, so nothing is compared.
   */
  readonly inProgress?: string;
}

export interface DriftInputs {
  readonly client: NomadClient;
  readonly stack: string;
  readonly stampKey: string;
  readonly records: readonly HistoryRecord[];
  readonly signal?: AbortSignal;
}

/** What drover last did to each job: its newest history entry that wrote something. */
export function lastKnown(records: readonly HistoryRecord[]): Map<string, JobRecord & { finished: string }> {
  const known = new Map<string, JobRecord & { finished: string }>();
  for (const record of records)
    for (const job of record.jobs) {
      const key = `${job.namespace}/${job.id}`;
      if (!known.has(key) && job.job_modify_index !== undefined)
        known.set(key, { ...job, finished: record.finished });
    }
  return known;
}

export async function detectDrift(inputs: DriftInputs): Promise<{ drifted: DriftFact[]; unlisted: number }> {
  const { client, stack, stampKey, signal } = inputs;
  const known = lastKnown(inputs.records);
  const stubs = await listStackJobs(client, stampKey, stack, signal);
  const live = new Map(
    stubs
      .filter((s) => !s.ParentID && ownerOf(s, stampKey) === stack)
      .map((s) => [`${s.Namespace ?? 'default'}/${s.ID}`, s]),
  );
  const facts: DriftFact[] = [];
  // A run too large for its record lists only part of its jobs: a job missing from the history is no sign then.
  const partial = isPartial(inputs.records);
  let unlisted = 0;
  for (const [key, stub] of live)
    if (known.has(key) || stub.Stop) continue;
    else if (partial) unlisted++;
    else
      facts.push({
        id: stub.ID,
        namespace: stub.Namespace ?? 'default',
        kind: 'not-in-history',
        message: `carries the stack's stamp but no apply recorded in its history wrote it (registered outside drover with the stamp, or before the history existed)`,
      });
  const checked = await mapLimit([...known.values()], 16, async (entry): Promise<DriftFact | undefined> => {
    const where = { id: entry.id, namespace: entry.namespace };
    const stub = live.get(`${entry.namespace}/${entry.id}`);
    if (entry.action === 'delete') {
      if (stub && !stub.Stop && stub.JobModifyIndex > entry.job_modify_index!)
        return {
          ...where,
          kind: 'registered',
          message: `registered again outside drover after drover deleted it`,
        };
      return undefined;
    }
    if (!stub) return missing(inputs, entry);
    if (stub.Stop)
      return stub.JobModifyIndex > entry.job_modify_index!
        ? { ...where, kind: 'stopped', message: 'stopped outside drover' }
        : undefined;
    if (stub.JobModifyIndex <= entry.job_modify_index!) return undefined;
    return explainChange(inputs, entry);
  });
  appendAll(
    facts,
    checked.filter((f): f is DriftFact => f !== undefined),
  );
  return { drifted: facts.sort((a, b) => (a.namespace + a.id < b.namespace + b.id ? -1 : 1)), unlisted };
}

/** Not among the stack's jobs: purged, or registered again without the stamp (it left the stack). */
async function missing(inputs: DriftInputs, entry: JobRecord): Promise<DriftFact> {
  const where = { id: entry.id, namespace: entry.namespace };
  const { body: job } = await inputs.client.jobs.find(entry.id, {
    namespace: entry.namespace,
    signal: inputs.signal,
  });
  if (!job) return { ...where, kind: 'purged', message: 'purged outside drover (Nomad no longer knows it)' };
  return {
    ...where,
    kind: 'unstamped',
    message: `registered outside drover without the stack's stamp (version ${job.Version ?? '?'}): it left the stack`,
  };
}

/** A newer JobModifyIndex than drover's write: an auto-revert, a scale, or another register; the versions tell. */
async function explainChange(inputs: DriftInputs, entry: JobRecord): Promise<DriftFact> {
  const { client, signal } = inputs;
  const where = { id: entry.id, namespace: entry.namespace };
  const options = { namespace: entry.namespace, signal };
  const [{ body: versions }, { body: deployments }] = await Promise.all([
    client.jobs.versions(entry.id, { ...options, diffs: true }),
    client.jobs.deployments(entry.id, options),
  ]);
  const newest = versions.Versions[0];
  const newer = versions.Versions.filter((v) => (v.JobModifyIndex ?? 0) > entry.job_modify_index!);
  const reverted = deployments.find(
    (d) =>
      d.Status === 'failed' &&
      (entry.version === undefined || d.JobVersion === entry.version) &&
      /rolling back to job version (\d+)/.test(d.StatusDescription),
  );
  if (reverted) {
    const to = /rolling back to job version (\d+)/.exec(reverted.StatusDescription)![1];
    return {
      ...where,
      kind: 'auto-reverted',
      message: `auto-reverted to version ${to} after deployment ${reverted.ID.slice(0, 8)} of version ${reverted.JobVersion} failed (now version ${newest?.Version ?? '?'})`,
    };
  }
  const diffs = diffsOf(versions.Versions, versions.Diffs ?? [], newer);
  const counts = countChanges(diffs);
  if (diffs.length > 0 && counts.only)
    return {
      ...where,
      kind: 'scaled',
      message: `scaled outside drover: ${counts.changes.join(', ')} (now version ${newest?.Version ?? '?'})`,
    };
  return {
    ...where,
    kind: 'registered',
    message: `registered outside drover (now version ${newest?.Version ?? '?'}${submitted(newest)})`,
  };
}

function submitted(job: Job | undefined): string {
  const ns = job?.SubmitTime;
  return typeof ns === 'number' && ns > 0
    ? `, submitted ${new Date(ns / 1e6).toISOString().replace(/\.\d{3}Z$/, 'Z')}`
    : '';
}

/**
 * Nomad's Diffs[i] compares Versions[i] with Versions[i + 1]: the diffs that brought in the newer versions, with
 * what Nomad's diff leaves out (a spread changed beside a count is not a scale).
 */
function diffsOf(versions: readonly Job[], diffs: readonly JobDiff[], newer: readonly Job[]): JobDiff[] {
  return newer.flatMap((job) => {
    const index = versions.indexOf(job);
    const diff = diffs[index];
    const older = versions[index + 1];
    if (!diff) return [];
    return [older ? withBlindSpots(diff, older, job) : diff];
  });
}

/** Whether the diffs change group counts and nothing else, and the count changes as "group "g" count 1 → 3". */
function countChanges(diffs: readonly JobDiff[]): { only: boolean; changes: string[] } {
  const changes: string[] = [];
  let only = true;
  for (const diff of diffs) {
    if ((diff.Fields ?? []).some((f) => f.Type !== 'None') || (diff.Objects ?? []).length > 0) only = false;
    for (const group of diff.TaskGroups ?? []) {
      if (group.Type === 'None') continue;
      const fields = (group.Fields ?? []).filter((f) => f.Type !== 'None');
      if (
        group.Type !== 'Edited' ||
        fields.some((f) => f.Name !== 'Count') ||
        (group.Objects ?? []).length > 0 ||
        (group.Tasks ?? []).some((t) => t.Type !== 'None')
      )
        only = false;
      for (const f of fields)
        if (f.Name === 'Count') changes.push(`group "${group.Name}" count ${f.Old} → ${f.New}`);
    }
  }
  return { only: only && changes.length > 0, changes };
}
