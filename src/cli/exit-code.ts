import type { ApplyOutcome } from '../actions/apply-jobs.js';
import type { StackDrift } from '../drift/detect-drift.js';
import { hasChanges, type Plan } from '../plan/model.js';

/** What a command ended with, as far as its exit code goes. */
export type CommandOutcome =
  | { readonly kind: 'plan'; readonly plan: Plan; readonly detailedExitcode: boolean }
  | { readonly kind: 'apply'; readonly outcome: ApplyOutcome; readonly interruptExitCode: number }
  | { readonly kind: 'validate'; readonly valid: boolean }
  | { readonly kind: 'import'; readonly exact: boolean }
  | { readonly kind: 'drift'; readonly drift: StackDrift; readonly detailedExitcode: boolean };

/**
 * The exit code, decided in one place (README.md, "Exit codes"): 0 success, 1 error or failure or refusal,
 * 2 = `plan --detailed-exitcode` found changes (`drift --detailed-exitcode`: drift, or objects the token could not
 * compare), 130/143 interrupted by SIGINT/SIGTERM.
 */
export function exitCodeFor(outcome: CommandOutcome): number {
  switch (outcome.kind) {
    case 'plan':
      return outcome.detailedExitcode && hasChanges(outcome.plan) ? 2 : 0;
    case 'validate':
      return outcome.valid ? 0 : 1;
    case 'import':
      return outcome.exact ? 0 : 1;
    case 'drift': {
      const { drift } = outcome;
      const found = drift.drifted.length + (drift.objects?.length ?? 0) + (drift.unchecked?.length ?? 0);
      return outcome.detailedExitcode && found > 0 ? 2 : 0;
    }
    case 'apply': {
      const applied = outcome.outcome;
      if (applied.kind === 'no-changes') return 0;
      if (applied.kind === 'declined') return 1;
      if (applied.lockLost) return 1;
      if (applied.result.cancelled) return outcome.interruptExitCode;
      return applied.result.ok ? 0 : 1;
    }
  }
}
