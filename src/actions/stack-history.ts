import { readHistory, type StackHistory } from '../history/stack-history.js';
import type { ClusterReports } from '../stack/cluster-reports.js';
import { readEachCluster } from './each-cluster.js';
import type { NomadAccess } from './nomad-access.js';
import { requireStack, resolveClusterWorkspaces } from './workspace.js';

/**
 * The stack's history, newest first (read-only: the variables capability "read" is enough); each cluster keeps
 * its own, read at once.
 */
export async function stackHistory(
  inputs: NomadAccess & {
    dir?: string;
    cwd: string;
    stack?: string;
    limit?: number;
    /** --cluster: the clusters of drover.hcl to read (default every one). */
    clusters?: readonly string[];
  },
): Promise<ClusterReports<StackHistory>> {
  const workspaces = resolveClusterWorkspaces({
    paths: inputs.dir ? [inputs.dir] : [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
    nomad: inputs.nomad,
    clusters: inputs.clusters,
  });
  for (const workspace of workspaces) requireStack(workspace.settings, 'history');
  return readEachCluster(workspaces, async ({ settings, target }) => {
    const stack = requireStack(settings, 'history');
    const { records } = await readHistory(inputs.connect(target), stack, settings.namespace);
    return {
      stack,
      namespace: settings.namespace,
      records: inputs.limit === undefined ? records : records.slice(0, inputs.limit),
    };
  });
}
