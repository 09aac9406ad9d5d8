import * as Flags from '@oclif/core/flags';
import type { ApplyOptions } from '../apply/apply-plan.js';
import { DEFAULT_PARALLELISM } from '../apply/defaults.js';
import { UserError } from '../errors.js';
import { parseGoDuration } from '../util/duration.js';
import type { Logger } from '../util/logger.js';

/** How apply, destroy, promote and rollback run their waves and follow the jobs. */
export const watchFlags = {
  detach: Flags.boolean({ summary: 'Return after sending the changes, without watching.' }),
  timeout: Flags.string({
    summary: 'Bound on each wave, a Go duration: 10m, 90s, 1h30m; 0s waits without a bound.',
    default: '10m',
  }),
  parallelism: Flags.integer({
    summary: 'Jobs changed and watched at once within a wave.',
    default: DEFAULT_PARALLELISM,
    min: 1,
  }),
  watch: Flags.option({
    options: ['blocking', 'events'] as const,
    default: 'events' as const,
    summary:
      'How to follow the jobs: one event-stream connection for all of them (falls back to blocking queries when the stream is refused or cut), or a blocking query per evaluation, deployment and allocation list.',
  })(),
};

/** The flags above as applyPlan options; the logger hears of a fall-back from the event stream. */
export function watchOptionsFrom(
  flags: {
    detach?: boolean;
    timeout: string;
    parallelism: number;
    watch: 'blocking' | 'events';
  },
  logger: Logger,
): Pick<ApplyOptions, 'detach' | 'timeoutMs' | 'parallelism' | 'watchWith' | 'logger'> {
  return {
    detach: flags.detach,
    timeoutMs: parseTimeout(flags.timeout),
    parallelism: flags.parallelism,
    watchWith: flags.watch,
    logger,
  };
}

/** A Go duration from --timeout, in milliseconds (0: no bound); anything else is a user error with a hint. */
export function parseTimeout(text: string): number {
  const ns = parseGoDuration(text);
  if (ns === undefined || ns < 0)
    throw new UserError(`--timeout ${text}: not a duration`, {
      code: 'bad_timeout',
      hint: 'Use a duration such as 90s, 10m or 1h (0s: no bound).',
    });
  return Math.ceil(ns / 1e6);
}
