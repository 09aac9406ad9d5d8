/** What every step of the job kind shares: the context it runs in, and how its result is put together. */
import type { ApplyEvent, ApplyOptions, ChangeResult, Outcome } from '../../apply/types.js';
import { stoppedWaiting, type WaveBound } from '../../apply/wave-bound.js';
import type { StateSource } from '../../watch/state-source.js';
import type { WatchEvent, WatchResult } from '../../watch/watch-job.js';
import type { JobChange } from './change.js';

export interface JobStepContext {
  readonly options: ApplyOptions;
  /** How the jobs of this apply are followed (one event stream, or blocking queries). */
  readonly source: StateSource;
  readonly bound: WaveBound;
  readonly emit: (event: ApplyEvent) => void;
}

/** A step's clock, the facts it has gathered so far, and its result built from them. */
export class StepRecord {
  private readonly started = performance.now();
  /** Where the job stood when waiting stopped (timeout, Ctrl-C): its deployment, as last seen. */
  seen: { version?: number; deploymentId?: string } = {};
  /** The JobModifyIndex drover's own write left. */
  written: { jobModifyIndex?: number } = {};

  constructor(
    private readonly change: JobChange,
    private readonly context: JobStepContext,
  ) {}

  /** The watch's events, forwarded, with the deployment they show remembered. */
  readonly onWatch = (event: WatchEvent): void => {
    if (event.type === 'deployment') this.seen = { version: event.version, deploymentId: event.deploymentId };
    this.context.emit({ type: 'watch', address: this.change.address, event });
  };

  result(outcome: Outcome, message: string, extra: Partial<ChangeResult> = {}): ChangeResult {
    return {
      address: this.change.address,
      action: this.change.action,
      ...this.written,
      outcome,
      message,
      durationMs: performance.now() - this.started,
      explanation: [],
      ...extra,
    };
  }

  /** A refusal because the job moved since the plan: nothing more starts after it. */
  stale(message: string): ChangeResult {
    return this.result('failed', message, { stale: true, durationMs: 0 });
  }

  watched(watched: WatchResult): ChangeResult {
    return this.result(watched.outcome, watched.message, {
      ...(watched.version !== undefined ? { version: watched.version } : {}),
      ...(watched.deploymentId ? { deploymentId: watched.deploymentId } : {}),
      explanation: watched.explanation,
    });
  }

  /** A step that threw: stopped waiting (timeout, Ctrl-C, lock lost) with what was last seen, or failed. */
  failed(error: unknown, message = (error as Error).message): ChangeResult {
    const stopped = stoppedWaiting(error, this.context.bound, this.context.options);
    return stopped
      ? this.result(stopped.outcome, stopped.message, this.seen)
      : this.result('failed', message);
  }
}
