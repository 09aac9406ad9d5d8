import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { jobAddress, type JobPromotion } from '../kinds/job/change.js';
import type { Plan } from '../plan/model.js';
import { listStackJobs } from '../plan/ownership.js';
import { waitingDeployments } from '../watch/waiting-deployments.js';
import { mapLimit } from '../util/limit.js';
import { confirmAndApply, type ApplyOutcome, type RunOptions } from './apply-jobs.js';
import type { NomadAccess } from './nomad-access.js';
import { projectChecks, withChecks, type CheckInputs } from './plan-checks.js';
import { runStack, type LockFlags } from './stack-run.js';
import { onePart, plannedParts, type ProjectPlan } from '../plan/project-plan.js';
import { rollOut, type ProjectApplyOutcome } from './apply-project.js';
import {
  planSettingsOf,
  requireStack,
  resolveClusterWorkspaces,
  resolveWorkspace,
  type Workspace,
} from './workspace.js';

export interface PromoteInputs extends NomadAccess, CheckInputs {
  readonly cwd: string;
  /** The project directory (its drover.hcl names the stack). */
  readonly dir?: string;
  readonly stack?: string;
  /** Job IDs of the stack; none: every job of the stack whose deployment waits for promotion. */
  readonly jobs: readonly string[];
  readonly signal?: AbortSignal;
  /** The stack lock (docs/stack-lock.md); without it, none is taken. */
  readonly locking?: LockFlags;
  /** --cluster: the clusters of drover.hcl to promote in (default every one). */
  readonly clusters?: readonly string[];
  /** Told the plan (every cluster's, with its checks' results) once it may go on, before the first promotion. */
  readonly beforePromoting?: (project: ProjectPlan) => void;
}

/**
 * The stack's deployments whose healthy canaries wait for a promotion (all of them, or the named jobs', which
 * must wait), as a plan of promote changes: one request for the stack's jobs, one for the running deployments.
 * The project's checks are evaluated on it (refused offline when one is broken, before any request).
 */
export async function planPromotions(
  inputs: PromoteInputs,
  workspace: Workspace = promoteWorkspace(inputs),
  /** One of several clusters: a named job that is not the stack's here, or does not wait here, is left out. */
  oneOfSeveral = false,
): Promise<Plan> {
  const { signal } = inputs;
  const { settings } = workspace;
  const client = inputs.connect(workspace.target);
  const stack = requireStack(settings, 'promote');
  const checks = projectChecks(workspace, inputs, 'promote again');
  const [stubs, waiting] = await Promise.all([
    listStackJobs(client, settings.stampKey, stack, signal).then((all) => all.filter((s) => !s.ParentID)),
    waitingDeployments(client, signal),
  ]);
  const unknown = inputs.jobs.filter((id) => !stubs.some((s) => s.ID === id));
  if (unknown.length > 0 && !oneOfSeveral)
    throw new UserError(`${unknown.join(', ')}: not a job of stack "${stack}"`, {
      code: 'unknown_job',
      hint: `The stack's jobs: ${stubs.map((s) => s.ID).join(', ') || 'none'}.`,
    });
  const key = (stub: { ID: string; Namespace?: string }) => `${stub.Namespace ?? 'default'}/${stub.ID}`;
  const chosen = inputs.jobs.length > 0 ? stubs.filter((s) => inputs.jobs.includes(s.ID)) : stubs;
  if (!oneOfSeveral)
    await refuseNotWaiting(
      client,
      chosen.filter((s) => inputs.jobs.includes(s.ID) && !waiting.has(key(s))),
      signal,
    );
  const planSettings = planSettingsOf(workspace, client.address, {
    stack,
    prune: false,
    targets: [...inputs.jobs],
  });
  const plan: Plan = {
    settings: planSettings,
    changes: chosen
      .filter((s) => waiting.has(key(s)))
      .map((s): JobPromotion => ({
        kind: 'job',
        address: jobAddress(planSettings.cluster, s.Namespace ?? 'default', s.ID),
        action: 'promote',
        wave: 0,
        deploymentId: waiting.get(key(s))!.ID,
        jobModifyIndex: s.JobModifyIndex,
        notes: [],
      })),
    createdAt: new Date().toISOString(),
  };
  return withChecks(plan, checks, inputs);
}

/** A job named on the command line must wait: each that does not is named with its latest deployment. */
async function refuseNotWaiting(
  client: NomadClient,
  stubs: ReadonlyArray<{ ID: string; Namespace?: string }>,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (stubs.length === 0) return;
  const latest = await mapLimit(stubs, 8, async (stub) => {
    const { body } = await client.jobs.latestDeployment(stub.ID, { namespace: stub.Namespace, signal });
    return `${stub.ID}: no deployment waits for promotion (latest: ${body ? `${body.ID.slice(0, 8)} ${body.Status}` : 'none'})`;
  });
  throw new UserError(latest.join('\n'), {
    code: 'nothing_to_promote',
    hint: "drover status shows each job's deployment.",
  });
}

function promoteWorkspace(inputs: PromoteInputs): Workspace {
  return resolveWorkspace(workspaceInputs(inputs));
}

function workspaceInputs(inputs: PromoteInputs) {
  return {
    paths: inputs.dir ? [inputs.dir] : [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
    nomad: inputs.nomad,
    clusters: inputs.clusters,
  };
}

/**
 * Promote as apply runs a plan: under the stack's lock, each waiting deployment promoted and followed to its end
 * (a failure reverted as apply would), and the run recorded in the stack's history.
 */
export async function promoteJobs(
  inputs: PromoteInputs &
    Pick<RunOptions, 'detach' | 'timeoutMs' | 'parallelism' | 'watchWith' | 'logger' | 'emit' | 'rollback'>,
): Promise<ApplyOutcome> {
  const workspace = promoteWorkspace(inputs);
  const { settings } = workspace;
  const client = inputs.connect(workspace.target);
  return runStack(
    inputs.locking,
    { ...inputs, client, stack: settings.stack, namespace: settings.namespace },
    () => planPromotions(inputs, workspace),
    (planned, lock) =>
      confirmAndApply(
        planned,
        {
          ...inputs,
          client,
          confirm: async (plan) => (inputs.beforePromoting?.(onePart(plan)), true),
        },
        lock,
      ),
  );
}

/**
 * promote over a project's clusters (a job may run in several): the waiting deployments of every cluster (or
 * those --cluster names) planned under each cluster's lock at once, then promoted in the rollout's order, a
 * failure stopping the clusters after it. A named job is promoted wherever it waits, and refused when it waits in
 * none of them. One Nomad's promote without cluster blocks.
 */
export async function promoteProject(
  inputs: PromoteInputs &
    Pick<RunOptions, 'detach' | 'timeoutMs' | 'parallelism' | 'watchWith' | 'logger' | 'emit' | 'rollback'>,
): Promise<ProjectApplyOutcome> {
  const workspaces = resolveClusterWorkspaces(workspaceInputs(inputs));
  if (workspaces.length === 1 && !workspaces[0].project?.clusters)
    return { kind: 'one', outcome: await promoteJobs(inputs) };
  const outcome = await rollOut(
    {
      ...inputs,
      confirmProject: async (project) => {
        refuseNamedNowhere(inputs.jobs, project);
        inputs.beforePromoting?.(project);
        return true;
      },
    },
    workspaces,
    {
      prepare: async (workspace) => ({ plan: await planPromotions(inputs, workspace, true) }),
      afterOf: (workspace) => workspace.target.after,
    },
  );
  if (outcome.kind === 'clusters' && outcome.decision === 'no-changes' && outcome.project)
    refuseNamedNowhere(inputs.jobs, outcome.project);
  return outcome;
}

/** A job named on the command line must wait in at least one cluster. */
function refuseNamedNowhere(jobs: readonly string[], project: ProjectPlan): void {
  const promoted = new Set(
    plannedParts(project).flatMap((part) => part.plan.changes.map((change) => change.address.name)),
  );
  const nowhere = jobs.filter((id) => !promoted.has(id));
  if (nowhere.length === 0) return;
  const clusters = project.parts.map((p) => p.cluster).join(', ');
  throw new UserError(
    `${nowhere.join(', ')}: no deployment waits for promotion in any cluster (${clusters})`,
    {
      code: 'nothing_to_promote',
      hint: "drover status shows each cluster's deployments; nothing was promoted.",
    },
  );
}
