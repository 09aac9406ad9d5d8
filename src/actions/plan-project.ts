import { UserError } from '../errors.js';
import type { ResolveValues } from '../kinds/variable/change.js';
import { NomadApiError, NomadConnectionError, NotNomadError } from '../nomad/errors.js';
import type { Plan } from '../plan/model.js';
import type { ClusterPart, ProjectPlan } from '../plan/project-plan.js';

export { onePart, type ProjectPlan } from '../plan/project-plan.js';
import { planJobs, type PlanInputs } from './plan-jobs.js';
import { sharedJobLoader } from './load-jobs.js';
import { resolveClusterWorkspaces, type Workspace } from './workspace.js';

export interface ProjectPlanInputs extends PlanInputs {
  /** --cluster: the clusters to plan (default every one drover.hcl declares). */
  readonly clusters?: readonly string[];
  /** The workspaces, when the caller resolved them already (apply, for the locks). */
  readonly workspaces?: readonly [Workspace, ...Workspace[]];
}

export interface PlannedProject {
  readonly project: ProjectPlan;
  /** Each cluster's variable values, read again at apply (never kept in the plan). */
  readonly resolveValues: ReadonlyMap<string, ResolveValues>;
}

/**
 * Plans every cluster at once, one connection each. A cluster that cannot be reached, refuses the token or does
 * not answer in time gets a failed part naming why, and the others are still planned; a mistake in the files
 * (the same for every cluster) fails the whole plan, as with one Nomad.
 */
export async function planProject(inputs: ProjectPlanInputs): Promise<PlannedProject> {
  const workspaces = inputs.workspaces ?? resolveClusterWorkspaces({ ...inputs, flags: inputs });
  const resolveValues = new Map<string, ResolveValues>();
  const loadJobs = sharedJobLoader();
  const project = await planClusters(workspaces, async (workspace) => {
    const { plan, resolveValues: values } = await planJobs({ ...inputs, workspace, loadJobs });
    resolveValues.set(workspace.target.name, values);
    return plan;
  });
  return { project, resolveValues };
}

/**
 * Each cluster's plan made at once (plan, plan --destroy), a cluster that failed for its own reasons named with
 * why; `afterOf`: the clusters each waits for in the rollout (default its cluster block's `after`).
 */
export async function planClusters(
  workspaces: readonly [Workspace, ...Workspace[]],
  planOne: (workspace: Workspace) => Promise<Plan>,
  afterOf: (workspace: Workspace) => readonly string[] = (workspace) => workspace.target.after,
): Promise<ProjectPlan> {
  const planned = await Promise.allSettled(workspaces.map(planOne));
  const parts = planned.map((settled, i): ClusterPart => {
    const workspace = workspaces[i]!;
    const { target } = workspace;
    if (settled.status === 'fulfilled')
      return { cluster: target.name, after: afterOf(workspace), plan: settled.value };
    // One Nomad (no cluster blocks) fails its plan as it always has: the error is the command's.
    if (!isClusterFailure(settled.reason) || !workspace.project?.clusters) throw settled.reason;
    const error = settled.reason as UserError;
    return {
      cluster: target.name,
      after: afterOf(workspace),
      address: target.address.value,
      failure: { message: error.message, code: error.code, ...(error.hint ? { hint: error.hint } : {}) },
    };
  });
  return { parts: [parts[0]!, ...parts.slice(1)] };
}

/** What one cluster answered (or failed to): not a mistake in the project's files, which every cluster shares. */
function isClusterFailure(error: unknown): boolean {
  return (
    error instanceof NomadApiError ||
    error instanceof NomadConnectionError ||
    error instanceof NotNomadError ||
    (error instanceof UserError && error.code === 'plan_timeout')
  );
}
