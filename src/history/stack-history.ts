import type { NomadClient } from '../nomad/client.js';
import { historyPath, parseRecords, prepend, type HistoryRecord } from './record.js';

/** A stack's history, as `drover history` shows it. */
export interface StackHistory {
  readonly stack: string;
  readonly namespace: string;
  readonly records: readonly HistoryRecord[];
}

export interface HistoryRead {
  readonly records: readonly HistoryRecord[];
  /** The variable's ModifyIndex (0: none yet), for the check-and-set write. */
  readonly modifyIndex: number;
}

export async function readHistory(
  client: NomadClient,
  stack: string,
  namespace: string,
  signal?: AbortSignal,
): Promise<HistoryRead> {
  const { body } = await client.variables.read(historyPath(stack), { namespace, signal });
  return { records: parseRecords(body?.Items), modifyIndex: body?.ModifyIndex ?? 0 };
}

/**
 * Adds a record with check-and-set against what was read: when another run wrote meanwhile (possible only
 * with --lock=false), reads again and retries, so no record is lost.
 */
export async function appendHistory(
  client: NomadClient,
  stack: string,
  namespace: string,
  record: HistoryRecord,
  seen: HistoryRead,
): Promise<void> {
  let current = seen;
  for (let attempt = 0; attempt < 5; attempt++) {
    const outcome = await client.variables.write(
      historyPath(stack),
      { records: JSON.stringify(prepend(record, current.records)) },
      { namespace, cas: current.modifyIndex },
    );
    if (!outcome.conflict) return;
    current = await readHistory(client, stack, namespace);
  }
  throw new Error(`the history of stack "${stack}" kept changing while drover wrote it`);
}
