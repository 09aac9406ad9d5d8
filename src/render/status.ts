import { describePromotionWait } from '../watch/readiness.js';
import { renderTable } from './table.js';
import { KIND_NOUNS, type KindName } from '../plan/model.js';
import type { JobStatusReport, ObjectStatusReport } from '../watch/status-report.js';

/** `drover status` as a table. */
export function renderStatus(
  stack: string,
  reports: readonly JobStatusReport[],
  objects: readonly ObjectStatusReport[] = [],
): string {
  const others = objects.length > 0 ? ['', ...objectTable(objects)] : [];
  if (reports.length === 0) return [`Stack "${stack}" has no jobs in Nomad.`, ...others].join('\n');
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
  const rows = [
    ['JOB', 'TYPE', 'STATUS', 'VERSION', 'DEPLOYMENT', 'RUNNING', 'HEALTHY', 'FAILED', 'CPU', 'MEMORY'],
    ...reports.map((r) => [
      r.namespace === 'default' ? r.id : `${r.namespace}/${r.id}`,
      r.type,
      r.stopped ? 'stopped' : r.status,
      String(r.version),
      r.deployment
        ? `${r.deployment.id.slice(0, 8)} ${r.deployment.waiting_for_promotion_since ? 'promotion-ready' : r.deployment.status}`
        : '-',
      String(r.allocations.running),
      r.allocations.healthy === null ? '-' : String(r.allocations.healthy),
      String(r.allocations.failed),
      r.usage ? `${r.usage.cpu_percent.toFixed(1)}%` : '-',
      r.usage ? mb(r.usage.memory_bytes) : '-',
    ]),
  ];
  const waiting = reports
    .filter((r) => r.deployment?.waiting_for_promotion_since)
    .map((r) => describePromotionWait(r.id, r.id, r.deployment!.waiting_for_promotion_since!));
  return [
    `Stack "${stack}":`,
    ...renderTable(rows),
    ...(waiting.length > 0 ? ['', ...waiting] : []),
    ...others,
  ].join('\n');
}

const STATE: Readonly<Record<ObjectStatusReport['state'], string>> = {
  'as-applied': 'as drover applied it',
  edited: 'changed outside drover',
  deleted: 'deleted outside drover',
  unknown: 'not compared: the token may not read it',
};

/** The stack's other objects (its inventory), one line each. */
function objectTable(objects: readonly ObjectStatusReport[]): string[] {
  return renderTable([
    ['OBJECT', 'STATE'],
    ...objects.map((o) => [
      `${KIND_NOUNS[o.kind as KindName]?.one ?? o.kind} ${o.namespace !== undefined ? `${o.namespace}/` : ''}${o.name}`,
      o.needs ? `${STATE[o.state]} (it needs ${o.needs})` : STATE[o.state],
    ]),
  ]);
}
