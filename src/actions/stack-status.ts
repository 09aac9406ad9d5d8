import { detectObjectDrift } from '../drift/object-drift.js';
import { addressKey } from '../kinds/address.js';
import type { NomadClient } from '../nomad/client.js';
import { listStackJobs } from '../plan/ownership.js';
import { InventoryForbiddenError, readInventory } from '../stack/inventory.js';
import { ownedAddresses } from '../stack/inventory-change.js';
import { mapLimit } from '../util/limit.js';
import type { NomadAccess } from './nomad-access.js';
import { readEachCluster } from './each-cluster.js';
import { requireStack, resolveClusterWorkspaces, type Workspace } from './workspace.js';
import type { ClusterReports } from '../stack/cluster-reports.js';
import { promotionWaitSince } from '../watch/readiness.js';
import type { JobStatusReport, ObjectStatusReport } from '../watch/status-report.js';

export interface StackStatus {
  readonly stack: string;
  readonly jobs: JobStatusReport[];
  readonly objects: ObjectStatusReport[];
}

/**
 * The stack's jobs: status, version, latest deployment, allocations and what they use. In every cluster of the
 * project (those --cluster names), read at once.
 */
export async function stackStatus(
  inputs: NomadAccess & {
    /** A project directory (default: the current directory's project). */
    dir?: string;
    cwd: string;
    stack?: string;
    /** --cluster: the clusters of drover.hcl to read (default every one). */
    clusters?: readonly string[];
    signal?: AbortSignal;
  },
): Promise<ClusterReports<StackStatus>> {
  const workspaces = resolveClusterWorkspaces({
    paths: inputs.dir ? [inputs.dir] : [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
    nomad: inputs.nomad,
    clusters: inputs.clusters,
  });
  for (const workspace of workspaces) requireStack(workspace.settings, 'status');
  return readEachCluster(workspaces, (workspace) =>
    clusterStatus(inputs.connect(workspace.target), workspace, inputs.signal),
  );
}

async function clusterStatus(
  client: NomadClient,
  workspace: Workspace,
  signal?: AbortSignal,
): Promise<StackStatus> {
  const { settings, target } = workspace;
  const stack = requireStack(settings, 'status');
  const { stampKey } = settings;
  const stubs = await listStackJobs(client, stampKey, stack, signal);
  const jobs = await mapLimit(
    stubs.filter((s) => !s.ParentID),
    8,
    async (stub) => {
      const namespace = stub.Namespace ?? 'default';
      const [{ body: job }, { body: deployment }, { body: allocations }] = await Promise.all([
        client.jobs.read(stub.ID, { namespace, signal }),
        client.jobs.latestDeployment(stub.ID, { namespace, signal }),
        client.jobs.allocations(stub.ID, { namespace, signal }),
      ]);
      const live = allocations.filter((a) => a.DesiredStatus === 'run');
      const running = live.filter((a) => a.ClientStatus === 'running');
      let usage: JobStatusReport['usage'] = null;
      if (running.length > 0) {
        const stats = await mapLimit(running.slice(0, 20), 4, (a) =>
          client.allocations
            .stats(a.ID, { namespace, signal })
            .then((r) => r.body)
            .catch(() => undefined),
        );
        const known = stats.filter((s) => s !== undefined);
        if (known.length > 0)
          usage = {
            cpu_percent: known.reduce((n, s) => n + (s.ResourceUsage.CpuStats.Percent ?? 0), 0),
            memory_bytes: known.reduce((n, s) => n + (s.ResourceUsage.MemoryStats.RSS ?? 0), 0),
          };
      }
      return {
        id: stub.ID,
        namespace,
        type: stub.Type,
        status: job.Status ?? stub.Status,
        version: job.Version ?? 0,
        stopped: Boolean(job.Stop),
        deployment: deployment
          ? {
              id: deployment.ID,
              status: deployment.Status,
              description: deployment.StatusDescription,
              waiting_for_promotion_since: promotionWaitSince(deployment),
            }
          : null,
        allocations: {
          running: running.length,
          // Nomad tracks allocation health only for deployments.
          healthy: deployment ? live.filter((a) => a.DeploymentStatus?.Healthy === true).length : null,
          failed: allocations.filter((a) => a.ClientStatus === 'failed' && a.JobVersion === job.Version)
            .length,
          pending: live.filter((a) => a.ClientStatus === 'pending').length,
        },
        usage,
      };
    },
  );
  const objects = await ownedObjects(
    client,
    { cluster: target.name, stack, namespace: settings.namespace },
    signal,
  );
  return { stack, jobs, objects };
}

/** What the stack's inventory lists besides jobs, each as drover left it or as changed since outside drover. */
async function ownedObjects(
  client: NomadClient,
  location: { readonly cluster: string; readonly stack: string; readonly namespace: string },
  signal?: AbortSignal,
): Promise<ObjectStatusReport[]> {
  const read = await readInventory(client, location, signal);
  if (!read.readable) throw new InventoryForbiddenError(location, 'read');
  const { objects } = read.inventory;
  const { facts, unchecked } = await detectObjectDrift(client, location.cluster, objects, signal);
  const drifted = new Map(facts.map((f) => [addressKey(f.address), f]));
  return ownedAddresses(location.cluster, objects).map((address) => {
    const unseen = unchecked.find((u) => u.kind === address.kind);
    return {
      kind: address.kind,
      ...(address.namespace !== undefined ? { namespace: address.namespace } : {}),
      name: address.name,
      ...(unseen
        ? { state: 'unknown' as const, needs: unseen.needs }
        : { state: drifted.get(addressKey(address))?.change ?? ('as-applied' as const) }),
    };
  });
}
