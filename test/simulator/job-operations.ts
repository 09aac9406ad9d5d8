/**
 * The server side of job writes: register (EnforceIndex, versions, submissions), deregister, revert, stable,
 * scale, dispatch, periodic force. Texts and semantics from ../shared/reference/nomad-api.md §3.
 */
import { randomBytes } from 'node:crypto';
import type {
  Allocation,
  Evaluation,
  Job,
  JobRegisterResponse,
  JobSubmission,
  JobSubmissionInput,
  JobSummary,
  NomadEvent,
} from '../../src/nomad/types.js';
import { canonicalizeJob, multierror, sameSpec, validateJob } from './canonicalize.js';
import { RpcError, type SimContext } from './context.js';
import { MS, isClientTerminal, isTerminalDeployment, isTerminalEval, newEvaluation } from './objects.js';
import { jobKey, type JobRecord, type WriteResult } from './store.js';

const TRACKED_VERSIONS = 6;

export interface RegisterOptions {
  readonly enforceIndex?: boolean;
  readonly jobModifyIndex?: number;
  readonly submission?: JobSubmissionInput;
  readonly preserveCounts?: boolean;
  readonly evalPriority?: number;
  readonly triggeredBy?: string;
  /** The job came through the HTTP API (not a stored copy registered again by the server itself). */
  readonly fromApi?: boolean;
  /**
   * Who called Job.Register: their token's accessor is stamped on the job as its NomadTokenID ('' with ACLs off).
   * Absent for writes the server makes itself (scale, auto-revert), which keep the stamp of the job they copy.
   */
  readonly caller?: { readonly tokenAccessor: string | undefined };
}

export function jobEvents(type: string, job: Job, evaluation?: Evaluation): Omit<NomadEvent, 'Index'>[] {
  const events: Omit<NomadEvent, 'Index'>[] = [
    {
      Topic: 'Job',
      Type: type,
      Key: job.ID!,
      Namespace: job.Namespace!,
      FilterKeys: null,
      Payload: { Job: job },
    },
  ];
  if (evaluation) events.push(evalEvent(type, evaluation));
  return events;
}

export function evalEvent(type: string, evaluation: Evaluation): Omit<NomadEvent, 'Index'> {
  return {
    Topic: 'Evaluation',
    Type: type,
    Key: evaluation.ID,
    Namespace: evaluation.Namespace ?? 'default',
    FilterKeys: [evaluation.JobID ?? '', evaluation.DeploymentID ?? ''],
    Payload: { Evaluation: evaluation },
  };
}

const isParent = (job: Job) =>
  (job.Periodic !== null && job.Periodic !== undefined) ||
  (job.ParameterizedJob !== null && job.ParameterizedJob !== undefined);

/** Job registration as Nomad's Job.Register RPC does it. */
export function registerJob(
  ctx: SimContext,
  input: Job,
  namespace: string,
  options: RegisterOptions = {},
): JobRegisterResponse {
  const { store } = ctx;
  if (!input.ID) throw new RpcError(400, "Job ID hasn't been provided");
  if (!store.namespaces.has(namespace))
    throw new RpcError(500, multierror([`job "${input.ID}" is in nonexistent namespace "${namespace}"`]));
  if (options.evalPriority !== undefined && (options.evalPriority < 1 || options.evalPriority > 100))
    throw new RpcError(400, 'Eval priority must be between 1 and 100 inclusively');
  const job = {
    ...canonicalizeJob(input, namespace, ctx.region, options.fromApi),
    NomadTokenID: options.caller ? (options.caller.tokenAccessor ?? '') : (input.NomadTokenID ?? ''),
  };
  const errors = validateJob(job);
  if (errors.length > 0) throw new RpcError(500, multierror(errors));
  const pool = String(job.NodePool ?? 'default');
  if (!store.nodePools.has(pool))
    throw new RpcError(500, multierror([`job "${job.ID}" is in nonexistent node pool "${pool}"`]));
  const existing = store.job(namespace, job.ID!);
  if (options.enforceIndex) {
    const wanted = options.jobModifyIndex ?? 0;
    if (wanted === 0 && existing) throw new RpcError(500, 'Enforcing job modify index 0: job already exists');
    if (wanted > 0 && !existing)
      throw new RpcError(500, `Enforcing job modify index ${wanted}: job does not exist`);
    if (existing && wanted > 0 && existing.job.JobModifyIndex !== wanted)
      throw new RpcError(
        500,
        `Enforcing job modify index ${wanted}: job exists with conflicting job modify index: ${existing.job.JobModifyIndex}`,
      );
  }
  if (existing && existing.job.Type !== job.Type)
    throw new RpcError(500, `cannot update job from type "${existing.job.Type}" to "${job.Type}"`);
  if (existing && options.preserveCounts)
    for (const group of job.TaskGroups ?? []) {
      const live = existing.job.TaskGroups?.find((g) => g.Name === group.Name);
      if (live) group.Count = live.Count;
    }

  const changed = !existing || !sameSpec(existing.job, job);
  const wantsEval = !isParent(job);
  let evaluation: Evaluation | undefined;
  const sourceSize = (options.submission?.Source.length ?? 0) + (options.submission?.Variables?.length ?? 0);
  const warnings =
    sourceSize > 1024 * 1024
      ? [`job source size of ${sourceSize} exceeds maximum of 1048576 and will be discarded`]
      : [];
  const index = store.write((index) => {
    const now = ctx.clock.now();
    let stored = existing?.job ?? job;
    if (changed) {
      stored = {
        ...job,
        Version: existing
          ? Math.max(input.Version ?? 0, (existing.job.Version ?? 0) + 1)
          : (input.Version ?? 0),
        SubmitTime: now * MS,
        CreateIndex: existing?.job.CreateIndex ?? index,
        ModifyIndex: index,
        JobModifyIndex: index,
        Stable: false,
      };
      const record: JobRecord = existing ?? {
        namespace,
        id: job.ID!,
        job: stored,
        versions: [],
        submissions: new Map(),
        summaryCreateIndex: index,
        summaryModifyIndex: index,
      };
      record.job = stored;
      record.versions = [stored, ...record.versions].slice(0, TRACKED_VERSIONS);
      const keep = new Set(record.versions.map((v) => v.Version));
      if (options.submission && warnings.length === 0) {
        const submission: JobSubmission = {
          ...options.submission,
          VariableFlags: options.submission.VariableFlags ?? {},
          Variables: options.submission.Variables ?? '',
          Namespace: namespace,
          JobID: job.ID!,
          Version: stored.Version!,
          JobModifyIndex: index,
        };
        record.submissions.set(stored.Version!, submission);
      }
      for (const version of record.submissions.keys())
        if (!keep.has(version)) record.submissions.delete(version);
      record.summaryModifyIndex = index;
      store.jobs.set(jobKey(namespace, job.ID!), record);
    }
    if (wantsEval) {
      evaluation = newEvaluation(stored, index, now, { triggeredBy: options.triggeredBy ?? 'job-register' });
      if (options.evalPriority) evaluation.Priority = options.evalPriority;
      store.evals.set(evaluation.ID, evaluation);
    }
    return {
      tables: [
        ...(changed ? (['jobs', 'job_summary', 'job_version'] as const) : []),
        ...(wantsEval ? (['evals'] as const) : []),
      ],
      keys: [
        `job:${jobKey(namespace, job.ID!)}`,
        `summary:${jobKey(namespace, job.ID!)}`,
        `evals:${jobKey(namespace, job.ID!)}`,
      ],
      events: changed
        ? jobEvents('JobRegistered', stored, evaluation)
        : evaluation
          ? [evalEvent('JobRegistered', evaluation)]
          : [],
    };
  });
  if (evaluation) ctx.enqueueEval(evaluation.ID);
  const record = store.job(namespace, job.ID!)!;
  return {
    EvalID: evaluation?.ID ?? '',
    EvalCreateIndex: evaluation ? index : 0,
    JobModifyIndex: changed ? record.job.JobModifyIndex! : record.job.ModifyIndex!,
    Warnings: warnings.length === 0 ? '' : `1 warning:\n\n* ${warnings[0]}`,
    Index: index,
    LastContact: 0,
    KnownLeader: true,
    NextToken: '',
  };
}

/** Stop (or purge) a job. Nomad answers an unknown job with empty fields, not 404. */
export function deregisterJob(ctx: SimContext, namespace: string, id: string, purge: boolean) {
  const { store } = ctx;
  const record = store.job(namespace, id);
  if (!record)
    return {
      EvalID: '',
      EvalCreateIndex: 0,
      JobModifyIndex: 0,
      VolumeEvalID: '',
      VolumeEvalIndex: 0,
      Index: 0,
      LastContact: 0,
      KnownLeader: true,
      NextToken: '',
    };
  let evaluation: Evaluation | undefined;
  let purged: Allocation[] = [];
  const index = store.write((index) => {
    const now = ctx.clock.now();
    let job: Job = record.job;
    if (purge) {
      store.jobs.delete(jobKey(namespace, id));
      // Nomad 2.0.5 forgets a purged job's allocations at once (/v1/job/:id/allocations is [], each
      // allocation 404) while their tasks may still be stopping on their clients.
      const allocs = store.allocsOfJob(namespace, id);
      for (const alloc of allocs) store.allocs.delete(alloc.ID);
      purged = allocs;
    } else {
      job = {
        ...record.job,
        Stop: true,
        SubmitTime: now * MS,
        Version: (record.job.Version ?? 0) + 1,
        ModifyIndex: index,
        JobModifyIndex: index,
        Stable: false,
      };
      record.job = job;
      record.versions = [job, ...record.versions].slice(0, TRACKED_VERSIONS);
    }
    if (!isParent(record.job)) {
      evaluation = newEvaluation(job, index, now, { triggeredBy: 'job-deregister' });
      store.evals.set(evaluation.ID, evaluation);
    }
    const payloadJob = purge ? { ...job } : job;
    const events = jobEvents('JobDeregistered', payloadJob, evaluation);
    if (purge) events[0]!.Payload.Deleted = true;
    return {
      tables: ['jobs', 'job_summary', 'job_version', 'evals'],
      keys: [
        `job:${jobKey(namespace, id)}`,
        `summary:${jobKey(namespace, id)}`,
        `evals:${jobKey(namespace, id)}`,
      ],
      events,
    };
  });
  ctx.stopOnClients(purged);
  if (evaluation) ctx.enqueueEval(evaluation.ID);
  return {
    EvalID: evaluation?.ID ?? '',
    EvalCreateIndex: evaluation ? index : 0,
    JobModifyIndex: index,
    VolumeEvalID: '',
    VolumeEvalIndex: 0,
    Index: index,
    LastContact: 0,
    KnownLeader: true,
    NextToken: '',
  };
}

export function revertJob(
  ctx: SimContext,
  tokenAccessor: string | undefined,
  namespace: string,
  id: string,
  version: number,
  enforcePriorVersion?: number,
): JobRegisterResponse {
  const record = ctx.store.job(namespace, id);
  if (!record) throw new RpcError(500, `job "${id}" not found`);
  // Nomad's Job.Revert checks in this order: the current version, the target's existence, then the prior version.
  if (version === record.job.Version) throw new RpcError(500, "can't revert to current version");
  const target = record.versions.find((v) => v.Version === version);
  if (!target)
    throw new RpcError(500, `job "${id}" in namespace "${namespace}" at version ${version} not found`);
  if (enforcePriorVersion !== undefined && enforcePriorVersion !== record.job.Version)
    throw new RpcError(
      500,
      `Current job has version ${record.job.Version}; enforcing version ${enforcePriorVersion}`,
    );
  const { Version: _version, VersionTag: _tag, ...spec } = target;
  // Job.Revert registers through Job.Register with the caller's credentials, which stamp its token.
  return registerJob(ctx, { ...spec, Stable: false }, namespace, { caller: { tokenAccessor } });
}

export function setStable(
  ctx: SimContext,
  namespace: string,
  id: string,
  version: number,
  stable: boolean,
): { Index: number } {
  const record = ctx.store.job(namespace, id);
  const target = record?.versions.find((v) => v.Version === version);
  if (!record || !target)
    throw new RpcError(500, `job "${id}" in namespace "${namespace}" at version ${version} not found`);
  const index = markStable(ctx, record, version, stable);
  return { Index: index };
}

export function markStable(ctx: SimContext, record: JobRecord, version: number, stable: boolean): number {
  return ctx.store.write((index) => {
    record.versions = record.versions.map((v) =>
      v.Version === version ? { ...v, Stable: stable, ModifyIndex: index } : v,
    );
    if (record.job.Version === version) record.job = { ...record.job, Stable: stable, ModifyIndex: index };
    return {
      tables: ['jobs', 'job_version'],
      keys: [`job:${jobKey(record.namespace, record.id)}`],
      events: jobEvents('JobRegistered', record.job),
    };
  });
}

export function scaleJob(
  ctx: SimContext,
  namespace: string,
  id: string,
  body: Record<string, unknown>,
): JobRegisterResponse {
  const target = (body.Target ?? {}) as Record<string, string>;
  if (!target.Group) throw new RpcError(400, 'missing task group name for scaling action');
  if (target.Job && target.Job !== id) throw new RpcError(400, 'job ID in payload did not match URL');
  const count = body.Count as number | undefined;
  if (count !== undefined && count < 0) throw new RpcError(400, "scaling action count can't be negative");
  if (count !== undefined && body.Error === true)
    throw new RpcError(400, 'scaling action should not contain count if error is true');
  const record = ctx.store.job(namespace, id);
  if (!record) throw new RpcError(404, 'job not found');
  if (!record.job.TaskGroups?.some((g) => g.Name === target.Group))
    throw new RpcError(400, `task group "${target.Group}" specified for scaling does not exist in job`);
  if (ctx.store.deploymentsOfJob(namespace, id).some((d) => !isTerminalDeployment(d)))
    throw new RpcError(400, 'job scaling blocked due to active deployment');
  const job: Job = {
    ...record.job,
    TaskGroups: record.job.TaskGroups!.map((g) =>
      g.Name === target.Group && count !== undefined ? { ...g, Count: count } : g,
    ),
  };
  return registerJob(ctx, job, namespace, { triggeredBy: 'job-scaling' });
}

export function dispatchJob(ctx: SimContext, namespace: string, id: string, body: Record<string, unknown>) {
  const parent = ctx.store.job(namespace, id);
  if (!parent) throw new RpcError(500, `parameterized job not found`);
  if (!parent.job.ParameterizedJob)
    throw new RpcError(500, `Specified job "${id}" is not a parameterized job`);
  const payload = typeof body.Payload === 'string' ? Buffer.from(body.Payload, 'base64') : undefined;
  if (payload && payload.length > 16384)
    throw new RpcError(400, 'Payload exceeds maximum size; 16385 > 16384');
  const unix = Math.floor(ctx.clock.now() / 1000);
  const prefix =
    typeof body.IdPrefixTemplate === 'string' && body.IdPrefixTemplate ? `${body.IdPrefixTemplate}-` : '';
  const childId = `${id}/dispatch-${prefix}${unix}-${randomBytes(4).toString('hex')}`;
  const child: Job = {
    ...parent.job,
    ID: childId,
    Name: childId,
    ParentID: id,
    Dispatched: true,
    ParameterizedJob: null,
    Payload: payload ? payload.toString('base64') : null,
    Meta: { ...(parent.job.Meta ?? {}), ...((body.Meta as Record<string, string>) ?? {}) },
  };
  const response = registerJob(ctx, child, namespace);
  return {
    DispatchedJobID: childId,
    EvalID: response.EvalID,
    EvalCreateIndex: response.EvalCreateIndex,
    JobCreateIndex: response.JobModifyIndex,
    Index: response.Index,
  };
}

export function forcePeriodic(ctx: SimContext, namespace: string, id: string) {
  const parent = ctx.store.job(namespace, id);
  if (!parent) throw new RpcError(500, 'job not found');
  if (!parent.job.Periodic) throw new RpcError(500, "can't force launch non-periodic job");
  const childId = `${id}/periodic-${Math.floor(ctx.clock.now() / 1000)}`;
  const response = registerJob(
    ctx,
    { ...parent.job, ID: childId, Name: childId, ParentID: id, Periodic: null },
    namespace,
    {
      triggeredBy: 'periodic-job',
    },
  );
  return { EvalID: response.EvalID, EvalCreateIndex: response.EvalCreateIndex, Index: response.Index };
}

/** state_store.getJobStatus (§3.12). */
export function jobStatus(ctx: SimContext, record: JobRecord): 'pending' | 'running' | 'dead' {
  const { job } = record;
  if (job.Type === 'system' || isParent(job)) return job.Stop ? 'dead' : 'running';
  const { store } = ctx;
  if (store.deploymentsOfJob(record.namespace, record.id).some((d) => !isTerminalDeployment(d)))
    return 'running';
  const allocs = store.allocsOfJob(record.namespace, record.id);
  if (allocs.some((a) => a.DesiredStatus !== 'stop' && a.DesiredStatus !== 'evict' && !isClientTerminal(a)))
    return 'running';
  const evals = store.evalsOfJob(record.namespace, record.id);
  if (evals.some((e) => !isTerminalEval(e))) return 'pending';
  if (evals.length > 0 || job.Stop) return 'dead';
  return 'pending';
}

/**
 * Store.derive hook: after a write that touched a job's allocations, evaluations or deployments, rewrite the job's
 * Status if it changed, bumping ModifyIndex as Nomad's state store does (so blocking reads of the job wake).
 */
export function deriveJobStatus(ctx: SimContext, index: number, write: WriteResult): WriteResult | undefined {
  const touched = new Set<string>();
  for (const key of write.keys ?? []) {
    const match = /^(?:allocs|evals|deployments|job):(.+)$/.exec(key);
    if (match) touched.add(match[1]!);
  }
  const changed: Job[] = [];
  for (const key of touched) {
    const record = ctx.store.jobs.get(key);
    if (!record) continue;
    const status = jobStatus(ctx, record);
    if (status === record.job.Status) continue;
    record.job = { ...record.job, Status: status, ModifyIndex: index };
    changed.push(record.job);
  }
  if (changed.length === 0) return undefined;
  return {
    tables: ['jobs'] as const,
    keys: changed.map((job) => `job:${jobKey(job.Namespace!, job.ID!)}`),
    // Events carry the raft message that caused the change (reference §8).
    events: changed.flatMap((job) => jobEvents(write.events?.[0]?.Type ?? 'JobRegistered', job)),
  };
}

export function jobSummary(ctx: SimContext, record: JobRecord): JobSummary {
  const summary: JobSummary['Summary'] = {};
  for (const group of record.job.TaskGroups ?? [])
    summary[group.Name] = { Queued: 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0, Unknown: 0 };
  const allocs = ctx.store.allocsOfJob(record.namespace, record.id);
  for (const alloc of allocs) {
    const counts = summary[alloc.TaskGroup ?? ''];
    if (!counts) continue;
    const status = alloc.ClientStatus;
    if (status === 'pending') counts.Starting++;
    else if (status === 'running') counts.Running++;
    else if (status === 'complete') counts.Complete++;
    else if (status === 'failed') counts.Failed++;
    else if (status === 'lost') counts.Lost++;
    else if (status === 'unknown') counts.Unknown++;
  }
  for (const evaluation of ctx.store.evalsOfJob(record.namespace, record.id))
    if (evaluation.Status === 'blocked')
      for (const [group, n] of Object.entries(evaluation.QueuedAllocations ?? {}))
        if (summary[group]) summary[group].Queued += n;
  // Nomad's summary counts children for every job (all zero when it has none).
  const children = [...ctx.store.jobs.values()]
    .filter((r) => r.namespace === record.namespace && r.job.ParentID === record.id)
    .reduce(
      (acc, child) => {
        const status = jobStatus(ctx, child);
        if (status === 'pending') acc.Pending++;
        else if (status === 'running') acc.Running++;
        else acc.Dead++;
        return acc;
      },
      { Pending: 0, Running: 0, Dead: 0 },
    );
  return {
    JobID: record.id,
    Namespace: record.namespace,
    Summary: summary,
    Children: children,
    CreateIndex: record.summaryCreateIndex,
    // Nomad's job_summary row is rewritten on every allocation update of the job.
    ModifyIndex: Math.max(record.summaryModifyIndex, ...allocs.map((a) => a.ModifyIndex ?? 0)),
  };
}
