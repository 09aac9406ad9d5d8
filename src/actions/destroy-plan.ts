import { buildPlan } from '../plan/build-plan.js';
import { stackOwned } from './stack-owned.js';
import type { Plan } from '../plan/model.js';
import type { NomadAccess } from './nomad-access.js';
import type { LockFlags } from './stack-run.js';
import { planDeadline } from './plan-deadline.js';
import { destroyAfter, onePart, type ProjectPlan } from '../plan/project-plan.js';
import { planClusters } from './plan-project.js';
import {
  planSettingsOf,
  requireStack,
  resolveClusterWorkspaces,
  resolveWorkspace,
  type Workspace,
} from './workspace.js';
import { projectChecks, withChecks, type CheckInputs } from './plan-checks.js';

export interface DestroyInputs extends NomadAccess, CheckInputs {
  cwd: string;
  dir?: string;
  stack?: string;
  /** Stopped jobs of the stack are purged too; without it they are already gone. */
  purge?: boolean;
  signal?: AbortSignal;
  /** The stack lock (docs/stack-lock.md); without it, none is taken. */
  locking?: LockFlags;
  /** --cluster: the clusters of drover.hcl to destroy (default every one). */
  clusters?: readonly string[];
  /** The plan's bound (drover plan --destroy --timeout). */
  deadlineMs?: number;
}

/** Every job this stack owns, as deletes in reverse dependency order. */
export async function planDestroy(
  inputs: DestroyInputs,
  workspace: Workspace = destroyWorkspace(inputs),
): Promise<Plan> {
  const { project, settings } = workspace;
  const stack = requireStack(settings, 'destroy', 'destroy deletes only the jobs stamped with it.');
  const checks = projectChecks(workspace, inputs, 'plan again');
  const client = inputs.connect(workspace.target);
  const { signal, timedOut } = planDeadline({ ...inputs, client });
  const owned = await stackOwned(
    client,
    { cluster: workspace.target.name, stack, namespace: settings.namespace },
    signal,
  ).catch((error: unknown) => {
    throw timedOut(error);
  });
  const nothing = { objects: [] };
  const plan = await buildPlan({
    client,
    desired: {
      'node-pool': nothing,
      namespace: nothing,
      'acl-policy': nothing,
      'acl-role': nothing,
      variable: nothing,
      job: { jobs: [], dependsOn: project?.dependsOn, dangerouslyAllowEmptyPrune: true },
    },
    ...(owned.owned ? { owned: owned.owned } : {}),
    settings: planSettingsOf(workspace, client.address, {
      stack,
      prune: true,
      targets: [],
      purge: inputs.purge,
      destroy: true,
    }),
    purge: inputs.purge,
    signal,
    ...(inputs.now ? { now: inputs.now } : {}),
  }).catch((error: unknown) => {
    throw timedOut(error);
  });
  return withChecks(
    owned.notes.length > 0 ? { ...plan, notes: [...(plan.notes ?? []), ...owned.notes] } : plan,
    checks,
    inputs,
  );
}

/**
 * plan --destroy over a project's clusters: each cluster's deletes planned at once, in the order destroy would
 * carry them out (the rollout's, backwards: plan/project-plan.ts destroyAfter). One Nomad's plan without clusters.
 */
export async function planDestroyProject(inputs: DestroyInputs): Promise<ProjectPlan> {
  const workspaces = destroyWorkspaces(inputs);
  if (workspaces.length === 1 && !workspaces[0].project?.clusters)
    return onePart(await planDestroy(inputs, workspaces[0]));
  const after = destroyOrderOf(workspaces);
  return planClusters(
    workspaces,
    (workspace) => planDestroy(inputs, workspace),
    (workspace) => after.get(workspace.target.name)!,
  );
}

/** Each cluster's clusters to wait for in a destroy: those that come after it. */
export function destroyOrderOf(workspaces: readonly Workspace[]): Map<string, string[]> {
  return destroyAfter(workspaces.map((w) => ({ name: w.target.name, after: w.target.after })));
}

export function destroyWorkspace(inputs: DestroyInputs): Workspace {
  return resolveWorkspace(workspaceInputs(inputs));
}

/** The workspace of each cluster destroyed (those --cluster names, else every one). */
export function destroyWorkspaces(inputs: DestroyInputs): readonly [Workspace, ...Workspace[]] {
  return resolveClusterWorkspaces(workspaceInputs(inputs));
}

function workspaceInputs(inputs: DestroyInputs) {
  return {
    paths: inputs.dir ? [inputs.dir] : [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
    nomad: inputs.nomad,
    clusters: inputs.clusters,
  };
}
