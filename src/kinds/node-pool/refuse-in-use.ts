/**
 * Before a plan deletes a node pool: Nomad refuses to delete one that still has nodes or jobs that are not dead.
 * The plan refuses first, naming them (jobs this plan deletes do not count).
 */
import { UserError } from '../../errors.js';
import type { Change } from '../../plan/model.js';
import type { PlanContext } from '../kind.js';

export async function refuseNodePoolsInUse(context: PlanContext, changes: readonly Change[]): Promise<void> {
  const doomed = changes.filter((c) => c.kind === 'node-pool' && c.action === 'delete');
  if (doomed.length === 0) return;
  const deletedJobs = new Set(
    changes.flatMap((c) =>
      c.kind === 'job' && c.action === 'delete' ? [`${c.address.namespace}/${c.address.name}`] : [],
    ),
  );
  for (const change of doomed) {
    const pool = change.address.name;
    const [nodes, jobs] = await Promise.all([
      context.client.nodePools.nodes(pool, { signal: context.signal }),
      context.client.nodePools.jobs(pool, { namespace: '*', signal: context.signal }),
    ]);
    const held = [
      ...nodes.body.map((n) => `node ${n.Name}`),
      ...jobs.body
        .filter((j) => j.Status !== 'dead' && !deletedJobs.has(`${j.Namespace ?? 'default'}/${j.ID}`))
        .map((j) => `job ${j.ID}`),
    ];
    if (held.length > 0)
      throw new UserError(
        `node pool "${pool}" would be deleted, but it still holds ${held.slice(0, 10).join(', ')}${held.length > 10 ? ` and ${held.length - 10} more` : ''}`,
        {
          code: 'node_pool_in_use',
          hint: 'Nomad deletes only a node pool without nodes or live jobs: move them to another pool first, or declare the pool again.',
        },
      );
  }
}
