import { confirmAndApply, type ApplyOutcome, type RunOptions } from './apply-jobs.js';
import { DESTROYED_BEFORE, rollOut, type ProjectApplyOutcome, type RolloutInputs } from './apply-project.js';
import {
  destroyOrderOf,
  destroyWorkspace,
  destroyWorkspaces,
  planDestroy,
  type DestroyInputs,
} from './destroy-plan.js';
import { runStack } from './stack-run.js';

/**
 * Destroy as apply runs a plan: the stack's jobs as a plan of deletes, shown and confirmed, then carried out wave
 * by wave (dependents first), each delete re-checked against the plan and watched until its allocations stop.
 */
export async function destroyJobs(
  inputs: DestroyInputs &
    Pick<RunOptions, 'detach' | 'timeoutMs' | 'parallelism' | 'watchWith' | 'logger' | 'confirm' | 'emit'>,
): Promise<ApplyOutcome> {
  const workspace = destroyWorkspace(inputs);
  const { settings } = workspace;
  const client = inputs.connect(workspace.target);
  return runStack(
    inputs.locking,
    { ...inputs, client, stack: settings.stack, namespace: settings.namespace },
    () => planDestroy(inputs, workspace),
    (planned, lock) => confirmAndApply(planned, { ...inputs, client }, lock),
  );
}

/**
 * destroy over a project's clusters: every cluster's lock taken and its deletes planned at once, the whole plan
 * approved once, then the clusters emptied in the rollout's order backwards (a cluster after those that come
 * after it), a failure stopping the clusters still to go. One Nomad's destroy without cluster blocks.
 */
export async function destroyProject(
  inputs: DestroyInputs &
    Pick<RunOptions, 'detach' | 'timeoutMs' | 'parallelism' | 'watchWith' | 'logger' | 'confirm' | 'emit'> &
    Pick<RolloutInputs, 'confirmProject' | 'clusterParallelism'>,
): Promise<ProjectApplyOutcome> {
  const workspaces = destroyWorkspaces(inputs);
  if (workspaces.length === 1 && !workspaces[0].project?.clusters)
    return { kind: 'one', outcome: await destroyJobs(inputs) };
  const after = destroyOrderOf(workspaces);
  return rollOut(inputs, workspaces, {
    prepare: async (workspace) => ({ plan: await planDestroy(inputs, workspace) }),
    afterOf: (workspace) => after.get(workspace.target.name)!,
    waitedFor: DESTROYED_BEFORE,
  });
}
