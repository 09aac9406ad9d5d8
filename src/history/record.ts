/**
 * The stack's history: one record per apply, destroy, promote or rollback that changed (or tried to change) something, newest
 * first, kept in the variable drover/stacks/<stack>/history as JSON in its `records` item. Bounded to 50
 * records and 48 KiB so that it stays well under Nomad's 64 KiB per variable.
 */
import type { ApplyResult } from '../apply/apply-plan.js';
import type { Holder } from '../lock/holder.js';
import type { Action, KindName } from '../plan/model.js';

export const MAX_RECORDS = 50;
export const MAX_BYTES = 48 * 1024;
/** One record's share at most: the per-job detail of a run of thousands of jobs is summarised to fit. */
export const MAX_RECORD_BYTES = 16 * 1024;

export const historyPath = (stack: string) => `drover/stacks/${stack}/history`;

export interface JobRecord {
  readonly id: string;
  readonly namespace: string;
  readonly action: Action;
  readonly outcome: string;
  /** The job version the run left, when known. */
  readonly version?: number;
  /** The JobModifyIndex of drover's own write (register, stop, purge): drift compares against it. */
  readonly job_modify_index?: number;
}

/** An object of another kind than job, by its kind and name (and namespace, for the kinds kept in one). */
export interface ObjectRecord {
  readonly kind: Exclude<KindName, 'job'>;
  readonly namespace?: string;
  readonly name: string;
  readonly action: Action;
  readonly outcome: string;
}

export interface SkippedCheck {
  readonly name: string;
  /** passed, failed or error: what the check said when it was overridden. */
  readonly status: string;
  readonly severity: string;
}

export interface HistoryRecord {
  readonly finished: string;
  readonly started: string;
  readonly holder: string;
  readonly url?: string;
  readonly command: string;
  readonly drover_version: string;
  readonly plan_checksum: string;
  /** succeeded, failed, cancelled or lock lost. */
  readonly outcome: string;
  readonly jobs: readonly JobRecord[];
  /** What the run did to objects of the other kinds (namespaces, …); absent when none. */
  readonly objects?: readonly ObjectRecord[];
  /**
   * The checks a person overrode for this run (--skip-check), each with the outcome it had: `holder` says who ran
   * it. Absent when none.
   */
  readonly skipped_checks?: readonly SkippedCheck[];
  /** Jobs left out of `jobs` to keep the record in its share, counted by "<action> <outcome>". */
  readonly omitted?: Readonly<Record<string, number>>;
}

/**
 * A run's record. Jobs apply left unchanged are not listed, unless `caughtUp` names them: unchanged jobs whose
 * live JobModifyIndex is newer than the history's (changed outside drover, then the files made to match), so
 * that drift ends once the cluster matches the files.
 */
export function recordOf(
  holder: Holder,
  result: ApplyResult | undefined,
  options: {
    planChecksum: string;
    lockLost: boolean;
    finished: Date;
    caughtUp?: readonly JobRecord[];
    skippedChecks?: readonly SkippedCheck[];
  },
): HistoryRecord {
  const results = (result?.results ?? []).filter((r) => r.action !== 'noop');
  const objects = results.flatMap((r): ObjectRecord[] =>
    r.address.kind === 'job'
      ? []
      : [
          {
            kind: r.address.kind,
            ...(r.address.namespace !== undefined ? { namespace: r.address.namespace } : {}),
            name: r.address.name,
            action: r.action,
            outcome: r.outcome,
          },
        ],
  );
  const written: JobRecord[] = results
    .filter((r) => r.address.kind === 'job')
    .map((r) => ({
      id: r.address.name,
      namespace: r.address.namespace ?? 'default',
      action: r.action,
      outcome: r.outcome,
      ...(r.version !== undefined ? { version: r.version } : {}),
      ...(r.jobModifyIndex !== undefined ? { job_modify_index: r.jobModifyIndex } : {}),
    }));
  return withinShare({
    finished: options.finished.toISOString(),
    started: holder.started,
    holder: holder.holder,
    ...(holder.url ? { url: holder.url } : {}),
    command: holder.command,
    drover_version: holder.drover_version,
    plan_checksum: options.planChecksum,
    outcome: options.lockLost
      ? 'lock lost'
      : result?.cancelled
        ? 'cancelled'
        : (result?.ok ?? true)
          ? 'succeeded'
          : 'failed',
    jobs: [...written, ...(options.caughtUp ?? [])],
    ...(objects.length > 0 ? { objects } : {}),
    ...(options.skippedChecks && options.skippedChecks.length > 0
      ? { skipped_checks: options.skippedChecks }
      : {}),
  });
}

const SUCCEEDED = new Set(['succeeded', 'registered', 'promotion-ready', 'unchanged']);

/**
 * The record as it fits MAX_RECORD_BYTES: what did not succeed first (what a reader looks for), then what drift
 * compares against (a JobModifyIndex), as many as fit; the rest counted.
 */
function withinShare(record: HistoryRecord): HistoryRecord {
  if (JSON.stringify(record).length <= MAX_RECORD_BYTES) return record;
  const rank = (job: JobRecord) =>
    (SUCCEEDED.has(job.outcome) ? 1 : 0) + (job.job_modify_index === undefined ? 2 : 0);
  const ordered = record.jobs
    .map((job, i) => ({ job, i }))
    .sort((a, b) => rank(a.job) - rank(b.job) || a.i - b.i);
  let bytes = JSON.stringify({ ...record, jobs: [], omitted: { 'delete not-run': 99_999 } }).length;
  const kept = new Set<number>();
  const omitted: Record<string, number> = {};
  for (const { job, i } of ordered) {
    const size = JSON.stringify(job).length + 1;
    // Room is kept for the counts of what is left out (a key and a number per action and outcome).
    if (bytes + size + 64 * (Object.keys(omitted).length + 1) <= MAX_RECORD_BYTES) {
      kept.add(i);
      bytes += size;
    } else {
      const key = `${job.action} ${job.outcome}`;
      omitted[key] = (omitted[key] ?? 0) + 1;
    }
  }
  return { ...record, jobs: record.jobs.filter((_, i) => kept.has(i)), omitted };
}

/** The new record first, then as many older ones as the bounds allow. */
export function prepend(record: HistoryRecord, older: readonly HistoryRecord[]): HistoryRecord[] {
  const kept = [record];
  let bytes = JSON.stringify(kept).length;
  for (const previous of older) {
    if (kept.length >= MAX_RECORDS) break;
    const size = JSON.stringify(previous).length + 1;
    if (bytes + size > MAX_BYTES) break;
    kept.push(previous);
    bytes += size;
  }
  return kept;
}

/** The records in a history variable's items; a history drover cannot read counts as empty, never as an error. */
export function parseRecords(items: Readonly<Record<string, string>> | undefined): HistoryRecord[] {
  try {
    const parsed = JSON.parse(items?.records ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as HistoryRecord[]) : [];
  } catch {
    return [];
  }
}

/** Whether some run of the history left jobs out of its record (too many to list). */
export function isPartial(records: readonly HistoryRecord[]): boolean {
  return records.some((record) => record.omitted !== undefined);
}
