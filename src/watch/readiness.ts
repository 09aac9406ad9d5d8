/**
 * Readiness as pure functions of Nomad's objects: is the evaluation, deployment or set of allocations done, and
 * did it succeed? Each returns { done, successful, message }; the watch loop only fetches and asks.
 */
import type { AllocListStub, Deployment, Evaluation } from '../nomad/types.js';
import { compareText } from '../util/compare.js';

export interface Readiness {
  readonly done: boolean;
  readonly successful: boolean;
  readonly message: string;
}

export function evaluationReadiness(
  evaluation: Evaluation,
): Readiness & { readonly placementFailed: boolean } {
  const failedGroups = Object.keys(evaluation.FailedTGAllocs ?? {});
  const placementFailed = failedGroups.length > 0;
  switch (evaluation.Status) {
    case 'complete':
      return placementFailed
        ? {
            done: true,
            successful: false,
            placementFailed,
            message: `placement failed for group${failedGroups.length === 1 ? '' : 's'} ${failedGroups.join(', ')}`,
          }
        : { done: true, successful: true, placementFailed, message: 'evaluation complete' };
    case 'failed':
      return {
        done: true,
        successful: false,
        placementFailed,
        message: `evaluation failed${evaluation.StatusDescription ? `: ${evaluation.StatusDescription}` : ''}`,
      };
    case 'canceled':
      return { done: true, successful: false, placementFailed, message: 'evaluation canceled' };
    case 'blocked':
      return {
        done: true,
        successful: false,
        placementFailed: true,
        message: 'evaluation blocked: not enough capacity',
      };
    default:
      return { done: false, successful: false, placementFailed, message: `evaluation ${evaluation.Status}` };
  }
}

export interface GroupProgress {
  readonly group: string;
  readonly desired: number;
  readonly placed: number;
  readonly healthy: number;
  readonly unhealthy: number;
  readonly canaries: number;
  readonly desiredCanaries: number;
  readonly promoted: boolean;
}

export function deploymentProgress(deployment: Deployment): GroupProgress[] {
  return Object.entries(deployment.TaskGroups)
    .sort(([a], [b]) => compareText(a, b))
    .map(([group, state]) => ({
      group,
      desired: state.DesiredTotal,
      placed: state.PlacedAllocs,
      healthy: state.HealthyAllocs,
      unhealthy: state.UnhealthyAllocs,
      canaries: state.PlacedCanaries?.length ?? 0,
      desiredCanaries: state.DesiredCanaries,
      promoted: state.Promoted,
    }));
}

/** Canaries are all healthy and wait for a promotion that will not come by itself. */
export function awaitsPromotion(deployment: Deployment, allocations: readonly AllocListStub[]): boolean {
  if (deployment.Status !== 'running') return false;
  const waiting = Object.entries(deployment.TaskGroups).filter(
    ([, s]) => s.DesiredCanaries > 0 && !s.Promoted,
  );
  if (waiting.length === 0 || waiting.some(([, s]) => s.AutoPromote)) return false;
  return waiting.every(([group, s]) => {
    const healthy = allocations.filter(
      (a) => a.TaskGroup === group && a.DeploymentStatus?.Canary && a.DeploymentStatus.Healthy === true,
    ).length;
    return healthy >= s.DesiredCanaries;
  });
}

/**
 * From the deployment alone (no allocation reads): running, and every canary group unpromoted, without
 * auto_promote, and with as many healthy allocations as canaries wanted. Its ModifyTime is then when the last
 * canary turned healthy.
 */
export function waitsForPromotion(deployment: Deployment): boolean {
  if (deployment.Status !== 'running') return false;
  const canaryGroups = Object.values(deployment.TaskGroups).filter(
    (s) => s.DesiredCanaries > 0 && !s.Promoted,
  );
  return (
    canaryGroups.length > 0 &&
    canaryGroups.every((s) => !s.AutoPromote && s.HealthyAllocs >= s.DesiredCanaries)
  );
}

/** When a deployment that waits for promotion started waiting (RFC 3339, seconds), or null when it does not wait. */
export function promotionWaitSince(deployment: Deployment): string | null {
  if (!waitsForPromotion(deployment)) return null;
  return new Date(Math.floor(deployment.ModifyTime / 1e6)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `web: canaries healthy, waiting for promotion since 2026-12-02T06:40:00Z: drover promote web` */
export function describePromotionWait(job: string, jobId: string, since: string): string {
  return `${job}: canaries healthy, waiting for promotion since ${since}: drover promote ${jobId}`;
}

export function deploymentReadiness(deployment: Deployment): Readiness & { readonly revertedTo?: number } {
  const revert = /rolling back to job version (\d+)/.exec(deployment.StatusDescription);
  switch (deployment.Status) {
    case 'successful':
      return { done: true, successful: true, message: deployment.StatusDescription };
    case 'failed':
      return {
        done: true,
        successful: false,
        message: deployment.StatusDescription,
        ...(revert ? { revertedTo: Number(revert[1]) } : {}),
      };
    case 'cancelled':
      return { done: true, successful: false, message: deployment.StatusDescription };
    default:
      return { done: false, successful: false, message: deployment.StatusDescription };
  }
}

const terminal = (a: AllocListStub) => ['complete', 'failed', 'lost'].includes(a.ClientStatus);

/**
 * A job without a deployment: the allocations of its new version run (service, system) or complete (batch,
 * sysbatch: exit codes decide). `expected` is how many allocations the version wants (0 when unknown: system).
 */
export function allocationsReadiness(
  type: string,
  version: number,
  allocations: readonly AllocListStub[],
  expected: number,
): Readiness {
  const mine = allocations.filter((a) => a.JobVersion === version);
  const batch = type === 'batch' || type === 'sysbatch';
  const failed = mine.filter((a) => a.ClientStatus === 'failed' || a.ClientStatus === 'lost');
  if (failed.length > 0)
    return {
      done: true,
      successful: false,
      message: `${failed.length} allocation${failed.length === 1 ? '' : 's'} failed`,
    };
  const want = expected > 0 ? expected : mine.length;
  if (mine.length === 0 || mine.length < want)
    return { done: false, successful: false, message: `${mine.length}/${want} placed` };
  if (batch) {
    const complete = mine.filter((a) => a.ClientStatus === 'complete').length;
    return complete >= want
      ? { done: true, successful: true, message: `${complete}/${want} complete` }
      : { done: false, successful: false, message: `${complete}/${want} complete` };
  }
  const running = mine.filter((a) => a.ClientStatus === 'running' && a.DesiredStatus === 'run').length;
  return running >= want
    ? { done: true, successful: true, message: `${running}/${want} running` }
    : { done: false, successful: false, message: `${running}/${want} running` };
}

/** A stopped job is done when none of its allocations still runs. */
export function stoppedReadiness(allocations: readonly AllocListStub[]): Readiness {
  const live = allocations.filter((a) => !terminal(a)).length;
  return live === 0
    ? { done: true, successful: true, message: 'all allocations stopped' }
    : { done: false, successful: false, message: `${live} allocation${live === 1 ? '' : 's'} still running` };
}
