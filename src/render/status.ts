import { describePromotionWait } from '../watch/readiness.js';
import { renderTable } from './table.js';
import type { JobStatusReport } from '../watch/status-report.js';

/** `drover status` as a table. */
export function renderStatus(stack: string, reports: readonly JobStatusReport[]): string {
  if (reports.length === 0) return `Stack "${stack}" has no jobs in Nomad.`;
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
  return [`Stack "${stack}":`, ...renderTable(rows), ...(waiting.length > 0 ? ['', ...waiting] : [])].join(
    '\n',
  );
}
