/** Before a plan deletes a namespace: what it still holds. */
import { UserError } from '../../errors.js';
import type { Change } from '../../plan/model.js';
import type { PlanContext } from '../kind.js';

/**
 * A namespace is deleted only empty: Nomad refuses to delete one holding non-terminal jobs or variables. The plan
 * refuses first, naming what the namespace holds that this plan does not delete.
 */
export async function refuseNonEmptyDeletes(context: PlanContext, changes: readonly Change[]): Promise<void> {
  const doomed = changes.filter((c) => c.kind === 'namespace' && c.action === 'delete');
  if (doomed.length === 0) return;
  const deleted = new Set(
    changes.flatMap((c) =>
      (c.kind === 'job' || c.kind === 'variable') && c.action === 'delete'
        ? [`${c.kind} ${c.address.namespace}/${c.address.name}`]
        : [],
    ),
  );
  for (const change of doomed) {
    const namespace = change.address.name;
    const [jobs, variables] = await Promise.all([
      context.client.jobs.listAll({ namespace, signal: context.signal }),
      context.client.variables.listAll({ namespace, signal: context.signal }),
    ]);
    const held = [
      ...jobs
        .filter((j) => j.Status !== 'dead' && !deleted.has(`job ${namespace}/${j.ID}`))
        .map((j) => `job ${j.ID}`),
      ...variables
        .filter((v) => !deleted.has(`variable ${namespace}/${v.Path}`))
        .map((v) => `variable ${v.Path}`),
    ];
    if (held.length > 0)
      throw new UserError(
        `namespace "${namespace}" would be deleted, but it still holds ${held.slice(0, 10).join(', ')}${held.length > 10 ? ` and ${held.length - 10} more` : ''}`,
        {
          code: 'namespace_not_empty',
          hint: 'Nomad deletes only an empty namespace: move or delete what it holds first, or declare the namespace again.',
        },
      );
  }
}
