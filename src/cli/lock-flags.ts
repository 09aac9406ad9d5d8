import * as Flags from '@oclif/core/flags';
import type { LockFlags } from '../actions/stack-run.js';
import { UserError } from '../errors.js';
import { parseGoDuration } from '../util/duration.js';

/** The stack lock of apply, destroy, promote and rollback (docs/stack-lock.md), with Terraform's flag names and meanings. */
export const lockFlags = {
  // An option rather than a boolean: Terraform users write --lock=false, which oclif booleans do not take.
  lock: Flags.option({
    options: ['true', 'false'] as const,
    default: 'true' as const,
    summary:
      "Hold the stack's lock while changing it; --lock=false runs without (dangerous: two runs can interleave).",
  })(),
  'lock-timeout': Flags.string({
    summary: "How long to wait for another run's lock, a Go duration (0s: fail at once).",
    default: '0s',
  }),
};

export function lockOptionsFrom(
  flags: { lock: 'true' | 'false'; 'lock-timeout': string },
  command: string,
  droverVersion: string,
): LockFlags {
  const ns = parseGoDuration(flags['lock-timeout']);
  if (ns === undefined || ns < 0)
    throw new UserError(`--lock-timeout ${flags['lock-timeout']} is not a duration`, {
      code: 'bad_lock_timeout',
      hint: 'Give a Go duration such as 30s, 5m or 1h (0s fails at once when the stack is locked).',
    });
  return { lock: flags.lock === 'true', lockTimeoutMs: Math.round(ns / 1e6), command, droverVersion };
}
