import { buildPlan } from '../plan/build-plan.js';
import { stackOwned } from './stack-owned.js';
import type { Plan } from '../plan/model.js';
import type { NomadAccess } from './nomad-access.js';
import type { LockFlags } from './stack-run.js';
import { planDeadline } from './plan-deadline.js';
import { planSettingsOf, requireStack, resolveWorkspace, type Workspace } from './workspace.js';
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

export function destroyWorkspace(inputs: DestroyInputs) {
  return resolveWorkspace({
    paths: inputs.dir ? [inputs.dir] : [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
    nomad: inputs.nomad,
  });
}
