/** /v1/jobs, /v1/job/:id[/…], /v1/jobs/parse, /v1/validate/job (reference §1.8, §3). */
import type { Job, JobSubmissionInput } from '../../src/nomad/types.js';
import type { Acl } from './acl.js';
import { FilterError, compileFilter } from './bexpr.js';
import { canonicalizeJob, multierror, validateJob } from './canonicalize.js';
import { RpcError, type SimContext } from './context.js';
import { field, json, jsonBody, parseBool, read, type Reply, type SimRequest } from './http.js';
import { diffJobs } from './job-diff.js';
import {
  deregisterJob,
  dispatchJob,
  forcePeriodic,
  jobStatus,
  jobSummary,
  registerJob,
  revertJob,
  scaleJob,
  setStable,
} from './job-operations.js';
import { planJob } from './job-plan.js';
import { allocationStub, omitZero } from './objects.js';
import type { Scheduler } from './scheduler.js';
import { jobKey, type JobRecord } from './store.js';

export interface RouteDeps {
  readonly ctx: SimContext;
  readonly acl: Acl;
  readonly scheduler: Scheduler;
  /** Heartbeat periods: the event stream sends {} every 30 s, fs and log streams every 1 s. */
  readonly heartbeats: { readonly eventsMs: number; readonly framesMs: number };
  /** The server's event broker (`enable_event_broker`); switching it off ends the open streams. */
  readonly eventBroker: { enabled: boolean; readonly openStreams: Set<() => void> };
}

/** Nomad dispatches /v1/job/<rest> by suffix; anything else is a job ID (which may contain "/"). */
const JOB_SUFFIXES = [
  '/evaluate',
  '/allocations',
  '/evaluations',
  '/periodic/force',
  '/plan',
  '/summary',
  '/dispatch',
  '/versions',
  '/revert',
  '/deployments',
  '/deployment',
  '/stable',
  '/scale',
  '/services',
  '/submission',
];

export function namespaceOf(req: SimRequest): string {
  return req.query.get('namespace') || 'default';
}

function need(deps: RouteDeps, req: SimRequest, namespace: string, ...capabilities: string[]): void {
  deps.acl.authorize(req.secret, { namespace, capabilities });
}

export function routeJobs(deps: RouteDeps, req: SimRequest): Reply | undefined {
  const { method, path } = req;
  if (path === '/jobs') {
    if (method === 'GET') return listJobs(deps, req);
    if (method === 'PUT' || method === 'POST') return register(deps, req);
    throw new RpcError(405, 'Invalid method');
  }
  if (path === '/jobs/parse') {
    if (method !== 'PUT' && method !== 'POST') throw new RpcError(405, 'Invalid method');
    need(deps, req, namespaceOf(req), 'parse-job', 'submit-job');
    const body = jsonBody<Record<string, unknown>>(req);
    if (!field<string>(body, 'JobHCL')) throw new RpcError(400, 'Job spec is empty');
    // The simulator has no HCL parser of its own (see README): only Nomad's error paths are modelled.
    throw new RpcError(
      400,
      'Failed to parse job: input.hcl: the simulator does not parse HCL; send JSON jobs',
    );
  }
  if (path === '/validate/job') {
    if (method !== 'PUT' && method !== 'POST') throw new RpcError(405, 'Invalid method');
    need(deps, req, namespaceOf(req), 'read-job');
    const job = field<Job>(jsonBody(req), 'Job');
    if (!job) throw new RpcError(400, 'Job must be specified');
    const errors = validateJob(canonicalizeJob(job, namespaceOf(req), deps.ctx.region, true));
    return json({
      DriverConfigValidated: true,
      ValidationErrors: errors.length ? errors : null,
      Error: errors.length ? multierror(errors) : '',
      Warnings: '',
    });
  }
  if (!path.startsWith('/job/')) return undefined;
  const rest = path.slice('/job/'.length);
  const suffix = JOB_SUFFIXES.find((s) => rest.endsWith(s) && rest.length > s.length);
  const id = decodeURIComponent(suffix ? rest.slice(0, -suffix.length) : rest);
  const namespace = namespaceOf(req);
  const ns = namespace;
  const record = () => deps.ctx.store.job(ns, id);
  const required = (notFound = 'job not found', status = 404): JobRecord => {
    const found = record();
    if (!found) throw new RpcError(status, notFound);
    return found;
  };
  const { ctx } = deps;
  const tableFor404 = (body: () => unknown, index: () => number, watch: string[]) =>
    read(() => {
      const found = record();
      if (!found)
        return {
          body: null,
          index: ctx.store.table('jobs'),
          watch: ['table:jobs'],
          status: 404,
          errorText: 'job not found',
        };
      return { body: body(), index: index(), watch };
    });
  const key = jobKey(ns, id);

  switch (suffix) {
    case undefined:
      if (method === 'GET') {
        need(deps, req, ns, 'read-job');
        return tableFor404(
          () => record()!.job,
          () => record()!.job.ModifyIndex!,
          [`job:${key}`, `allocs:${key}`, `deployments:${key}`, `evals:${key}`],
        );
      }
      if (method === 'PUT' || method === 'POST') {
        const body = jsonBody<Record<string, unknown>>(req);
        const job = field<Job>(body, 'Job');
        if (job?.ID && job.ID !== id) throw new RpcError(400, 'Job ID does not match name');
        return register(deps, req);
      }
      if (method === 'DELETE') {
        const purge = parseBool(req.query.get('purge'), 'purge');
        parseBool(req.query.get('global'), 'global');
        need(deps, req, ns, purge ? 'purge-job' : 'deregister-job', 'submit-job');
        const priority = req.query.get('eval_priority');
        if (priority !== null && (Number(priority) < 1 || Number(priority) > 100))
          throw new RpcError(400, 'Eval priority must be between 1 and 100 inclusively');
        return json(deregisterJob(ctx, ns, id, purge));
      }
      throw new RpcError(405, 'Invalid method');
    case '/plan': {
      need(deps, req, ns, 'plan-job', 'submit-job');
      const body = jsonBody<Record<string, unknown>>(req);
      const job = field<Job>(body, 'Job');
      if (!job) throw new RpcError(400, 'Job must be specified');
      if (!job.ID) throw new RpcError(400, 'Job must have a valid ID');
      if (job.ID !== id) throw new RpcError(400, 'Job ID does not match');
      const planNamespace =
        req.query.get('namespace') || field<string>(body, 'Namespace') || job.Namespace || 'default';
      const canonical = canonicalizeJob(job, planNamespace, ctx.region, true);
      const errors = validateJob(canonical);
      if (errors.length > 0) throw new RpcError(500, multierror(errors));
      const response = planJob(ctx, canonical, field<boolean>(body, 'Diff') === true);
      return json(response, response.Index);
    }
    case '/allocations': {
      need(deps, req, ns, 'read-job');
      // Like the state store's AllocsByJob: without all=true, only this incarnation of the job (a purged job
      // registered again has a new CreateIndex; the old one's allocations stay until garbage collection).
      const all = parseBool(req.query.get('all'), 'all');
      return read(() => ({
        body: ctx.store
          .allocsOfJob(ns, id)
          .filter((a) => all || !record() || a.Job?.CreateIndex === record()!.job.CreateIndex)
          .sort((a, b) => (b.CreateIndex ?? 0) - (a.CreateIndex ?? 0))
          .map(allocationStub),
        index: ctx.store.table('allocs'),
        watch: [`allocs:${key}`],
      }));
    }
    case '/evaluations':
      need(deps, req, ns, 'read-job');
      return read(() => ({
        body: ctx.store
          .evalsOfJob(ns, id)
          .sort((a, b) => (b.CreateIndex ?? 0) - (a.CreateIndex ?? 0))
          .map((e) => omitZero(e)),
        index: ctx.store.table('evals'),
        watch: [`evals:${key}`],
      }));
    case '/deployments': {
      need(deps, req, ns, 'read-job');
      const all = parseBool(req.query.get('all'), 'all');
      return read(() => ({
        body: ctx.store
          .deploymentsOfJob(ns, id)
          .filter((d) => all || !record() || d.JobCreateIndex === record()!.job.CreateIndex),
        index: ctx.store.table('deployment'),
        watch: [`deployments:${key}`],
      }));
    }
    case '/deployment':
      need(deps, req, ns, 'read-job');
      return read(() => {
        const latest = ctx.store.deploymentsOfJob(ns, id)[0] ?? null;
        return {
          body: latest,
          index: latest?.ModifyIndex ?? ctx.store.table('deployment'),
          watch: [`deployments:${key}`],
        };
      });
    case '/summary':
      need(deps, req, ns, 'read-job');
      return tableFor404(
        () => jobSummary(ctx, record()!),
        () => jobSummary(ctx, record()!).ModifyIndex,
        [`summary:${key}`, `job:${key}`],
      );
    case '/versions': {
      need(deps, req, ns, 'read-job');
      const diffs = parseBool(req.query.get('diffs'), 'diffs');
      const diffVersionText = req.query.get('diff_version');
      const diffVersion = diffVersionText ? Number(diffVersionText) : undefined;
      if (diffVersionText && !/^\d+$/.test(diffVersionText))
        throw new RpcError(
          500,
          `Failed to parse value of "diff_version" (${diffVersionText}) as a uint64: strconv.ParseUint: parsing ${JSON.stringify(diffVersionText)}: invalid syntax`,
        );
      return read(() => {
        const found = record();
        if (!found)
          return {
            body: null,
            index: ctx.store.table('job_version'),
            watch: ['table:job_version'],
            status: 404,
            errorText: 'job versions not found',
          };
        const versions = found.versions;
        // GetJobVersions: with diff_version, every version is diffed against that one (old), not its predecessor.
        const compare =
          diffs && diffVersion !== undefined ? versions.find((v) => v.Version === diffVersion) : undefined;
        if (diffs && diffVersion !== undefined && !compare)
          throw new RpcError(500, `version ${diffVersion} not found`);
        return {
          body: {
            Versions: versions,
            // A Go nil slice: null, also when there is only one version to diff.
            Diffs: compare
              ? versions.map((v) => diffJobs(compare, v))
              : diffs && versions.length > 1
                ? versions.slice(0, -1).map((v, i) => diffJobs(versions[i + 1]!, v))
                : null,
            Index: Math.max(...versions.map((v) => v.ModifyIndex ?? 0)),
            LastContact: 0,
            KnownLeader: true,
            NextToken: '',
          },
          index: Math.max(...versions.map((v) => v.ModifyIndex ?? 0)),
          watch: [`job:${key}`],
        };
      });
    }
    case '/submission': {
      need(deps, req, ns, 'read-job');
      const version = Number(req.query.get('version'));
      if (req.query.get('version') === null || !Number.isInteger(version))
        throw new RpcError(400, 'Unable to parse job submission version parameter');
      return read(() => {
        const submission = record()?.submissions.get(version);
        if (!submission)
          return {
            body: null,
            index: 0,
            watch: [`job:${key}`],
            status: 404,
            errorText: 'job source not found',
          };
        return { body: submission, index: submission.JobModifyIndex, watch: [`job:${key}`] };
      });
    }
    case '/revert': {
      need(deps, req, ns, 'revert-job', 'submit-job');
      const body = jsonBody<Record<string, unknown>>(req);
      return json(
        revertJob(
          ctx,
          deps.acl.accessorOf(req.secret),
          ns,
          id,
          Number(field(body, 'JobVersion') ?? 0),
          field<number>(body, 'EnforcePriorVersion'),
        ),
      );
    }
    case '/stable': {
      need(deps, req, ns, 'stable-job', 'submit-job');
      const body = jsonBody<Record<string, unknown>>(req);
      return json(
        setStable(
          ctx,
          ns,
          id,
          Number(field(body, 'JobVersion') ?? 0),
          field<boolean>(body, 'Stable') === true,
        ),
      );
    }
    case '/scale':
      if (method === 'GET') {
        need(deps, req, ns, 'read-job-scaling', 'read-job');
        return tableFor404(
          () => scaleStatus(deps, record()!),
          () => record()!.job.ModifyIndex!,
          [`job:${key}`, `allocs:${key}`],
        );
      }
      need(deps, req, ns, 'scale-job', 'submit-job');
      return json(scaleJob(ctx, ns, id, jsonBody(req)));
    case '/dispatch':
      need(deps, req, ns, 'dispatch-job');
      return json(dispatchJob(ctx, ns, id, jsonBody(req, { allowEmpty: true })));
    case '/periodic/force':
      need(deps, req, ns, 'force-periodic-job', 'dispatch-job', 'submit-job');
      return json(forcePeriodic(ctx, ns, id));
    case '/evaluate': {
      need(deps, req, ns, 'evaluate-job', 'submit-job');
      const found = required('job not found', 500);
      if (found.job.Periodic) throw new RpcError(500, "can't evaluate periodic job");
      if (found.job.ParameterizedJob) throw new RpcError(500, "can't evaluate parameterized job");
      return json(registerJob(ctx, found.job, ns, { triggeredBy: 'job-register' }));
    }
    case '/services':
      need(deps, req, ns, 'read-job');
      required();
      return json([], ctx.store.index);
  }
  return undefined;
}

function listJobs(deps: RouteDeps, req: SimRequest): Reply {
  const { ctx, acl } = deps;
  const namespace = namespaceOf(req);
  const prefix = req.query.get('prefix') ?? '';
  const withMeta = parseBool(req.query.get('meta'), 'meta');
  const filterText = req.query.get('filter');
  let filter: ((item: unknown) => boolean) | undefined;
  try {
    filter = filterText ? compileFilter(filterText) : undefined;
  } catch (error) {
    if (error instanceof FilterError)
      throw new RpcError(400, `failed to read filter expression: ${error.message}`);
    throw error;
  }
  const perPage = req.query.get('per_page');
  if (perPage !== null && !/^\d+$/.test(perPage))
    throw new RpcError(400, 'Expect a number for `per_page` query string parameter');
  if (namespace !== '*') need(deps, req, namespace, 'list-jobs');
  const visible = acl.namespaceFilter(req.secret, 'list-jobs');
  const nextToken = req.query.get('next_token') ?? '';
  return {
    kind: 'read',
    run: () => {
      const stubs = [...ctx.store.jobs.values()]
        .filter(
          (r) =>
            (namespace === '*' ? visible(r.namespace) : r.namespace === namespace) && r.id.startsWith(prefix),
        )
        .sort((a, b) => a.id.localeCompare(b.id) || a.namespace.localeCompare(b.namespace))
        .map((r) => jobStub(deps, r, withMeta))
        .filter((stub) => !filter || filter(stub));
      const start = nextToken ? stubs.findIndex((s) => `${s.Namespace}.${s.ID}` === nextToken) : 0;
      const page = perPage
        ? stubs.slice(Math.max(start, 0), Math.max(start, 0) + Number(perPage))
        : stubs.slice(Math.max(start, 0));
      const after = stubs[Math.max(start, 0) + page.length];
      return {
        body: page,
        index: Math.max(ctx.store.table('jobs'), ctx.store.table('job_summary')),
        watch: ['table:jobs', 'table:job_summary'],
        nextToken: perPage && after ? `${after.Namespace}.${after.ID}` : undefined,
      };
    },
  };
}

function jobStub(deps: RouteDeps, record: JobRecord, withMeta: boolean) {
  const { job } = record;
  return {
    ID: record.id,
    ParentID: job.ParentID ?? '',
    Name: job.Name ?? record.id,
    Namespace: record.namespace,
    Datacenters: job.Datacenters ?? null,
    NodePool: job.NodePool ?? 'default',
    Multiregion: job.Multiregion ?? null,
    Type: job.Type ?? 'service',
    Priority: job.Priority ?? 50,
    Periodic: Boolean(job.Periodic),
    ParameterizedJob: Boolean(job.ParameterizedJob),
    Stop: job.Stop ?? false,
    Status: jobStatus(deps.ctx, record),
    StatusDescription: job.StatusDescription ?? '',
    JobSummary: jobSummary(deps.ctx, record),
    CreateIndex: job.CreateIndex ?? 0,
    ModifyIndex: job.ModifyIndex ?? 0,
    JobModifyIndex: job.JobModifyIndex ?? 0,
    SubmitTime: job.SubmitTime ?? 0,
    ...(withMeta ? { Meta: job.Meta ?? null } : {}),
  };
}

function scaleStatus(deps: RouteDeps, record: JobRecord) {
  const allocs = deps.ctx.store
    .allocsOfJob(record.namespace, record.id)
    .filter((a) => a.Job?.Version === record.job.Version);
  return {
    JobID: record.id,
    Namespace: record.namespace,
    JobCreateIndex: record.job.CreateIndex,
    JobModifyIndex: record.job.JobModifyIndex,
    JobStopped: record.job.Stop,
    TaskGroups: Object.fromEntries(
      (record.job.TaskGroups ?? []).map((g) => {
        const mine = allocs.filter((a) => a.TaskGroup === g.Name);
        return [
          g.Name,
          {
            Desired: g.Count ?? 1,
            Placed: mine.length,
            Running: mine.filter((a) => a.ClientStatus === 'running').length,
            Healthy: mine.filter((a) => a.DeploymentStatus?.Healthy === true).length,
            Unhealthy: mine.filter((a) => a.DeploymentStatus?.Healthy === false).length,
            Events: null,
          },
        ];
      }),
    ),
  };
}

function register(deps: RouteDeps, req: SimRequest): Reply {
  const body = jsonBody<Record<string, unknown>>(req);
  const job = field<Job>(body, 'Job');
  if (!job) throw new RpcError(400, 'Job must be specified');
  if (!job.ID) throw new RpcError(400, "Job ID hasn't been provided");
  const namespace =
    req.query.get('namespace') || field<string>(body, 'Namespace') || job.Namespace || 'default';
  const region = req.query.get('region') || field<string>(body, 'Region') || job.Region;
  if (region && region !== 'global' && region !== deps.ctx.region)
    throw new RpcError(500, 'No path to region');
  need(deps, req, namespace, 'register-job', 'submit-job');
  const response = registerJob(deps.ctx, job, namespace, {
    fromApi: true,
    caller: { tokenAccessor: deps.acl.accessorOf(req.secret) },
    enforceIndex: field<boolean>(body, 'EnforceIndex') === true,
    jobModifyIndex: field<number>(body, 'JobModifyIndex'),
    submission: field<JobSubmissionInput>(body, 'Submission'),
    preserveCounts: field<boolean>(body, 'PreserveCounts') === true,
    evalPriority: field<number>(body, 'EvalPriority'),
  });
  return json(response, response.Index);
}
