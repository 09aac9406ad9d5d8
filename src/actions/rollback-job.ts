import { UserError } from '../errors.js';
import type { Job } from '../nomad/types.js';
import { withBlindSpots } from '../plan/blind-spots.js';
import { localDiff } from '../plan/local-diff.js';
import { removeNoise } from '../plan/noise.js';
import { jobAddress, type JobRevert } from '../kinds/job/change.js';
import { revertedJob } from '../kinds/job/reverted-job.js';
import type { Plan } from '../plan/model.js';
import { ownerOf } from '../plan/ownership.js';
import { confirmAndApply, type ApplyOutcome, type RunOptions } from './apply-jobs.js';
import type { NomadAccess } from './nomad-access.js';
import { projectChecks, withChecks, type CheckInputs } from './plan-checks.js';
import { runStack, type LockFlags } from './stack-run.js';
import { rollOut, type ProjectApplyOutcome, type RolloutInputs } from './apply-project.js';
import {
  planSettingsOf,
  requireStack,
  resolveClusterWorkspaces,
  resolveWorkspace,
  type Workspace,
} from './workspace.js';

export interface RollbackInputs extends NomadAccess, CheckInputs {
  readonly cwd: string;
  readonly stack?: string;
  /** The job of the stack to revert. */
  readonly job: string;
  /** The version to go back to; default: the newest stable version older than the current one. */
  readonly toVersion?: number;
  readonly signal?: AbortSignal;
  /** The stack lock (docs/stack-lock.md); without it, none is taken. */
  readonly locking?: LockFlags;
  /** --cluster: the clusters of drover.hcl to revert the job in (default every one). */
  readonly clusters?: readonly string[];
}

/**
 * A rollback as a plan of one revert change: the job (which must be the stack's), the version it goes back to,
 * and what reverting changes, as Nomad diffs the current version against that one (versions?diff_version=). The
 * project's checks are evaluated on it (refused offline when one is broken, before any request).
 */
export async function planRollback(
  inputs: RollbackInputs,
  workspace: Workspace = rollbackWorkspace(inputs),
  /** One of several clusters: a cluster without the job has nothing to revert (a plan without changes). */
  oneOfSeveral = false,
): Promise<Plan> {
  const { signal } = inputs;
  const { settings } = workspace;
  const client = inputs.connect(workspace.target);
  const stack = requireStack(settings, 'rollback', 'rollback reverts only jobs stamped with it.');
  const checks = projectChecks(workspace, inputs, 'roll back again');
  const namespace = settings.namespace;
  const { body: live } = await client.jobs.find(inputs.job, { namespace, signal });
  const planSettings = planSettingsOf(workspace, client.address, {
    stack,
    prune: false,
    targets: [inputs.job],
  });
  if (!live && oneOfSeveral)
    return withChecks(
      { settings: planSettings, changes: [], createdAt: new Date().toISOString() },
      checks,
      inputs,
    );
  if (!live)
    throw new UserError(`job ${inputs.job} does not exist in namespace ${namespace}`, {
      code: 'unknown_job',
      hint: 'drover status lists the jobs of the stack.',
    });
  const owner = ownerOf(live, settings.stampKey);
  if (owner !== stack)
    throw new UserError(
      `job ${inputs.job} does not belong to stack "${stack}" (${owner === undefined ? 'it has no stamp' : `its stamp says "${owner}"`}); not reverted`,
      {
        code: 'owned_elsewhere',
        hint: 'Roll it back with the stack that owns it, or with nomad job revert.',
      },
    );
  const current = live.Version ?? 0;
  const { body } = await client.jobs.versions(inputs.job, {
    namespace,
    diffs: true,
    diffVersion: current,
    signal,
  });
  const target = targetVersion(body.Versions, current, inputs);
  // Nomad before 1.9 ignores diff_version and diffs each version against the one before: then drover diffs the
  // two versions itself rather than show the wrong pair.
  const againstCurrent = body.Diffs?.length === body.Versions.length ? body.Diffs : undefined;
  const nomadDiff = againstCurrent?.[body.Versions.indexOf(target)];
  const { diff, ignored } = removeNoise(
    nomadDiff ? withBlindSpots(nomadDiff, live, target) : localDiff(live, target, false),
    settings.stampKey,
  );
  const toVersion = target.Version ?? 0;
  const revert: JobRevert = {
    kind: 'job',
    address: jobAddress(planSettings.cluster, namespace, inputs.job),
    action: 'revert',
    wave: 0,
    job: revertedJob(target),
    revert: { fromVersion: current, toVersion },
    jobModifyIndex: live.JobModifyIndex ?? 0,
    diff,
    notes: diff.Type === 'None' ? [{ type: 'same-spec-revert', fromVersion: current, toVersion }] : [],
    ignoredFields: ignored,
    computedLocally: nomadDiff === undefined,
  };
  return withChecks(
    { settings: planSettings, changes: [revert], createdAt: new Date().toISOString() },
    checks,
    inputs,
  );
}

/** The version asked for, or the newest stable one older than the current; refused clearly when there is none. */
function targetVersion(versions: readonly Job[], current: number, inputs: RollbackInputs): Job {
  const known = versions.map((v) => v.Version ?? 0).join(', ');
  if (inputs.toVersion !== undefined) {
    if (inputs.toVersion === current)
      throw new UserError(`job ${inputs.job} is at version ${current} already`, {
        code: 'bad_version',
        hint: `Give an earlier version: ${known}.`,
      });
    const asked = versions.find((v) => (v.Version ?? 0) === inputs.toVersion);
    if (!asked)
      throw new UserError(`job ${inputs.job} has no version ${inputs.toVersion}`, {
        code: 'bad_version',
        hint: `Nomad keeps these versions of it: ${known}.`,
      });
    return asked;
  }
  const stable = versions.find((v) => v.Stable && (v.Version ?? 0) < current);
  if (!stable)
    throw new UserError(`job ${inputs.job} has no stable version before version ${current}`, {
      code: 'no_stable_version',
      hint: `Name one with --to-version (Nomad keeps versions ${known}).`,
    });
  return stable;
}

function rollbackWorkspace(inputs: RollbackInputs): Workspace {
  return resolveWorkspace(workspaceInputs(inputs));
}

function workspaceInputs(inputs: RollbackInputs) {
  return {
    paths: [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
    nomad: inputs.nomad,
    clusters: inputs.clusters,
  };
}

/**
 * Rollback as apply runs a plan: under the stack's lock, shown and confirmed, reverted with Nomad's revert
 * endpoint (EnforcePriorVersion: the version planned against), followed to its end and recorded in the history.
 */
export async function rollbackJob(
  inputs: RollbackInputs &
    Pick<RunOptions, 'detach' | 'timeoutMs' | 'watchWith' | 'logger' | 'emit' | 'confirm' | 'showSensitive'>,
): Promise<ApplyOutcome> {
  const workspace = rollbackWorkspace(inputs);
  const { settings } = workspace;
  const client = inputs.connect(workspace.target);
  return runStack(
    inputs.locking,
    { ...inputs, client, stack: settings.stack, namespace: settings.namespace },
    () => planRollback(inputs, workspace),
    (planned, lock) => confirmAndApply(planned, { ...inputs, client }, lock),
  );
}

/**
 * rollback over a project's clusters (the job may run in several): the revert planned in every cluster (or those
 * --cluster names) that has the job, under each cluster's lock at once, shown and approved once, then carried
 * out in the rollout's order, a failure stopping the clusters after it. Refused when no cluster has the job.
 * One Nomad's rollback without cluster blocks.
 */
export async function rollbackProject(
  inputs: RollbackInputs &
    Pick<RunOptions, 'detach' | 'timeoutMs' | 'watchWith' | 'logger' | 'emit' | 'confirm' | 'showSensitive'> &
    Pick<RolloutInputs, 'confirmProject'>,
): Promise<ProjectApplyOutcome> {
  const workspaces = resolveClusterWorkspaces(workspaceInputs(inputs));
  if (workspaces.length === 1 && !workspaces[0].project?.clusters)
    return { kind: 'one', outcome: await rollbackJob(inputs) };
  const outcome = await rollOut({ ...inputs, parallelism: 1 }, workspaces, {
    prepare: async (workspace) => ({ plan: await planRollback(inputs, workspace, true) }),
    afterOf: (workspace) => workspace.target.after,
  });
  if (outcome.kind === 'clusters' && outcome.decision === 'no-changes')
    throw new UserError(
      `job ${inputs.job} does not exist in any cluster (${workspaces.map((w) => w.target.name).join(', ')})`,
      { code: 'unknown_job', hint: 'drover status lists the jobs of the stack in each cluster.' },
    );
  return outcome;
}
