import { confirmAndApply, type ApplyOutcome, type RunOptions } from './apply-jobs.js';
import { destroyWorkspace, planDestroy, type DestroyInputs } from './destroy-plan.js';
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
