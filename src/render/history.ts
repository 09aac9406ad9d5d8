import { renderTable } from './table.js';
import type { StackHistory } from '../history/stack-history.js';
import { historyPath } from '../history/record.js';

/** `drover history` as a table, newest first; one line per run, its jobs (and other objects) in the last column. */
export function renderHistory(history: StackHistory): string {
  if (history.records.length === 0)
    return `Stack "${history.stack}" has no history yet (${historyPath(history.stack)} in namespace ${history.namespace}).`;
  const rows = [
    ['FINISHED', 'COMMAND', 'OUTCOME', 'BY', 'PLAN', 'JOBS'],
    ...history.records.map((r) => [
      r.finished.replace(/\.\d{3}Z$/, 'Z'),
      r.command,
      r.outcome,
      r.holder,
      r.plan_checksum.slice(0, 12),
      [
        ...r.jobs.map(
          (j) =>
            `${j.namespace === history.namespace ? j.id : `${j.namespace}/${j.id}`} ${j.action} ${j.outcome}${j.version !== undefined ? ` v${j.version}` : ''}`,
        ),
        ...(r.objects ?? []).map(
          (o) =>
            `${o.kind} ${o.namespace !== undefined && o.namespace !== history.namespace ? `${o.namespace}/` : ''}${o.name} ${o.action} ${o.outcome}`,
        ),
        ...Object.entries(r.omitted ?? {}).map(([what, count]) => `${count} more ${what}`),
        ...(r.skipped_checks ?? []).map((c) => `check ${c.name} skipped (${c.status})`),
      ].join(', '),
    ]),
  ];
  return [`Stack "${history.stack}":`, ...renderTable(rows)].join('\n');
}
