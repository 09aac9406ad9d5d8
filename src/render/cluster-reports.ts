/**
 * status, history and drift over a project's clusters: a section per cluster in drover.hcl's order, headed by its
 * name and address, holding what the command shows for one Nomad; a cluster that could not be read named with
 * why, and a last line counting them.
 */
import { isRead, type ClusterReport } from '../stack/cluster-reports.js';

export function renderClusterReports<T>(
  reports: readonly ClusterReport<T>[],
  renderOne: (report: T) => string,
): string {
  const lines: string[] = [];
  for (const report of reports) {
    if (isRead(report))
      lines.push(`== cluster ${report.cluster} (${report.address})`, renderOne(report.report), '');
    else
      lines.push(
        `== cluster ${report.cluster} (${report.address}): not read`,
        `  ! ${report.failure.message}`,
        ...(report.failure.hint ? [`    ${report.failure.hint}`] : []),
        '',
      );
  }
  const unread = reports.filter((r) => !isRead(r)).map((r) => r.cluster);
  if (unread.length === 0) return lines.slice(0, -1).join('\n');
  return [
    ...lines,
    `${unread.length} of ${reports.length} clusters could not be read: ${unread.join(', ')}.`,
  ].join('\n');
}

/** `--json`: `{ clusters: [{ name, address, <key>: what one Nomad's --json prints, or null, error }] }`. */
export function renderClusterReportsJson<T>(reports: readonly ClusterReport<T>[], key: string): unknown {
  return {
    clusters: reports.map((report) => ({
      name: report.cluster,
      address: report.address,
      [key]: isRead(report) ? report.report : null,
      error: isRead(report)
        ? null
        : { message: report.failure.message, hint: report.failure.hint ?? null, code: report.failure.code },
    })),
  };
}
