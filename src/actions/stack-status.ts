import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { ownedFilter } from '../plan/ownership.js';
import { mapLimit } from '../util/limit.js';
import type { JobStatusReport } from '../watch/status-report.js';

/** The stack's jobs: status, version, latest deployment, allocations and what they use. */
export async function stackStatus(inputs: {
  client: NomadClient;
  stack?: string;
  stampKey?: string;
  signal?: AbortSignal;
}): Promise<JobStatusReport[]> {
  const { client, signal } = inputs;
  if (!inputs.stack)
    throw new UserError('status needs a stack name', {
      code: 'status_without_stack',
      hint: 'Set stack in drover.hcl or pass --stack NAME.',
    });
  const stubs = await client.jobs.listAll({
    namespace: '*',
    meta: true,
    filter: ownedFilter(inputs.stampKey ?? 'drover.stack', inputs.stack),
    signal,
  });
  return mapLimit(
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
            cpuPercent: known.reduce((n, s) => n + (s.ResourceUsage.CpuStats.Percent ?? 0), 0),
            memoryBytes: known.reduce((n, s) => n + (s.ResourceUsage.MemoryStats.RSS ?? 0), 0),
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
          ? { id: deployment.ID, status: deployment.Status, description: deployment.StatusDescription }
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
}
