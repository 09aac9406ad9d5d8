/**
 * Follows one registered job to its end through blocking queries (never fixed-interval polling): the evaluation,
 * then the deployment (canaries, promotion, auto-revert) or, for jobs without one, the new version's allocations.
 * Emits typed events for progress; returns the outcome with an explanation when it failed.
 */
import { CancelledError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import type { AllocListStub, Deployment, Job } from '../nomad/types.js';
import { describePlacementFailure, explainFailures } from './explain.js';
import {
  allocationsReadiness,
  awaitsPromotion,
  deploymentProgress,
  deploymentReadiness,
  evaluationReadiness,
  stoppedReadiness,
  type GroupProgress,
} from './readiness.js';
import { blockingQueries, type StateSource } from './state-source.js';

export type WatchEvent =
  | { readonly type: 'evaluation'; readonly job: string; readonly status: string }
  | {
      readonly type: 'deployment';
      readonly job: string;
      readonly deploymentId: string;
      readonly version: number;
      readonly status: string;
      readonly description: string;
      readonly groups: readonly GroupProgress[];
    }
  | { readonly type: 'allocations'; readonly job: string; readonly message: string }
  | { readonly type: 'promoting'; readonly job: string; readonly deploymentId: string }
  | {
      readonly type: 'reverting';
      readonly job: string;
      readonly toVersion: number;
      readonly by: 'nomad' | 'drover';
    };

export type Outcome = 'succeeded' | 'failed' | 'promotion-ready';

export interface WatchResult {
  readonly outcome: Outcome;
  readonly message: string;
  readonly deploymentId?: string;
  /** The job version watched: the deployment's, or the job's when it has none. */
  readonly version?: number;
  /** Why it failed: placement failures, task events, stderr tails. */
  readonly explanation: readonly string[];
}

export interface WatchOptions {
  readonly client: NomadClient;
  readonly job: Job;
  readonly namespace: string;
  /** The evaluation the registration created ("" for periodic and parameterized jobs). */
  readonly evalId: string;
  /** The index the registration created the evaluation at: the first read waits for it to change. */
  readonly evalCreateIndex?: number;
  readonly autoPromote?: boolean;
  /** Revert to the last stable version when the deployment fails and the job has no auto_revert. */
  readonly rollback?: boolean;
  readonly signal?: AbortSignal;
  readonly emit: (event: WatchEvent) => void;
  /** Where newer states come from. Default: a blocking query per object, each waiting up to `wait`. */
  readonly source?: StateSource;
  /** The wait of each blocking query. Default 5m. */
  readonly wait?: string;
}

/** What following a deployment needs: not the job or its registration's evaluation. */
type FollowOptions = Omit<WatchOptions, 'job' | 'evalId' | 'evalCreateIndex'>;

/**
 * A deployment whose canaries wait for a promotion (drover promote, apply --auto-promote of an unchanged job):
 * promoted, then followed to its end like any deployment drover started, a failure reverted as apply would.
 */
export function promoteDeployment(
  options: Omit<FollowOptions, 'autoPromote'> & { readonly id: string; readonly deploymentId: string },
): Promise<WatchResult> {
  const source = options.source ?? blockingQueries(options.client, options.wait);
  return watchDeployments({ ...options, autoPromote: true }, source, options.id, options.deploymentId);
}

export async function watchJob(options: WatchOptions): Promise<WatchResult> {
  const { namespace, signal } = options;
  const source = options.source ?? blockingQueries(options.client, options.wait);
  const id = String(options.job.ID);
  if (options.job.Periodic || options.job.ParameterizedJob)
    return {
      outcome: 'succeeded',
      message: 'registered (runs on its schedule or when dispatched)',
      explanation: [],
    };

  // Like `nomad job run`'s monitor: the evaluation names the deployment the scheduler created, if any.
  let deploymentId: string | undefined;
  if (options.evalId) {
    let last = '';
    for await (const evaluation of source.evaluation(options.evalId, {
      namespace,
      signal,
      ...(options.evalCreateIndex ? { after: options.evalCreateIndex } : {}),
    })) {
      if (evaluation.Status !== last)
        options.emit({ type: 'evaluation', job: id, status: (last = evaluation.Status) });
      const ready = evaluationReadiness(evaluation);
      if (!ready.done) continue;
      if (ready.placementFailed)
        return {
          outcome: 'failed',
          message: ready.message,
          explanation: Object.entries(evaluation.FailedTGAllocs ?? {}).map(([group, metric]) =>
            describePlacementFailure(group, metric),
          ),
        };
      if (!ready.successful) return { outcome: 'failed', message: ready.message, explanation: [] };
      deploymentId = evaluation.DeploymentID || undefined;
      break;
    }
  }

  if (deploymentId) return watchDeployments(options, source, id, deploymentId);
  return watchAllocations(options, source, id);
}

/** The first deployment of version `minVersion` or later (after a revert registers a new version). */
async function nextDeployment(
  options: FollowOptions,
  source: StateSource,
  id: string,
  minVersion: number,
): Promise<Deployment | undefined> {
  const { namespace, signal } = options;
  for await (const value of source.latestDeployment(id, { namespace, signal }))
    if (value && value.JobVersion >= minVersion) return value;
  return undefined;
}

async function watchDeployments(
  options: FollowOptions,
  source: StateSource,
  id: string,
  deploymentId: string,
): Promise<WatchResult> {
  const { client, namespace, signal } = options;
  const result = await followDeployment(options, source, id, deploymentId);
  if (result.outcome !== 'failed' || !result.deployment) return result;
  const version = result.deployment.JobVersion;
  const explanation = await explainFailures(
    client,
    namespace,
    await allocationsOf(options, id),
    version,
    signal,
  );
  let target = deploymentReadiness(result.deployment).revertedTo;
  let by: 'nomad' | 'drover' = 'nomad';
  if (target === undefined && options.rollback) {
    const { body } = await client.jobs.versions(id, { namespace, signal });
    const stable = body.Versions.find((v) => v.Stable && (v.Version ?? 0) < version);
    if (stable) {
      await client.jobs.revert(id, stable.Version!, { namespace, signal });
      target = stable.Version!;
      by = 'drover';
    }
  }
  const failed = { outcome: 'failed', deploymentId: result.deploymentId, version, explanation } as const;
  if (target === undefined) return { ...failed, message: result.message };
  options.emit({ type: 'reverting', job: id, toVersion: target, by });
  const revertDeployment = await nextDeployment(options, source, id, version + 1);
  if (!revertDeployment) return { ...failed, message: `deployment failed; reverted to version ${target}` };
  const after = await followDeployment(options, source, id, revertDeployment.ID);
  return {
    ...failed,
    message: `deployment failed (${result.message}); reverted to version ${target}, whose deployment ${after.outcome === 'succeeded' ? 'succeeded' : `ended: ${after.message}`}`,
  };
}

async function followDeployment(
  options: FollowOptions,
  source: StateSource,
  id: string,
  deploymentId: string,
): Promise<WatchResult & { deployment?: Deployment }> {
  let lastSeen = '';
  for await (const deployment of source.deployment(deploymentId, {
    namespace: options.namespace,
    signal: options.signal,
  })) {
    const groups = deploymentProgress(deployment);
    const key = JSON.stringify([deployment.Status, deployment.StatusDescription, groups]);
    if (key !== lastSeen) {
      lastSeen = key;
      options.emit({
        type: 'deployment',
        job: id,
        deploymentId: deployment.ID,
        version: deployment.JobVersion,
        status: deployment.Status,
        description: deployment.StatusDescription,
        groups,
      });
    }
    const result = await deploymentStep(options, id, deployment, groups);
    if (result) return result;
  }
  throw new CancelledError();
}

/** What one state of the deployment means: done, promotion-ready (or promoted now), or keep watching. */
async function deploymentStep(
  options: FollowOptions,
  id: string,
  deployment: Deployment,
  groups: readonly GroupProgress[],
): Promise<(WatchResult & { deployment?: Deployment }) | undefined> {
  const { client, namespace, signal } = options;
  const ready = deploymentReadiness(deployment);
  if (ready.done)
    return {
      outcome: ready.successful ? 'succeeded' : 'failed',
      message: ready.message,
      deploymentId: deployment.ID,
      version: deployment.JobVersion,
      explanation: [],
      deployment,
    };
  const canariesWaiting = groups.some(
    (g) => g.desiredCanaries > 0 && !g.promoted && g.healthy >= g.desiredCanaries,
  );
  if (!canariesWaiting) return undefined;
  const { body: allocations } = await client.deployments.allocations(deployment.ID, { namespace, signal });
  if (!awaitsPromotion(deployment, allocations)) return undefined;
  if (!options.autoPromote)
    return {
      outcome: 'promotion-ready',
      message: `canaries are healthy and wait for promotion: nomad deployment promote ${deployment.ID}`,
      deploymentId: deployment.ID,
      version: deployment.JobVersion,
      explanation: [],
    };
  options.emit({ type: 'promoting', job: id, deploymentId: deployment.ID });
  await client.deployments.promote(deployment.ID, undefined, { namespace, signal });
  return undefined;
}

async function allocationsOf(options: FollowOptions, id: string): Promise<AllocListStub[]> {
  return (await options.client.jobs.allocations(id, { namespace: options.namespace, signal: options.signal }))
    .body;
}

async function watchAllocations(
  options: WatchOptions,
  source: StateSource,
  id: string,
): Promise<WatchResult> {
  const { client, namespace, signal } = options;
  const perNode = options.job.Type === 'system' || options.job.Type === 'sysbatch';
  const expected = perNode ? 0 : (options.job.TaskGroups ?? []).reduce((n, g) => n + (g.Count ?? 1), 0);
  // Without a deployment nothing else names the version the registration produced.
  const version = (await client.jobs.read(id, { namespace, signal })).body.Version ?? 0;
  let last = '';
  for await (const allocations of source.jobAllocations(id, { namespace, signal })) {
    const ready = allocationsReadiness(String(options.job.Type ?? 'service'), version, allocations, expected);
    if (ready.message !== last)
      options.emit({ type: 'allocations', job: id, message: (last = ready.message) });
    if (!ready.done) continue;
    if (ready.successful) return { outcome: 'succeeded', message: ready.message, version, explanation: [] };
    return {
      outcome: 'failed',
      message: ready.message,
      version,
      explanation: await explainFailures(client, namespace, allocations, version, signal),
    };
  }
  throw new CancelledError();
}

/** After a stop or purge: until none of the job's allocations still runs. */
export async function watchStopped(
  source: StateSource,
  id: string,
  namespace: string,
  signal: AbortSignal | undefined,
  emit: (event: WatchEvent) => void,
): Promise<void> {
  let last = '';
  for await (const allocations of source.jobAllocations(id, { namespace, signal })) {
    const ready = stoppedReadiness(allocations);
    if (ready.message !== last) emit({ type: 'allocations', job: id, message: (last = ready.message) });
    if (ready.done) return;
  }
}
