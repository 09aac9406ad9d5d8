import { detectDrift, type StackDrift } from '../drift/detect-drift.js';
import { detectObjectDrift } from '../drift/object-drift.js';
import { InventoryForbiddenError, readInventory } from '../stack/inventory.js';
import { readHistory } from '../history/stack-history.js';
import { describeHolder } from '../lock/holder.js';
import { lockPath } from '../lock/stack-lock.js';
import type { NomadAccess } from './nomad-access.js';
import { readEachCluster } from './each-cluster.js';
import { requireStack, resolveClusterWorkspaces, type Workspace } from './workspace.js';
import type { NomadClient } from '../nomad/client.js';
import type { ClusterReports } from '../stack/cluster-reports.js';

/**
 * What changed in Nomad since drover last applied the stack's jobs (read-only; no lock). In every cluster of the
 * project (those --cluster names), read at once.
 */
export async function stackDrift(
  inputs: NomadAccess & {
    paths: readonly string[];
    cwd: string;
    stack?: string;
    /** --cluster: the clusters of drover.hcl to compare (default every one). */
    clusters?: readonly string[];
    signal?: AbortSignal;
  },
): Promise<ClusterReports<StackDrift>> {
  const workspaces = resolveClusterWorkspaces({
    paths: inputs.paths,
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
    nomad: inputs.nomad,
    clusters: inputs.clusters,
  });
  for (const workspace of workspaces) stackOf(workspace);
  return readEachCluster(workspaces, (workspace) =>
    clusterDrift(inputs.connect(workspace.target), workspace, inputs.signal),
  );
}

const stackOf = (workspace: Workspace) =>
  requireStack(workspace.settings, 'drift', 'drift compares the stack with its history.');

async function clusterDrift(
  client: NomadClient,
  workspace: Workspace,
  signal?: AbortSignal,
): Promise<StackDrift> {
  const { settings, target } = workspace;
  const stack = stackOf(workspace);
  const [{ records }, lock] = await Promise.all([
    readHistory(client, stack, settings.namespace, signal),
    client.variables.read(lockPath(stack), { namespace: settings.namespace, signal }),
  ]);
  const known = new Set(records.flatMap((r) => r.jobs.map((j) => `${j.namespace}/${j.id}`))).size;
  if (lock.body?.Lock)
    return {
      stack,
      namespace: settings.namespace,
      known,
      drifted: [],
      inProgress: describeHolder(lock.body.Items, new Date()),
    };
  const location = { cluster: target.name, stack, namespace: settings.namespace };
  const [{ drifted, unlisted }, inventory] = await Promise.all([
    detectDrift({ client, stack, stampKey: settings.stampKey, records, signal }),
    readInventory(client, location, signal),
  ]);
  if (!inventory.readable) throw new InventoryForbiddenError(location, 'read');
  const owned = inventory.inventory.objects;
  const { facts, unchecked } = await detectObjectDrift(client, target.name, owned, signal);
  const compared = owned.filter((o) => !unchecked.some((u) => u.kind === o.kind)).length;
  return {
    stack,
    namespace: settings.namespace,
    known,
    drifted,
    ...(compared > 0 ? { inventoried: compared } : {}),
    ...(facts.length > 0 ? { objects: facts } : {}),
    ...(unchecked.length > 0 ? { unchecked } : {}),
    ...(unlisted > 0 ? { unlisted } : {}),
  };
}
