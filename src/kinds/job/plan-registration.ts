/**
 * One desired job against what Nomad holds: at most two requests (read it, then Nomad's plan endpoint), a third
 * only when an unchanged job was planned as a new version and its allocations tell what really happens.
 */
import { UserError } from '../../errors.js';
import { NomadApiError, NomadPermissionError } from '../../nomad/errors.js';
import { validationProblems } from '../../nomad/validation-errors.js';
import type { DesiredUpdates, Job, JobDiff, JobSubmission } from '../../nomad/types.js';
import { withBlindSpots } from '../../plan/blind-spots.js';
import { localDiff } from '../../plan/local-diff.js';
import type { ChangeNote } from '../../plan/notes.js';
import { removeNoise } from '../../plan/noise.js';
import { ownerOf, stamp } from '../../plan/ownership.js';
import {
  movesAllocations,
  plannedAsNewVersion,
  registrationEffects,
  type GroupAllocations,
} from '../../plan/scheduler-changes.js';
import type { PlanContext } from '../kind.js';
import { jobAddress, type JobRegistration, type PlannedRegistration } from './change.js';
import type { JobsDesired } from './desired.js';

export async function planRegistration(
  context: PlanContext,
  desired: JobsDesired['jobs'][number],
  reparseSubmission: JobsDesired['reparseSubmission'],
): Promise<JobRegistration> {
  const { client, settings } = context;
  const id = String(desired.job.ID);
  const namespace = String(desired.job.Namespace);
  const { body: live } = await client.jobs.find(id, { namespace, signal: context.signal });
  let job: Job = settings.stack ? stamp(desired.job, settings.stampKey, settings.stack) : desired.job;

  const owner = live ? ownerOf(live, settings.stampKey) : undefined;
  if (live && owner !== undefined && !settings.stack)
    throw new UserError(
      `job ${namespace}/${id} belongs to stack "${owner}", and this plan names no stack: registering it would take it out of its stack`,
      {
        code: 'would_unstamp',
        hint: `Plan it within its project (the drover.hcl with stack = "${owner}"), or pass --stack ${owner}.`,
      },
    );
  if (live && settings.stack && owner !== undefined && owner !== settings.stack)
    throw new UserError(`job ${namespace}/${id} belongs to stack "${owner}", not "${settings.stack}"`, {
      code: 'owned_elsewhere',
      hint: `Another drover stack manages this job; rename one of them, or remove meta "${settings.stampKey}" from it to hand it over.`,
    });

  let preservedCounts: PlannedRegistration['preservedCounts'];
  if (live && settings.preserveCounts) {
    const preserved: Record<string, { live: number; file: number }> = {};
    job = {
      ...job,
      TaskGroups: (job.TaskGroups ?? []).map((group) => {
        const liveGroup = live.TaskGroups?.find((g) => g.Name === group.Name);
        if (!liveGroup || liveGroup.Count === undefined) return group;
        const fileCount = group.Count ?? 1;
        if (liveGroup.Count !== fileCount) preserved[group.Name] = { live: liveGroup.Count, file: fileCount };
        return { ...group, Count: liveGroup.Count };
      }),
    };
    if (Object.keys(preserved).length > 0) preservedCounts = preserved;
  }

  const notes: ChangeNote[] = [];
  let diff: JobDiff | undefined;
  let computedLocally = false;
  let annotations: PlannedRegistration['annotations'];
  let placementFailures: PlannedRegistration['placementFailures'];
  let jobModifyIndex = live?.JobModifyIndex ?? 0;
  if (!context.readOnly) {
    try {
      const planned = await client.jobs.plan(job, { namespace, signal: context.signal });
      diff = planned.Diff && live ? withBlindSpots(planned.Diff, live, job) : (planned.Diff ?? undefined);
      annotations = planned.Annotations?.DesiredTGUpdates ?? undefined;
      placementFailures = planned.FailedTGAllocs ?? undefined;
      jobModifyIndex = planned.JobModifyIndex;
      for (const line of planned.Warnings?.split('\n') ?? [])
        if (line.startsWith('* ')) notes.push({ type: 'nomad-warning', text: line.slice(2) });
    } catch (error) {
      refusedJob(error, id, desired.file);
      if (!(error instanceof NomadPermissionError)) throw error;
      notes.push({ type: 'plan-endpoint-refused' });
    }
  }
  if (!diff && !live) {
    // A new job in full, every field it sets as added, as the plan endpoint would have shown it.
    computedLocally = true;
    diff = { ...localDiff({} as Job, job, false), Type: 'Added' };
  } else if (!diff && live) {
    computedLocally = true;
    const submission = await lastSubmission(context, live);
    const reparsed = submission && reparseSubmission ? reparseSubmission(submission, live) : undefined;
    const baseline = reparsed ? withServerSettings(reparsed, live, job, settings.stampKey) : undefined;
    // Against the re-parsed submission every field compares; against the live job only what the file sets.
    diff = localDiff(baseline ?? live, job, !baseline);
  }
  const {
    diff: clean,
    ignored,
    ignoredNames,
  } = diff ? removeNoise(diff, settings.stampKey) : { diff: undefined, ignored: 0, ignoredNames: [] };
  const fieldsChanged = clean !== undefined && clean.Type !== 'None';
  if (annotations && live)
    annotations = registrationEffects(annotations, {
      type: String(job.Type ?? 'service'),
      fieldsChanged,
      groups: await allocationsIfPlannedAsNew(context, live, job, annotations, fieldsChanged),
    });
  // Nomad creates no evaluation when a periodic or parameterized job is registered: its plan's counts mean nothing.
  const launched = !job.Periodic && !job.ParameterizedJob;
  const moves = Boolean(live && launched && annotations && movesAllocations(annotations));
  const action: JobRegistration['action'] = !live
    ? 'create'
    : live.Stop
      ? 'start'
      : settings.stack && owner === undefined
        ? 'adopt'
        : fieldsChanged || moves
          ? 'update'
          : 'noop';
  if (action === 'update' && moves && !fieldsChanged && annotations)
    notes.push({ type: 'allocations-only', effects: annotations, hiddenFields: ignoredNames });
  if (action === 'adopt' && settings.stack)
    notes.push({ type: 'adopt-stamp', kind: 'job', stampKey: settings.stampKey, stack: settings.stack });
  for (const [group, metric] of Object.entries(placementFailures ?? {}))
    notes.push({ type: 'placement-failed', group, metric });
  return {
    kind: 'job',
    address: jobAddress(settings.cluster, namespace, id),
    action,
    wave: 0,
    job,
    ...(desired.submission ? { submission: desired.submission } : {}),
    ...(desired.file ? { file: desired.file } : {}),
    ...(preservedCounts ? { preservedCounts } : {}),
    jobModifyIndex,
    ...(clean ? { diff: clean } : {}),
    ...(annotations ? { annotations } : {}),
    ...(placementFailures ? { placementFailures } : {}),
    notes,
    // A new job's hidden stamp is no change to explain: only an existing job counts what it hides.
    ignoredFields: action === 'create' ? 0 : ignored,
    computedLocally,
  };
}

/**
 * A service or batch job planned as a new version (see scheduler-changes.ts) whose plan places or stops anything:
 * its allocations, to tell what an evaluation of the live version would place. One request, only then.
 */
async function allocationsIfPlannedAsNew(
  context: PlanContext,
  live: Job,
  job: Job,
  annotations: Readonly<Record<string, DesiredUpdates>>,
  fieldsChanged: boolean,
): Promise<Record<string, GroupAllocations> | undefined> {
  if ((live.Type !== 'service' && live.Type !== 'batch') || !plannedAsNewVersion(live, fieldsChanged))
    return undefined;
  const moves = (counts: DesiredUpdates) =>
    (counts.Place ?? 0) + (counts.Stop ?? 0) + (counts.Canary ?? 0) > 0;
  if (!Object.values(annotations).some(moves)) return undefined;
  const { body: allocations } = await context.client.jobs.allocations(String(live.ID), {
    namespace: String(live.Namespace),
    signal: context.signal,
  });
  return Object.fromEntries(
    (job.TaskGroups ?? []).map((group) => {
      const mine = allocations.filter((a) => a.TaskGroup === group.Name);
      return [
        group.Name,
        {
          count: group.Count ?? 1,
          active: mine.filter(
            (a) =>
              a.DesiredStatus === 'run' && (a.ClientStatus === 'pending' || a.ClientStatus === 'running'),
          ).length,
          completed: mine.filter((a) => a.ClientStatus === 'complete' && a.JobVersion === live.Version)
            .length,
        },
      ];
    }),
  );
}

/**
 * The re-parsed submission as it was registered: drover set its namespace (and region, when asked) and its
 * stamp on the JSON, not in the source, so they are taken from the live job where the desired job has them too.
 */
function withServerSettings(baseline: Job, live: Job, desired: Job, stampKey: string): Job {
  const stamp = ownerOf(live, stampKey);
  return {
    ...baseline,
    Namespace: baseline.Namespace ?? live.Namespace,
    ...(desired.Region && !baseline.Region ? { Region: live.Region } : {}),
    ...(stamp !== undefined ? { Meta: { ...(baseline.Meta ?? {}), [stampKey]: stamp } } : {}),
  };
}

/** Nomad's refusal of a job (Job.Validate) as one line per problem, naming the file: a UserError. */
function refusedJob(error: unknown, id: string, file: string | undefined): void {
  if (!(error instanceof NomadApiError) || (error.status !== 400 && error.status !== 500)) return;
  const problems = validationProblems(error.body);
  if (!problems) return;
  throw new UserError(
    `Nomad refuses job "${id}"${file ? ` (${file})` : ''}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    {
      code: 'job_invalid',
      hint: 'Nomad checks these rules when a job is planned or registered; fix the job file. Nothing was changed.',
      cause: error,
    },
  );
}

async function lastSubmission(context: PlanContext, live: Job): Promise<JobSubmission | undefined> {
  try {
    const { body } = await context.client.jobs.submission(String(live.ID), live.Version ?? 0, {
      namespace: String(live.Namespace),
      signal: context.signal,
    });
    return body;
  } catch {
    return undefined;
  }
}
