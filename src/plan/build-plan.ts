/**
 * Desired jobs against what Nomad reports, as a Plan. At most two requests per job (read it, then Nomad's plan
 * endpoint), with bounded concurrency over one connection pool; one filtered list request for pruning.
 */
import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { NomadApiError, NomadPermissionError } from '../nomad/errors.js';
import { validationProblems } from '../nomad/validation-errors.js';
import type { DesiredUpdates, Job, JobDiff } from '../nomad/types.js';
import { mapLimit } from '../util/limit.js';
import { withBlindSpots } from './blind-spots.js';
import { localDiff } from './local-diff.js';
import { changeKey, type Action, type JobChange, type Plan, type PlanSettings } from './model.js';
import { removeNoise } from './noise.js';
import { assignWaves, metaDependencies, orderNodeOf } from './ordering.js';
import { listStackJobs, ownerOf, stamp } from './ownership.js';
import {
  plannedAsNewVersion,
  registrationEffects,
  schedulerChanges,
  type GroupAllocations,
} from './scheduler-changes.js';
import { compareText } from '../util/compare.js';

export interface DesiredJob {
  readonly job: Job;
  readonly submission?: JobChange['submission'];
  readonly file?: string;
  /** From drover.hcl `job "<id>" { depends_on = [...] }`; the job's meta drover.depends_on adds to it. */
  readonly dependsOn?: readonly string[];
}

export interface BuildPlanOptions {
  readonly client: NomadClient;
  readonly desired: readonly DesiredJob[];
  readonly settings: PlanSettings;
  /** Diff locally instead of calling the plan endpoint (which needs submit-job). */
  readonly readOnly?: boolean;
  /** Requests in flight at once. Default DEFAULT_PLAN_CONCURRENCY. */
  readonly concurrency?: number;
  /** Deletes purge: a job already stopped is still listed (to be purged); otherwise it counts as deleted. */
  readonly purge?: boolean;
  /** Prune even when no job file declares any job (deletes every job of the stack). */
  readonly dangerouslyAllowEmptyPrune?: boolean;
  /** Re-parses a stored submission into API JSON (the local diff's baseline); injected to keep plan/ off source/. */
  readonly reparseSubmission?: (
    submission: {
      Source: string;
      Format: string;
      VariableFlags?: Record<string, string>;
      Variables?: string;
    },
    job: Job,
  ) => Job | undefined;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  /** depends_on from drover.hcl for jobs that may only exist in Nomad (deletes follow it too). */
  readonly dependsOn?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Requests in flight while planning. Measured with 200 jobs and 10 ms of latency (bench/plan.ts): 16 at once
 * 0.46–0.54 s, 32 0.33–0.40 s, 64 0.23–0.38 s; it matches the transport's sockets and stays under Nomad's
 * limits.http_max_conns_per_client (100).
 */
export const DEFAULT_PLAN_CONCURRENCY = 64;

export async function buildPlan(options: BuildPlanOptions): Promise<Plan> {
  const { settings } = options;
  const concurrency = options.concurrency ?? DEFAULT_PLAN_CONCURRENCY;
  const namespaceOf = (job: Job) => (job.Namespace as string | null | undefined) ?? settings.namespace;

  let desired = options.desired.map((d) => ({
    ...d,
    job: {
      ...d.job,
      Namespace: namespaceOf(d.job),
      ...(settings.region && !d.job.Region ? { Region: settings.region } : {}),
    },
  }));
  if (settings.targets.length > 0) {
    const unknown = settings.targets.filter((t) => !desired.some((d) => d.job.ID === t));
    if (unknown.length > 0)
      throw new UserError(
        `--target ${unknown.join(', ')}: no job file declares ${unknown.length === 1 ? 'this job' : 'these jobs'}`,
        {
          code: 'unknown_target',
          hint: `Jobs in these files: ${desired.map((d) => d.job.ID).join(', ')}.`,
        },
      );
    desired = desired.filter((d) => settings.targets.includes(String(d.job.ID)));
  }
  const seen = new Map<string, string | undefined>();
  for (const d of desired) {
    const key = changeKey({ namespace: String(d.job.Namespace), id: String(d.job.ID) });
    if (seen.has(key))
      throw new UserError(`job ${key} is declared twice: in ${seen.get(key)} and ${d.file}`, {
        code: 'duplicate_job',
      });
    seen.set(key, d.file);
  }

  await refuseMissingNamespaces(
    options,
    desired.map((d) => String(d.job.Namespace)),
  );
  if (settings.prune && !settings.stack)
    throw new UserError('prune needs a stack name', {
      code: 'prune_without_stack',
      hint: 'Set stack = "name" in drover.hcl or pass --stack NAME: only jobs stamped with this stack are ever deleted.',
    });
  const registrations = await mapLimit(desired, concurrency, (d) => planOne(options, d));

  let deletes: JobChange[] = [];
  if (settings.prune)
    deletes = await planDeletes(
      options,
      desired.map((d) => d.job),
    );

  const order = desired.map((d) => orderNodeOf(d.job, d.dependsOn));
  const waves = assignWaves(order);
  const ordered = registrations
    .map((c, i) => ({ ...c, wave: waves.get(c.id) ?? 0, ...dependencies(order[i]!.dependsOn) }))
    .sort((a, b) => a.wave - b.wave || compareText(a.id, b.id) || compareText(a.namespace, b.namespace));
  const lastWave = Math.max(-1, ...ordered.map((c) => c.wave));
  return {
    settings,
    changes: [...ordered, ...deletes.map((d) => ({ ...d, wave: d.wave + lastWave + 1 }))],
    createdAt: (options.now?.() ?? new Date()).toISOString(),
  };
}

async function planOne(options: BuildPlanOptions, desired: DesiredJob): Promise<JobChange> {
  const { client, settings } = options;
  const id = String(desired.job.ID);
  const namespace = String(desired.job.Namespace);
  const { body: live } = await client.jobs.find(id, { namespace, signal: options.signal });
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

  let preservedCounts: JobChange['preservedCounts'];
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

  const base = {
    id,
    namespace,
    wave: 0,
    job,
    submission: desired.submission,
    file: desired.file,
    ...(preservedCounts ? { preservedCounts } : {}),
  };
  const warnings: string[] = [];
  let diff: JobDiff | undefined;
  let computedLocally = false;
  let annotations: JobChange['annotations'];
  let placementFailures: JobChange['placementFailures'];
  let jobModifyIndex = live?.JobModifyIndex ?? 0;
  if (!options.readOnly) {
    try {
      const planned = await client.jobs.plan(job, { namespace, signal: options.signal });
      diff = planned.Diff && live ? withBlindSpots(planned.Diff, live, job) : (planned.Diff ?? undefined);
      annotations = planned.Annotations?.DesiredTGUpdates ?? undefined;
      placementFailures = planned.FailedTGAllocs ?? undefined;
      jobModifyIndex = planned.JobModifyIndex;
      if (planned.Warnings)
        warnings.push(
          ...planned.Warnings.split('\n')
            .filter((l) => l.startsWith('* '))
            .map((l) => l.slice(2)),
        );
    } catch (error) {
      refusedJob(error, id, desired.file);
      if (!(error instanceof NomadPermissionError)) throw error;
      warnings.push(
        "The token may not use Nomad's plan endpoint (it needs submit-job or plan-job): this diff was computed locally.",
      );
    }
  }
  if (!diff && !live) {
    // A new job in full, every field it sets as added, as the plan endpoint would have shown it.
    computedLocally = true;
    diff = { ...localDiff({} as Job, job, false), Type: 'Added' };
  } else if (!diff && live) {
    computedLocally = true;
    const submission = await lastSubmission(options, live);
    const reparsed =
      submission && options.reparseSubmission ? options.reparseSubmission(submission, live) : undefined;
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
      groups: await allocationsIfPlannedAsNew(options, live, job, annotations, fieldsChanged),
    });
  // Nomad creates no evaluation when a periodic or parameterized job is registered: its plan's counts mean nothing.
  const launched = !job.Periodic && !job.ParameterizedJob;
  const scheduled = live && launched ? schedulerChanges(annotations) : [];
  const action: Action = !live
    ? 'create'
    : live.Stop
      ? 'start'
      : settings.stack && owner === undefined
        ? 'adopt'
        : fieldsChanged || scheduled.length > 0
          ? 'update'
          : 'noop';
  if (action === 'update' && scheduled.length > 0 && !fieldsChanged)
    warnings.push(
      `No field shown changes, but Nomad would ${scheduled.join('; ')}${ignoredNames.length ? ` (fields drover hides changed: ${ignoredNames.join(', ')})` : ''}.`,
    );
  if (action === 'adopt')
    warnings.push(
      `drover takes this job over by adding meta "${settings.stampKey}" = "${settings.stack}"; Nomad replaces its allocations for a meta change.`,
    );
  for (const [group, metric] of Object.entries(placementFailures ?? {}))
    warnings.push(`Group "${group}" cannot be placed: ${describeFailure(metric)}.`);
  return {
    ...base,
    action,
    jobModifyIndex,
    ...(clean ? { diff: clean } : {}),
    ...(annotations ? { annotations } : {}),
    ...(placementFailures ? { placementFailures } : {}),
    warnings,
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
  options: BuildPlanOptions,
  live: Job,
  job: Job,
  annotations: NonNullable<JobChange['annotations']>,
  fieldsChanged: boolean,
): Promise<Record<string, GroupAllocations> | undefined> {
  if ((live.Type !== 'service' && live.Type !== 'batch') || !plannedAsNewVersion(live, fieldsChanged))
    return undefined;
  const moves = (counts: DesiredUpdates) =>
    (counts.Place ?? 0) + (counts.Stop ?? 0) + (counts.Canary ?? 0) > 0;
  if (!Object.values(annotations).some(moves)) return undefined;
  const { body: allocations } = await options.client.jobs.allocations(String(live.ID), {
    namespace: String(live.Namespace),
    signal: options.signal,
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

/** A namespace that does not exist fails the plan, not the apply half-way (the local diff never asks Nomad). */
async function refuseMissingNamespaces(
  options: BuildPlanOptions,
  namespaces: readonly string[],
): Promise<void> {
  for (const namespace of new Set(namespaces)) {
    if (namespace === 'default') continue;
    if ((await options.client.namespaces.exists(namespace, options.signal)) !== false) continue;
    throw new UserError(`namespace "${namespace}" does not exist in Nomad at ${options.client.address}`, {
      code: 'no_namespace',
      hint: "Check NOMAD_NAMESPACE, --namespace, drover.hcl namespace and the jobs' own namespace; create it with nomad namespace apply.",
    });
  }
}

async function lastSubmission(options: BuildPlanOptions, live: Job) {
  try {
    const { body } = await options.client.jobs.submission(String(live.ID), live.Version ?? 0, {
      namespace: String(live.Namespace),
      signal: options.signal,
    });
    return body;
  } catch {
    return undefined;
  }
}

function describeFailure(metric: NonNullable<JobChange['placementFailures']>[string]): string {
  const parts: string[] = [];
  if (metric.NodesEvaluated === 0) parts.push('no nodes were eligible');
  for (const [dimension, n] of Object.entries(metric.DimensionExhausted ?? {}))
    parts.push(`${dimension} exhausted on ${n} node${n === 1 ? '' : 's'}`);
  for (const [constraint, n] of Object.entries(metric.ConstraintFiltered ?? {}))
    parts.push(`constraint ${constraint} filtered ${n} node${n === 1 ? '' : 's'}`);
  for (const [cls, n] of Object.entries(metric.ClassFiltered ?? {}))
    parts.push(`class ${cls} filtered ${n} node${n === 1 ? '' : 's'}`);
  if (parts.length === 0 && metric.NodesExhausted)
    parts.push(
      `resources exhausted on ${metric.NodesExhausted} node${metric.NodesExhausted === 1 ? '' : 's'}`,
    );
  return parts.join('; ') || 'no node fits';
}

async function planDeletes(options: BuildPlanOptions, desired: readonly Job[]): Promise<JobChange[]> {
  const { client } = options;
  const settings = options.settings as PlanSettings & { stack: string };
  if (desired.length === 0 && !options.dangerouslyAllowEmptyPrune)
    throw new UserError(
      `no job file declares any job, so prune would delete every job of stack "${settings.stack}"`,
      {
        code: 'prune_everything',
        hint: 'If that is what you want, pass --dangerously-prune-everything.',
      },
    );
  if (settings.targets.length > 0) return [];
  const owned = await listStackJobs(client, settings.stampKey, settings.stack, options.signal);
  const declared = new Set(
    desired.map((j) => changeKey({ namespace: String(j.Namespace), id: String(j.ID) })),
  );
  const doomed = owned.filter(
    (stub) =>
      ownerOf(stub, settings.stampKey) === settings.stack &&
      !stub.ParentID &&
      (!stub.Stop || options.purge) &&
      !declared.has(changeKey({ namespace: stub.Namespace ?? 'default', id: stub.ID })),
  );
  const order = doomed.map((stub) => ({
    key: stub.ID,
    dependsOn: [...new Set([...metaDependencies(stub), ...(options.dependsOn?.[stub.ID] ?? [])])],
    preDeploy: false,
  }));
  const waves = assignWaves(order);
  const last = Math.max(0, ...waves.values());
  return doomed
    .map((stub, i) => ({
      id: stub.ID,
      namespace: stub.Namespace ?? 'default',
      action: 'delete' as const,
      // Dependents go first: reverse the dependency waves.
      wave: last - (waves.get(stub.ID) ?? 0),
      ...dependencies(order[i]!.dependsOn),
      jobModifyIndex: stub.JobModifyIndex,
      warnings: [],
      ignoredFields: 0,
      computedLocally: false,
    }))
    .sort((a, b) => a.wave - b.wave || compareText(a.id, b.id));
}

/** The dependencies a change records for the graph of the plan, only when it has any (saved plans stay small). */
function dependencies(dependsOn: readonly string[]): Pick<JobChange, 'dependsOn'> {
  return dependsOn.length > 0 ? { dependsOn } : {};
}
