/**
 * What a read-only command (status, history, drift) found in each cluster of a project, in drover.hcl's order: a
 * cluster that could not be read says why, beside the others. A project without cluster blocks reads its one
 * Nomad, reported as drover has always reported it.
 */
import type { ClusterPlanFailure } from '../plan/project-plan.js';

export type ClusterReport<T> =
  | { readonly cluster: string; readonly address: string; readonly report: T }
  | { readonly cluster: string; readonly address: string; readonly failure: ClusterPlanFailure };

export type ClusterReports<T> =
  | { readonly kind: 'one'; readonly report: T }
  | { readonly kind: 'clusters'; readonly clusters: readonly ClusterReport<T>[] };

export type ReadReport<T> = Extract<ClusterReport<T>, { report: T }>;
export type UnreadReport = Extract<ClusterReport<unknown>, { failure: ClusterPlanFailure }>;

export const isRead = <T>(report: ClusterReport<T>): report is ReadReport<T> => 'report' in report;

/** The reports that were read, of one Nomad or of every cluster. */
export function reportsOf<T>(reports: ClusterReports<T>): T[] {
  return reports.kind === 'one' ? [reports.report] : reports.clusters.filter(isRead).map((r) => r.report);
}

/** The clusters that could not be read (none for one Nomad: its failure is the command's error). */
export function unreadClusters(reports: ClusterReports<unknown>): UnreadReport[] {
  return reports.kind === 'one' ? [] : reports.clusters.filter((r): r is UnreadReport => !isRead(r));
}
