import type { NomadClient } from '../nomad/client.js';
import { buildPlan } from '../plan/build-plan.js';
import type { Plan } from '../plan/model.js';
import { confirmAndApply, type ApplyOutcome, type RunOptions } from './apply-jobs.js';
import { planDeadline } from './plan-jobs.js';
import { runStack, type LockFlags } from './stack-run.js';
import { requireStack, resolveWorkspace, type Workspace } from './workspace.js';

export interface DestroyInputs {
  client: NomadClient;
  cwd: string;
  dir?: string;
  stack?: string;
  namespace?: string;
  /** Stopped jobs of the stack are purged too; without it they are already gone. */
  purge?: boolean;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** The stack lock (README "Stack lock"); without it, none is taken. */
  locking?: LockFlags;
  /** The plan's bound (drover plan --destroy --timeout). */
  deadlineMs?: number;
}

/** Every job this stack owns, as deletes in reverse dependency order. */
export async function planDestroy(
  inputs: DestroyInputs,
  workspace: Workspace = destroyWorkspace(inputs),
): Promise<Plan> {
  const { project, projectFile, settings } = workspace;
  const stack = requireStack(settings, 'destroy', 'destroy deletes only the jobs stamped with it.');
  const { signal, timedOut } = planDeadline(inputs);
  return buildPlan({
    client: inputs.client,
    desired: [],
    settings: {
      address: inputs.client.address,
      namespace: settings.namespace,
      stack,
      ...(projectFile ? { projectFile } : {}),
      stampKey: settings.stampKey,
      prune: true,
      preserveCounts: false,
      targets: [],
      maskPatterns: settings.maskPatterns,
      ...(inputs.purge ? { purge: true } : {}),
      destroy: true,
    },
    dangerouslyAllowEmptyPrune: true,
    purge: inputs.purge,
    dependsOn: project?.dependsOn,
    signal,
  }).catch((error: unknown) => {
    throw timedOut(error);
  });
}

function destroyWorkspace(inputs: DestroyInputs) {
  return resolveWorkspace({
    paths: inputs.dir ? [inputs.dir] : [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack, namespace: inputs.namespace },
  });
}

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
  return runStack(
    inputs.locking,
    { ...inputs, stack: settings.stack, namespace: settings.namespace },
    () => planDestroy(inputs, workspace),
    (planned, lock) => confirmAndApply(planned, inputs, lock),
  );
}
