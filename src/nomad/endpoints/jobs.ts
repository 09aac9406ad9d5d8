import { NomadNotFoundError } from '../errors.js';
import type { ApiResponse, Transport } from '../transport.js';
import type {
  AllocListStub,
  Deployment,
  Evaluation,
  Job,
  JobDeregisterResponse,
  JobDispatchResponse,
  JobListStub,
  JobPlanResponse,
  JobRegisterRequest,
  JobRegisterResponse,
  JobScaleRequest,
  JobScaleStatus,
  JobSubmission,
  JobSummary,
  JobValidateResponse,
  JobVersionsResponse,
  PeriodicForceResponse,
  WriteMeta,
} from '../types.js';
import {
  allPages,
  readRequest,
  segment,
  writeRequest,
  type ReadOptions,
  type WriteOptions,
} from './options.js';

export interface JobListOptions extends ReadOptions {
  readonly prefix?: string;
  /** Include each job's Meta in the stubs. */
  readonly meta?: boolean;
  /** A go-bexpr filter, e.g. `Meta["drover.stack"] == "shop"`. */
  readonly filter?: string;
  readonly perPage?: number;
  readonly nextToken?: string;
}

export interface DeregisterOptions extends WriteOptions {
  /** Remove the job and its history instead of stopping it. */
  readonly purge?: boolean;
  /** Multiregion jobs: stop in every region. */
  readonly global?: boolean;
  readonly evalPriority?: number;
  readonly noShutdownDelay?: boolean;
}

export interface DispatchOptions extends WriteOptions {
  readonly payload?: Buffer;
  readonly meta?: Record<string, string>;
  readonly idPrefixTemplate?: string;
  readonly idempotencyToken?: string;
}

/** /v1/jobs and /v1/job/:id/... */
export class JobsApi {
  constructor(private readonly transport: Transport) {}

  /** One page of jobs (pass namespace "*" for every namespace the token can see). */
  list(options: JobListOptions = {}): Promise<ApiResponse<JobListStub[]>> {
    return this.transport.json(
      readRequest('/jobs', options, {
        prefix: options.prefix,
        meta: options.meta,
        filter: options.filter,
        per_page: options.perPage,
        next_token: options.nextToken,
      }),
    );
  }

  /** Every page of jobs. */
  listAll(options: Omit<JobListOptions, 'nextToken' | 'index' | 'wait'> = {}): Promise<JobListStub[]> {
    return allPages((nextToken) => this.list({ ...options, nextToken }));
  }

  read(id: string, options: ReadOptions = {}): Promise<ApiResponse<Job>> {
    return this.transport.json(readRequest(`/job/${segment(id)}`, options));
  }

  /** The job, or null when Nomad does not have it. */
  async find(id: string, options: ReadOptions = {}): Promise<ApiResponse<Job | null>> {
    try {
      return await this.read(id, options);
    } catch (error) {
      if (error instanceof NomadNotFoundError)
        return { body: null, meta: { status: 404, index: error.index, knownLeader: true, lastContactMs: 0 } };
      throw error;
    }
  }

  async register(request: JobRegisterRequest, options: WriteOptions = {}): Promise<JobRegisterResponse> {
    return (await this.transport.json<JobRegisterResponse>(writeRequest('PUT', '/jobs', options, request)))
      .body;
  }

  /** Stops the job (purge: removes it). Nomad answers 200 with empty fields for a job it does not know. */
  async deregister(id: string, options: DeregisterOptions = {}): Promise<JobDeregisterResponse> {
    const query = {
      purge: options.purge,
      global: options.global,
      eval_priority: options.evalPriority,
      no_shutdown_delay: options.noShutdownDelay,
    };
    return (
      await this.transport.json<JobDeregisterResponse>(
        writeRequest('DELETE', `/job/${segment(id)}`, options, undefined, query),
      )
    ).body;
  }

  /** Starts a stopped job the way `nomad job start` does: its latest version registered again with Stop=false. */
  async start(id: string, options: WriteOptions = {}): Promise<JobRegisterResponse> {
    const { body: job } = await this.read(id, options);
    return this.register(
      { Job: { ...job, Stop: false }, EnforceIndex: true, JobModifyIndex: job.JobModifyIndex ?? 0 },
      options,
    );
  }

  async plan(
    job: Job,
    options: WriteOptions & { diff?: boolean; policyOverride?: boolean } = {},
  ): Promise<JobPlanResponse> {
    const body = { Job: job, Diff: options.diff ?? true, PolicyOverride: options.policyOverride ?? false };
    return (
      // A plan changes nothing in Nomad: it is retried like a read.
      (
        await this.transport.json<JobPlanResponse>({
          ...writeRequest('PUT', `/job/${segment(job.ID ?? '')}/plan`, options, body),
          retry: true,
        })
      ).body
    );
  }

  /** Nomad's own HCL2 parser (no filesystem functions; undeclared variables are warnings). */
  async parse(
    request: { jobHCL: string; canonicalize?: boolean; variables?: string },
    options: WriteOptions = {},
  ): Promise<Job> {
    const body = {
      JobHCL: request.jobHCL,
      Canonicalize: request.canonicalize ?? false,
      Variables: request.variables,
    };
    return (await this.transport.json<Job>(writeRequest('PUT', '/jobs/parse', options, body))).body;
  }

  /** Server-side validation. HTTP 200 even when the job is invalid: read ValidationErrors. */
  async validate(job: Job, options: WriteOptions = {}): Promise<JobValidateResponse> {
    return (
      await this.transport.json<JobValidateResponse>(
        writeRequest('PUT', '/validate/job', options, { Job: job }),
      )
    ).body;
  }

  submission(id: string, version: number, options: ReadOptions = {}): Promise<ApiResponse<JobSubmission>> {
    return this.transport.json(readRequest(`/job/${segment(id)}/submission`, options, { version }));
  }

  versions(
    id: string,
    options: ReadOptions & { diffs?: boolean; diffVersion?: number } = {},
  ): Promise<ApiResponse<JobVersionsResponse>> {
    return this.transport.json(
      readRequest(`/job/${segment(id)}/versions`, options, {
        diffs: options.diffs,
        diff_version: options.diffVersion,
      }),
    );
  }

  async revert(
    id: string,
    version: number,
    options: WriteOptions & { enforcePriorVersion?: number } = {},
  ): Promise<JobRegisterResponse> {
    const body = { JobID: id, JobVersion: version, EnforcePriorVersion: options.enforcePriorVersion };
    return (
      await this.transport.json<JobRegisterResponse>(
        writeRequest('PUT', `/job/${segment(id)}/revert`, options, body),
      )
    ).body;
  }

  async setStable(
    id: string,
    version: number,
    stable: boolean,
    options: WriteOptions = {},
  ): Promise<WriteMeta> {
    const body = { JobID: id, JobVersion: version, Stable: stable };
    return (
      await this.transport.json<WriteMeta>(writeRequest('PUT', `/job/${segment(id)}/stable`, options, body))
    ).body;
  }

  allocations(
    id: string,
    options: ReadOptions & { all?: boolean } = {},
  ): Promise<ApiResponse<AllocListStub[]>> {
    return this.transport.json(readRequest(`/job/${segment(id)}/allocations`, options, { all: options.all }));
  }

  evaluations(id: string, options: ReadOptions = {}): Promise<ApiResponse<Evaluation[]>> {
    return this.transport.json(readRequest(`/job/${segment(id)}/evaluations`, options));
  }

  deployments(id: string, options: ReadOptions & { all?: boolean } = {}): Promise<ApiResponse<Deployment[]>> {
    return this.transport.json(readRequest(`/job/${segment(id)}/deployments`, options, { all: options.all }));
  }

  /** The most recent deployment, or null (Nomad answers a literal null) when the job has none. */
  latestDeployment(id: string, options: ReadOptions = {}): Promise<ApiResponse<Deployment | null>> {
    return this.transport.json(readRequest(`/job/${segment(id)}/deployment`, options));
  }

  summary(id: string, options: ReadOptions = {}): Promise<ApiResponse<JobSummary>> {
    return this.transport.json(readRequest(`/job/${segment(id)}/summary`, options));
  }

  scaleStatus(id: string, options: ReadOptions = {}): Promise<ApiResponse<JobScaleStatus>> {
    return this.transport.json(readRequest(`/job/${segment(id)}/scale`, options));
  }

  async scale(
    id: string,
    request: JobScaleRequest,
    options: WriteOptions = {},
  ): Promise<JobRegisterResponse> {
    const body = { ...request, Target: { Job: id, Group: request.Target.Group } };
    return (
      await this.transport.json<JobRegisterResponse>(
        writeRequest('PUT', `/job/${segment(id)}/scale`, options, body),
      )
    ).body;
  }

  async dispatch(id: string, options: DispatchOptions = {}): Promise<JobDispatchResponse> {
    const body = {
      JobID: id,
      Payload: options.payload?.toString('base64'),
      Meta: options.meta,
      IdPrefixTemplate: options.idPrefixTemplate,
    };
    const request = writeRequest('PUT', `/job/${segment(id)}/dispatch`, options, body, {
      idempotency_token: options.idempotencyToken,
    });
    return (await this.transport.json<JobDispatchResponse>(request)).body;
  }

  async forcePeriodic(id: string, options: WriteOptions = {}): Promise<PeriodicForceResponse> {
    return (
      await this.transport.json<PeriodicForceResponse>(
        writeRequest('PUT', `/job/${segment(id)}/periodic/force`, options, {}),
      )
    ).body;
  }
}
