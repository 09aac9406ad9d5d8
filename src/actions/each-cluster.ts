import { UserError } from '../errors.js';
import type { ClusterReport, ClusterReports } from '../stack/cluster-reports.js';
import type { Workspace } from './workspace.js';

/**
 * Reads every cluster at once, one connection each. A cluster that cannot be reached, refuses the token or
 * answers with an error is reported with why, and the others are still read; anything else is a bug and thrown.
 * A project without cluster blocks reads its one Nomad, whose failure is the command's error as before.
 */
export async function readEachCluster<T>(
  workspaces: readonly [Workspace, ...Workspace[]],
  read: (workspace: Workspace) => Promise<T>,
): Promise<ClusterReports<T>> {
  const [first] = workspaces;
  if (workspaces.length === 1 && first.project?.clusters === undefined)
    return { kind: 'one', report: await read(first) };
  const settled = await Promise.allSettled(workspaces.map(read));
  const clusters = settled.map((result, i): ClusterReport<T> => {
    const { target } = workspaces[i]!;
    const where = { cluster: target.name, address: target.address.value };
    if (result.status === 'fulfilled') return { ...where, report: result.value };
    return { ...where, failure: clusterFailure(result.reason) };
  });
  return { kind: 'clusters', clusters };
}

/** Why one cluster failed, when it is what that cluster answered (or did not): any UserError raised reading it. */
export function clusterFailure(error: unknown): { message: string; code: string; hint?: string } {
  if (!(error instanceof UserError)) throw error;
  return { message: error.message, code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
}
