/**
 * The outcome of the project's checks on one plan (drover.hcl `check` blocks, docs/checks.md): pure data, kept in
 * the plan (a saved plan records it) and rendered by every renderer. Whether the plan may go on is decided here,
 * once: an error-level check that failed, or any check that could not be evaluated, blocks it unless skipped.
 */

export type CheckSeverity = 'error' | 'warning';

export interface CheckResult {
  readonly name: string;
  readonly severity: CheckSeverity;
  /** Where its block starts, "file:line:column". */
  readonly at: string;
  /** passed; failed (a condition was false); error (a condition could not be evaluated: the check is broken). */
  readonly status: 'passed' | 'failed' | 'error';
  /** The error_message of each assertion that failed. */
  readonly messages: readonly string[];
  /** The objects that made it fail, by label ("job prod/api", "task prod/api/web/server"), when drover can tell. */
  readonly failing: readonly string[];
  /** Why it could not be evaluated: the diagnostic, at file:line:column. */
  readonly error?: string;
  /** --skip-check named it: its outcome is shown, but it does not block. */
  readonly skipped?: boolean;
}

export interface CheckReport {
  /** The time the checks saw as plan.time (RFC 3339, UTC): when they were evaluated. */
  readonly time: string;
  readonly results: readonly CheckResult[];
}

/** Whether this result stops the plan: a failed error-level check, or a broken one of any level, not skipped. */
export function blocks(result: CheckResult): boolean {
  if (result.skipped) return false;
  return result.status === 'error' || (result.status === 'failed' && result.severity === 'error');
}

/** The results that stop the plan (plan exits 1, apply refuses before any write). */
export function blockingChecks(report: CheckReport | undefined): CheckResult[] {
  return (report?.results ?? []).filter(blocks);
}

/** Checks named by --skip-check that would have blocked: what the stack's history records as an override. */
export function overriddenChecks(report: CheckReport | undefined): CheckResult[] {
  return (report?.results ?? []).filter((r) => r.skipped);
}
