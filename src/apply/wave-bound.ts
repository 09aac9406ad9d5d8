/**
 * One wave's bound (the caller's signal and the wave's own timeout), and how a step that stopped waiting tells
 * which of them stopped it.
 */
import { setMaxListeners } from 'node:events';
import { CancelledError, UserError } from '../errors.js';
import type { ApplyOptions, Outcome } from './types.js';

export interface WaveBound {
  readonly signal: AbortSignal;
  readonly timeout: AbortSignal;
  readonly timeoutMs: number;
}

export function waveBound(options: Pick<ApplyOptions, 'timeoutMs' | 'signal'>): WaveBound {
  const timeoutMs = options.timeoutMs ?? 600_000;
  // 0 (`--timeout 0s`) bounds nothing: the wave waits as long as Nomad takes.
  const timeout = timeoutMs === 0 ? new AbortController().signal : AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  // Every watcher of the wave listens on this one signal: many listeners are the design, not a leak.
  setMaxListeners(0, signal);
  return { signal, timeout, timeoutMs };
}

/** Why a change was not started once the run's signal aborted: the stack lock lost, or the user's Ctrl-C. */
export function stoppedBeforeStart(options: Pick<ApplyOptions, 'signal'>): string {
  return lockLost(options) ? 'not started: the stack lock was lost' : 'cancelled before it started';
}

/** Whether the run's signal aborted because the stack lock was lost (not Ctrl-C). */
function lockLost(options: Pick<ApplyOptions, 'signal'>): boolean {
  const reason: unknown = options.signal?.reason;
  return reason instanceof UserError && reason.code === 'lock_lost';
}

/** Why waiting stopped, when it was the wave's timeout or the caller (Ctrl-C) rather than a failure. */
export function stoppedWaiting(
  error: unknown,
  bound: WaveBound,
  options: Pick<ApplyOptions, 'signal'>,
): { outcome: Outcome; message: string } | undefined {
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
