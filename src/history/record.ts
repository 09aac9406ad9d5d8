/**
 * The stack's history: one record per apply, destroy, promote or rollback that changed (or tried to change) something, newest
 * first, kept in the variable drover/stacks/<stack>/history as JSON in its `records` item. Bounded to 50
 * records and 48 KiB so that it stays well under Nomad's 64 KiB per variable.
 */
import type { ApplyResult } from '../apply/apply-plan.js';
import type { Holder } from '../lock/holder.js';
import type { Action } from '../plan/model.js';

export const MAX_RECORDS = 50;
export const MAX_BYTES = 48 * 1024;

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
}

export function recordOf(
  holder: Holder,
  result: ApplyResult,
  options: { planChecksum: string; lockLost: boolean; finished: Date },
): HistoryRecord {
  return {
    finished: options.finished.toISOString(),
    started: holder.started,
    holder: holder.holder,
    ...(holder.url ? { url: holder.url } : {}),
    command: holder.command,
    drover_version: holder.drover_version,
    plan_checksum: options.planChecksum,
    outcome: options.lockLost
      ? 'lock lost'
      : result.cancelled
        ? 'cancelled'
        : result.ok
          ? 'succeeded'
          : 'failed',
    jobs: result.results.map((r) => ({
      id: r.id,
      namespace: r.namespace,
      action: r.action,
      outcome: r.outcome,
      ...(r.version !== undefined ? { version: r.version } : {}),
      ...(r.jobModifyIndex !== undefined ? { job_modify_index: r.jobModifyIndex } : {}),
    })),
  };
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
