/**
 * The stack's jobs no file declares any more: one filtered list request across namespaces, each delete placed
 * before the jobs it depends on (dependents go first).
 */
import { UserError } from '../../errors.js';
import type { Job } from '../../nomad/types.js';
import { assignWaves, metaDependencies } from '../../plan/ordering.js';
import { listStackJobs, ownerOf } from '../../plan/ownership.js';
import { compareText } from '../../util/compare.js';
import type { PlanContext } from '../kind.js';
import { jobAddress, type JobDelete } from './change.js';
import type { JobsDesired } from './desired.js';

export async function planDeletes(
  context: PlanContext,
  desired: readonly Job[],
  options: Pick<JobsDesired, 'dependsOn' | 'dangerouslyAllowEmptyPrune'>,
): Promise<JobDelete[]> {
  const { client, settings } = context;
  const stack = settings.stack!;
  if (desired.length === 0 && !options.dangerouslyAllowEmptyPrune)
    throw new UserError(`no job file declares any job, so prune would delete every job of stack "${stack}"`, {
      code: 'prune_everything',
      hint: 'If that is what you want, pass --dangerously-prune-everything.',
    });
  if (settings.targets.length > 0) return [];
  const owned = await listStackJobs(client, settings.stampKey, stack, context.signal);
  const declared = new Set(desired.map((j) => `${String(j.Namespace)}/${String(j.ID)}`));
  const doomed = owned.filter(
    (stub) =>
      ownerOf(stub, settings.stampKey) === stack &&
      !stub.ParentID &&
      (!stub.Stop || context.purge) &&
      !declared.has(`${stub.Namespace ?? 'default'}/${stub.ID}`),
  );
  const order = doomed.map((stub) => ({
    key: stub.ID,
    dependsOn: [...new Set([...metaDependencies(stub), ...(options.dependsOn?.[stub.ID] ?? [])])],
    preDeploy: false,
  }));
  const waves = assignWaves(order);
  const last = Math.max(0, ...waves.values());
  return doomed
    .map((stub, i): JobDelete => ({
      kind: 'job',
      address: jobAddress(settings.cluster, stub.Namespace ?? 'default', stub.ID),
      action: 'delete',
      // Dependents go first: reverse the dependency waves.
      wave: last - (waves.get(stub.ID) ?? 0),
      ...dependencies(order[i]!.dependsOn),
      jobModifyIndex: stub.JobModifyIndex,
      notes: [],
    }))
    .sort((a, b) => a.wave - b.wave || compareText(a.address.name, b.address.name));
}

/** The dependencies a change records for the graph of the plan, only when it has any (saved plans stay small). */
export function dependencies(dependsOn: readonly string[]): { readonly dependsOn?: readonly string[] } {
  return dependsOn.length > 0 ? { dependsOn } : {};
}
