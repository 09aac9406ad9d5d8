/**
 * POST /v1/job/:id/plan: a dry run of the scheduler for the submitted job (reference §3.6–3.7): the JobDiff against
 * the stored job, DesiredTGUpdates per group, FailedTGAllocs and a blocked eval for unplaceable groups.
 */
import type { AllocMetric, DesiredUpdates, Job, JobPlanResponse } from '../../src/nomad/types.js';
import type { SimContext } from './context.js';
import { sameSpec } from './canonicalize.js';
import { diffJobs, groupChangeKind } from './job-diff.js';
import { isClientTerminal, newEvaluation } from './objects.js';
import { failureMetric } from './placement-failure.js';
import { findScript } from './scripts.js';

type Obj = Record<string, unknown>;

const UPDATE_LABELS: Array<[keyof DesiredUpdates, string]> = [
  ['Ignore', 'ignore'],
  ['Place', 'create'],
  ['Migrate', 'migrate'],
  ['Stop', 'destroy'],
  ['Canary', 'canary'],
  ['InPlaceUpdate', 'in-place update'],
  ['DestructiveUpdate', 'create/destroy update'],
];

export function planJob(ctx: SimContext, job: Job, withDiff: boolean): JobPlanResponse {
  const record = ctx.store.job(job.Namespace!, job.ID!);
  const existing = record?.job ?? null;
  const diff = diffJobs(existing, job);
  const live = record
    ? ctx.store
        .allocsOfJob(record.namespace, record.id)
        .filter((a) => a.DesiredStatus === 'run' && !isClientTerminal(a))
    : [];
  const perNode = job.Type === 'system' || job.Type === 'sysbatch';
  const desired: Record<string, DesiredUpdates> = {};
  const failed: Record<string, AllocMetric> = {};
  const scripts = ctx.scripts.get(job.ID ?? '') ?? [];
  const nextVersion = existing ? (existing.Version ?? 0) + 1 : 0;
  // Job.Plan upserts the job into its snapshot as a new version whenever Job.SpecChanged says so; the submitted
  // job never carries a NomadTokenID (Job.Plan does not stamp it), so with ACLs on an unchanged job is a new
  // version, and its allocations, at an older JobModifyIndex, count as in-place updates.
  const specChanged = existing !== null && !sameSpec(existing, job);
  for (const group of job.TaskGroups ?? []) {
    const counts: DesiredUpdates = {
      Ignore: 0,
      Place: 0,
      Migrate: 0,
      Stop: 0,
      InPlaceUpdate: 0,
      DestructiveUpdate: 0,
      Canary: 0,
      Preemptions: 0,
      Disconnect: 0,
      Reconnect: 0,
      RescheduleNow: 0,
      RescheduleLater: 0,
    };
    const groupDiff = diff.TaskGroups?.find((g) => g.Name === group.Name);
    const wanted = perNode ? ctx.store.nodes.length : (group.Count ?? 1);
    // As Nomad's reconciler: canaries of a deployment that still waits for promotion sit on top of the count.
    // Nomad 2.0.5, checked on the agent: an unchanged job plans them as ignored, a changed one replaces them.
    const waitingCanary = (a: (typeof live)[number]) => {
      if (!a.DeploymentStatus?.Canary) return false;
      const deployment = ctx.store.deployments.get(a.DeploymentID ?? '');
      return deployment?.Status === 'running' && deployment.TaskGroups[group.Name]?.Promoted === false;
    };
    const canaries = live.filter((a) => a.TaskGroup === group.Name && waitingCanary(a)).length;
    const have = live.filter((a) => a.TaskGroup === group.Name && !waitingCanary(a)).length;
    const kept = Math.min(have, wanted);
    const diffKind = existing && !existing.Stop ? groupChangeKind(groupDiff, diff) : 'none';
    const kind = diffKind === 'none' && specChanged && !existing.Stop ? 'inplace' : diffKind;
    // As the reconciler: allocations of an unchanged batch job that completed count as done, not to place again.
    const completed =
      record &&
      existing &&
      !existing.Stop &&
      diffKind === 'none' &&
      (job.Type === 'batch' || job.Type === 'sysbatch')
        ? ctx.store
            .allocsOfJob(record.namespace, record.id)
            .filter(
              (a) =>
                a.TaskGroup === group.Name &&
                a.ClientStatus === 'complete' &&
                a.Job?.Version === existing.Version &&
                (a.Job?.CreateIndex ?? 0) >= (existing.CreateIndex ?? 0),
            ).length
        : 0;
    // A new version makes them old: the batch reconciler drops old terminal allocations (filterOldTerminalAllocs)
    // and places the group again; the sysbatch node reconciler counts them as in-place updates instead.
    const rerun = job.Type === 'batch' && specChanged ? completed : 0;
    const done = completed - rerun;
    counts.Place = Math.max(0, wanted - have - done);
    counts.Stop = Math.max(0, have - wanted);
    const update = (group.Update ?? {}) as Obj;
    if (kind === 'destructive' && kept > 0) {
      const canary = job.Type === 'service' ? Number(update.Canary ?? 0) : 0;
      if (canary > 0) {
        counts.Canary = canary;
        counts.Ignore = kept;
        counts.Stop += canaries;
      } else {
        const maxParallel = Number(update.MaxParallel ?? 0);
        counts.DestructiveUpdate =
          maxParallel > 0 && job.Type === 'service' ? Math.min(maxParallel, kept) : kept;
        counts.Ignore = kept - counts.DestructiveUpdate;
      }
    } else if (kind === 'inplace') counts.InPlaceUpdate = kept + (job.Type === 'sysbatch' ? done : 0);
    else counts.Ignore = kept + Math.min(done, wanted - kept) + canaries;
    // Nomad 2.0.5, checked on the agent: a batch job planned as a new version ignores its completed allocations
    // and places the group again ("1 create, 1 ignore").
    counts.Ignore += rerun;
    // The system scheduler overwrites Place with its count of candidate nodes: every feasible node, also those
    // whose allocation it keeps or updates (scheduler_system.go), so an unchanged job plans "1 create, 1 ignore".
    if (job.Type === 'system' && !(existing?.Stop ?? false))
      counts.Place += counts.Ignore + counts.InPlaceUpdate + counts.DestructiveUpdate;
    desired[group.Name] = counts;
    const unplaceable = findScript(
      scripts,
      ['unplaceable-resources', 'unplaceable-constraint'],
      nextVersion,
      group.Name,
    );
    if (unplaceable && counts.Place + counts.DestructiveUpdate + counts.Canary > 0)
      failed[group.Name] = failureMetric(
        ctx,
        job,
        group,
        unplaceable.kind,
        counts.Place + counts.DestructiveUpdate + counts.Canary,
      );
    if (groupDiff) {
      const updates = Object.fromEntries(
        UPDATE_LABELS.filter(([k]) => (counts[k] ?? 0) > 0).map(([k, label]) => [label, counts[k]]),
      );
      groupDiff.Updates = Object.keys(updates).length > 0 ? (updates as Record<string, number>) : null;
    }
  }
  const blocked =
    Object.keys(failed).length > 0
      ? [
          {
            ...newEvaluation(job, 0, ctx.clock.now(), {
              triggeredBy: 'job-register',
              status: 'blocked',
              statusDescription: 'created to place remaining allocations',
            }),
            CreateIndex: 0,
            ModifyIndex: 0,
          },
        ]
      : null;
  const jobModifyIndex = existing?.JobModifyIndex ?? 0;
  return {
    Annotations: { DesiredTGUpdates: desired, PreemptedAllocs: null },
    FailedTGAllocs: Object.keys(failed).length > 0 ? failed : null,
    JobModifyIndex: jobModifyIndex,
    CreatedEvals: blocked,
    Diff: withDiff ? diff : null,
    NextPeriodicLaunch: null,
    Warnings: '',
    Index: jobModifyIndex,
  };
}
