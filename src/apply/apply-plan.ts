/**
 * Runs a Plan: registration waves in order (bounded parallelism within a wave), each registration enforcing the
 * JobModifyIndex the plan saw, each job watched to its end; then, only if every registration succeeded, the
 * deletes in reverse dependency order, wave by wave in the same way. After a failure nothing more starts, and
 * every job says what happened. A promote change (an unchanged job whose canaries wait) promotes in its wave; a
 * revert change (drover rollback) reverts with EnforcePriorVersion instead of registering.
 */
import { setMaxListeners } from 'node:events';
import { CancelledError, UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { NomadApiError, NomadEnforceIndexError, NomadPermissionError } from '../nomad/errors.js';
import type { Action, JobChange, Plan } from '../plan/model.js';
import { mapLimit } from '../util/limit.js';
import { DEFAULT_PARALLELISM } from './defaults.js';
import { changedSincePlan, deleteRefusal, staleChanges } from './preflight.js';
import type { Logger } from '../util/logger.js';
import { EventFeed } from '../watch/event-feed.js';
import { blockingQueries, type StateSource } from '../watch/state-source.js';
import {
  promoteDeployment,
  watchJob,
  watchStopped,
  type WatchEvent,
  type WatchResult,
} from '../watch/watch-job.js';

export type JobOutcome =
  | 'succeeded'
  | 'failed'
  | 'promotion-ready'
  | 'timeout'
  | 'cancelled'
  | 'registered'
  | 'unchanged'
  | 'not-run';

export interface JobResult {
  readonly id: string;
  readonly namespace: string;
  readonly action: Action;
  readonly outcome: JobOutcome;
  readonly message: string;
  readonly version?: number;
  readonly deploymentId?: string;
  readonly durationMs: number;
  readonly explanation: readonly string[];
  /** It failed because the job changed since the plan (stale plan): nothing more is started. */
  readonly stale?: boolean;
  /** The JobModifyIndex drover's own write left (register, stop or purge), for the stack's history. */
  readonly jobModifyIndex?: number;
}

export type ApplyEvent =
  | { readonly type: 'wave'; readonly wave: number; readonly jobs: readonly string[] }
  | { readonly type: 'registered'; readonly job: string; readonly evalId: string }
  | { readonly type: 'deleting'; readonly job: string; readonly purge: boolean }
  | { readonly type: 'watch'; readonly event: WatchEvent }
  | { readonly type: 'finished'; readonly result: JobResult };

export interface ApplyOptions {
  readonly client: NomadClient;
  readonly plan: Plan;
  /** Purge deleted jobs instead of stopping them; default: as the plan says (its settings' purge). */
  readonly purge?: boolean;
  readonly autoPromote?: boolean;
  readonly rollback?: boolean;
  /** Return after registering, without watching. */
  readonly detach?: boolean;
  /** Bounds each wave. Default 10 minutes. */
  /** Bound on each wave; 0 for none. */
  readonly timeoutMs?: number;
  /** Jobs registered at once within a wave. Default DEFAULT_PARALLELISM. */
  readonly parallelism?: number;
  readonly signal?: AbortSignal;
  /** Awaited before each write (the stack lock confirms it is still held); abort `signal` to stop the writes. */
  readonly beforeWrite?: () => Promise<void>;
  readonly emit?: (event: ApplyEvent) => void;
  /** Wait of each blocking query (tests shorten it). Default 5m. */
  readonly wait?: string;
  /**
   * How jobs are followed: one event-stream connection for every job of the plan (default; falls back to
   * blocking queries when the stream cannot be had), or a blocking query per object.
   */
  readonly watchWith?: 'blocking' | 'events';
  /** Where the fall-back from the event stream is reported (warn). */
  readonly logger?: Logger;
}

export interface ApplyResult {
  readonly results: readonly JobResult[];
  /** Every job succeeded (or stopped at promotion-ready). */
  readonly ok: boolean;
  readonly cancelled: boolean;
}

const GOOD: ReadonlySet<JobOutcome> = new Set(['succeeded', 'promotion-ready', 'registered', 'unchanged']);

export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  if (options.watchWith === 'blocking' || options.detach)
    return runPlan(options, blockingQueries(options.client, options.wait));
  const feed = new EventFeed({
    client: options.client,
    jobs: options.plan.changes.filter((c) => c.action !== 'noop'),
    logger: options.logger,
    wait: options.wait,
  });
  try {
    return await runPlan(options, feed);
  } finally {
    await feed.close();
  }
}

async function runPlan(options: ApplyOptions, source: StateSource): Promise<ApplyResult> {
  const { plan } = options;
  const emit = options.emit ?? (() => {});
  const results = new Map<string, JobResult>();
  const finish = (result: JobResult) => {
    results.set(`${result.namespace}/${result.id}`, result);
    emit({ type: 'finished', result });
  };
  const notRun = (change: JobChange, message: string) =>
    finish({
      id: change.id,
      namespace: change.namespace,
      action: change.action,
      outcome: 'not-run',
      message,
      durationMs: 0,
      explanation: [],
    });
  /** Why nothing more starts, once something did not succeed: each job left out says so. */
  let halt: ((notDone: 'not started' | 'not deleted') => string) | undefined;
  const stopAfter = (result: JobResult) => {
    if (halt || GOOD.has(result.outcome)) return;
    halt =
      result.outcome === 'cancelled' || options.signal?.aborted
        ? () => stoppedBeforeStart(options)
        : result.stale
          ? (notDone) => `${notDone}: ${result.id} changed since the plan`
          : (notDone) => `${notDone}: ${result.id} did not succeed`;
  };

  for (const change of plan.changes.filter((c) => c.action === 'noop'))
    finish({
      id: change.id,
      namespace: change.namespace,
      action: 'noop',
      outcome: 'unchanged',
      message: 'unchanged',
      durationMs: 0,
      explanation: [],
    });

  /** Waves in order, up to `parallelism` jobs at once within one; once one job fails, nothing more starts. */
  const runWaves = async (
    changes: readonly JobChange[],
    notDone: 'not started' | 'not deleted',
    step: (change: JobChange, bound: WaveBound) => Promise<JobResult>,
  ) => {
    for (const wave of [...new Set(changes.map((c) => c.wave))].sort((a, b) => a - b)) {
      const jobs = changes.filter((c) => c.wave === wave);
      if (halt || options.signal?.aborted) {
        jobs.forEach((c) => notRun(c, halt?.(notDone) ?? stoppedBeforeStart(options)));
        continue;
      }
      emit({ type: 'wave', wave, jobs: jobs.map((c) => c.id) });
      const bound = waveBound(options);
      await mapLimit(jobs, options.parallelism ?? DEFAULT_PARALLELISM, async (change) => {
        if (!halt) await options.beforeWrite?.();
        if (halt || options.signal?.aborted)
          return notRun(change, halt?.(notDone) ?? stoppedBeforeStart(options));
        const result = await step(change, bound);
        stopAfter(result);
        finish(result);
      });
    }
  };

  // A plan gone stale anywhere is refused before its first write: each stale job says why, the others wait.
  const stale = await staleChanges(options.client, plan, options.signal);
  const fresh = (c: JobChange) => !stale.has(`${c.namespace}/${c.id}`);
  for (const change of plan.changes.filter((c) => !fresh(c)))
    finish({
      id: change.id,
      namespace: change.namespace,
      action: change.action,
      outcome: 'failed',
      message: stale.get(`${change.namespace}/${change.id}`)!,
      durationMs: 0,
      explanation: [],
      stale: true,
    });
  if (stale.size > 0) halt = (notDone) => `${notDone}: the plan is stale`;

  await runWaves(
    plan.changes.filter((c) => c.action !== 'noop' && c.action !== 'delete' && fresh(c)),
    'not started',
    (change, bound) =>
      change.action === 'promote'
        ? promoteAndWatch(options, source, change, bound, emit)
        : registerAndWatch(options, source, change, bound, emit),
  );
  const waiting = [...results.values()].filter((r) => r.outcome === 'promotion-ready').map((r) => r.id);
  if (!halt && waiting.length > 0)
    halt = () =>
      `not deleted: ${waiting.join(', ')} still wait${waiting.length === 1 ? 's' : ''} for promotion`;
  await runWaves(
    plan.changes.filter((c) => c.action === 'delete' && fresh(c)),
    'not deleted',
    (change, bound) => deleteAndWatch(options, source, change, bound, emit),
  );

  const ordered = plan.changes.map((c) => results.get(`${c.namespace}/${c.id}`)!);
  return {
    results: ordered,
    ok: ordered.every((r) => GOOD.has(r.outcome)),
    cancelled: Boolean(options.signal?.aborted),
  };
}

/** One wave's bound: the caller's signal, and the wave's own timeout. */
interface WaveBound {
  readonly signal: AbortSignal;
  readonly timeout: AbortSignal;
  readonly timeoutMs: number;
}

function waveBound(options: ApplyOptions): WaveBound {
  const timeoutMs = options.timeoutMs ?? 600_000;
  // 0 (`--timeout 0s`) bounds nothing: the wave waits as long as Nomad takes.
  const timeout = timeoutMs === 0 ? new AbortController().signal : AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  // Every watcher of the wave listens on this one signal: many listeners are the design, not a leak.
  setMaxListeners(0, signal);
  return { signal, timeout, timeoutMs };
}

/** Why a job was not started once the run's signal aborted: the stack lock lost, or the user's Ctrl-C. */
function stoppedBeforeStart(options: ApplyOptions): string {
  return lockLost(options) ? 'not started: the stack lock was lost' : 'cancelled before it started';
}

/** Whether the run's signal aborted because the stack lock was lost (not Ctrl-C). */
function lockLost(options: ApplyOptions): boolean {
  const reason: unknown = options.signal?.reason;
  return reason instanceof UserError && reason.code === 'lock_lost';
}

/** Why waiting stopped, when it was the wave's timeout or the caller (Ctrl-C) rather than a failure. */
function stoppedWaiting(
  error: unknown,
  bound: WaveBound,
  options: ApplyOptions,
): { outcome: JobOutcome; message: string } | undefined {
  if (!(error instanceof CancelledError) && !bound.signal.aborted) return undefined;
  const { timeoutMs } = bound;
  return bound.timeout.aborted && !options.signal?.aborted
    ? {
        outcome: 'timeout',
        message: `still not done after ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)}s` : `${timeoutMs}ms`} (Nomad carries on)`,
      }
    : {
        outcome: 'cancelled',
        message: lockLost(options)
          ? 'stopped waiting: the stack lock was lost (Nomad carries on)'
          : 'stopped waiting (Nomad carries on)',
      };
}

async function registerAndWatch(
  options: ApplyOptions,
  source: StateSource,
  change: JobChange,
  bound: WaveBound,
  emit: (event: ApplyEvent) => void,
): Promise<JobResult> {
  const { client } = options;
  const { signal } = bound;
  const started = performance.now();
  const base = { id: change.id, namespace: change.namespace, action: change.action };
  const elapsed = () => performance.now() - started;
  // Where the job stood when waiting stopped (timeout, Ctrl-C): its deployment, as last seen.
  let seen: { version?: number; deploymentId?: string } = {};
  let written: { jobModifyIndex?: number } = {};
  try {
    const response = change.revert
      ? await client.jobs.revert(change.id, change.revert.toVersion, {
          namespace: change.namespace,
          signal,
          enforcePriorVersion: change.revert.fromVersion,
        })
      : await client.jobs.register(
          {
            Job: change.job!,
            EnforceIndex: true,
            JobModifyIndex: change.jobModifyIndex,
            ...(change.submission ? { Submission: change.submission } : {}),
          },
          { namespace: change.namespace, signal },
        );
    emit({ type: 'registered', job: change.id, evalId: response.EvalID });
    written = { jobModifyIndex: response.JobModifyIndex };
    if (options.detach) {
      const version =
        (await client.jobs.read(change.id, { namespace: change.namespace, signal })).body.Version ?? 0;
      return {
        ...base,
        ...written,
        outcome: 'registered',
        message: `registered as version ${version}`,
        version,
        durationMs: elapsed(),
        explanation: [],
      };
    }
    const watched = await watchJob({
      client,
      job: change.job!,
      namespace: change.namespace,
      evalId: response.EvalID,
      evalCreateIndex: response.EvalCreateIndex,
      autoPromote: options.autoPromote,
      rollback: options.rollback,
      signal,
      source,
      emit: (event) => {
        if (event.type === 'deployment') seen = { version: event.version, deploymentId: event.deploymentId };
        emit({ type: 'watch', event });
      },
    });
    return { ...base, ...written, ...fromWatch(watched), durationMs: elapsed() };
  } catch (error) {
    if (error instanceof NomadEnforceIndexError) {
      const now =
        error.actualIndex === null
          ? error.reason === 'exists'
            ? 'it exists now'
            : 'it is gone'
          : `modify index ${error.expectedIndex} → ${error.actualIndex}`;
      return {
        ...base,
        outcome: 'failed',
        message: changedSincePlan(change, now),
        durationMs: elapsed(),
        explanation: [],
        stale: true,
      };
    }
    const moved = change.revert ? versionMoved(error) : undefined;
    if (moved !== undefined)
      return {
        ...base,
        outcome: 'failed',
        message: `job ${change.id} changed since the plan (version ${change.revert!.fromVersion} → ${moved}); not reverted, run drover rollback again`,
        durationMs: elapsed(),
        explanation: [],
        stale: true,
      };
    const stopped = stoppedWaiting(error, bound, options);
    if (stopped) return { ...base, ...written, ...stopped, ...seen, durationMs: elapsed(), explanation: [] };
    return {
      ...base,
      ...written,
      outcome: 'failed',
      // A refusal names the capability the token lacks, as it does when the plan is refused.
      message: error instanceof NomadPermissionError ? error.hint! : (error as Error).message,
      durationMs: elapsed(),
      explanation: [],
    };
  }
}

/** What following a job ended with, as the job's result says it. */
function fromWatch(
  watched: WatchResult,
): Pick<JobResult, 'outcome' | 'message' | 'version' | 'deploymentId' | 'explanation'> {
  return {
    outcome: watched.outcome,
    message: watched.message,
    ...(watched.version !== undefined ? { version: watched.version } : {}),
    ...(watched.deploymentId ? { deploymentId: watched.deploymentId } : {}),
    explanation: watched.explanation,
  };
}

/** Nomad's refusal of a revert whose EnforcePriorVersion is no longer the job's version: the version it is at. */
function versionMoved(error: unknown): number | undefined {
  if (!(error instanceof NomadApiError)) return undefined;
  const refused = /Current job has version (\d+); enforcing version \d+/.exec(error.body);
  return refused ? Number(refused[1]) : undefined;
}

/** A promote change: the job must be as planned; then its waiting deployment is promoted and followed. */
async function promoteAndWatch(
  options: ApplyOptions,
  source: StateSource,
  change: JobChange,
  bound: WaveBound,
  emit: (event: ApplyEvent) => void,
): Promise<JobResult> {
  const started = performance.now();
  const base = { id: change.id, namespace: change.namespace, action: change.action };
  const elapsed = () => performance.now() - started;
  let seen: { version?: number; deploymentId?: string } = { deploymentId: change.deploymentId };
  try {
    const { body: live } = await options.client.jobs.find(change.id, {
      namespace: change.namespace,
      signal: bound.signal,
    });
    if (live?.JobModifyIndex !== change.jobModifyIndex) {
      const now = live ? `modify index ${change.jobModifyIndex} → ${live.JobModifyIndex}` : 'it is gone';
      return {
        ...base,
        outcome: 'failed',
        message: changedSincePlan(change, now),
        durationMs: 0,
        explanation: [],
        stale: true,
      };
    }
    const watched = await promoteDeployment({
      client: options.client,
      id: change.id,
      deploymentId: change.deploymentId!,
      namespace: change.namespace,
      rollback: options.rollback,
      signal: bound.signal,
      source,
      emit: (event) => {
        if (event.type === 'deployment') seen = { version: event.version, deploymentId: event.deploymentId };
        emit({ type: 'watch', event });
      },
    });
    return { ...base, ...fromWatch(watched), durationMs: elapsed() };
  } catch (error) {
    const stopped = stoppedWaiting(error, bound, options);
    if (stopped) return { ...base, ...stopped, ...seen, durationMs: elapsed(), explanation: [] };
    return {
      ...base,
      outcome: 'failed',
      message: (error as Error).message,
      durationMs: elapsed(),
      explanation: [],
    };
  }
}

async function deleteAndWatch(
  options: ApplyOptions,
  source: StateSource,
  change: JobChange,
  bound: WaveBound,
  emit: (event: ApplyEvent) => void,
): Promise<JobResult> {
  const started = performance.now();
  const base = { id: change.id, namespace: change.namespace, action: change.action };
  let written: { jobModifyIndex?: number } = {};
  try {
    const refusal = await deleteRefusalNow(options, change, bound.signal);
    if (refusal)
      return { ...base, outcome: 'failed', message: refusal, durationMs: 0, explanation: [], stale: true };
    const purge = options.purge ?? options.plan.settings.purge ?? false;
    emit({ type: 'deleting', job: change.id, purge });
    const { client } = options;
    const where = { namespace: change.namespace, signal: bound.signal };
    // A purged job's allocations vanish from Nomad at once while their tasks may still be stopping on their
    // clients, so a purge is sent only after a stop has been followed to its end (unless --detach).
    const purgeAtOnce = Boolean(purge && options.detach);
    const stop = await client.jobs.deregister(change.id, { ...where, purge: purgeAtOnce });
    written = { jobModifyIndex: stop.JobModifyIndex };
    if (!options.detach) {
      await watchStopped(source, change.id, change.namespace, bound.signal, (event) =>
        emit({ type: 'watch', event }),
      );
      if (purge) {
        const refusal = await purgeRefusal(options, change, stop.JobModifyIndex, bound.signal);
        if (refusal)
          return {
            ...base,
            ...written,
            outcome: 'failed',
            message: refusal,
            durationMs: performance.now() - started,
            explanation: [],
            stale: true,
          };
        const purged = await client.jobs.deregister(change.id, { ...where, purge: true });
        written = { jobModifyIndex: purged.JobModifyIndex };
      }
    }
    return {
      ...base,
      ...written,
      outcome: options.detach ? 'registered' : 'succeeded',
      message: purge ? 'purged' : 'stopped',
      durationMs: performance.now() - started,
      explanation: [],
    };
  } catch (error) {
    return {
      ...base,
      ...written,
      ...(stoppedWaiting(error, bound, options) ?? { outcome: 'failed', message: (error as Error).message }),
      durationMs: performance.now() - started,
      explanation: [],
    };
  }
}

/** Between the stop and the purge, someone may have registered the job again: then it is not purged. */
async function purgeRefusal(
  options: ApplyOptions,
  change: JobChange,
  stoppedAt: number,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { body: live } = await options.client.jobs.find(change.id, { namespace: change.namespace, signal });
  if (!live || (live.Stop && live.JobModifyIndex === stoppedAt)) return undefined;
  return `job ${change.id} changed while it was stopping (modify index ${stoppedAt} → ${live.JobModifyIndex}); stopped, not purged`;
}

/**
 * Right before a delete, the job is read again: it is deleted only if it still carries this plan's stack stamp
 * and has not changed since the plan (a saved plan applied later, or a plan file edited to add a delete).
 */
async function deleteRefusalNow(
  options: ApplyOptions,
  change: JobChange,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { body: live } = await options.client.jobs.find(change.id, { namespace: change.namespace, signal });
  return deleteRefusal(change, live, options.plan.settings);
}
