/** How a check test run (*.checktest.hcl) went: what its checks said against what its file expects. */
import type { CheckResult } from '../plan/check-report.js';
import type { CheckTestRun } from '../source/check-tests.js';

/** Why a run did not go as its file says. */
export type CheckTestProblem =
  /** A check expect_failures names did not fail. */
  | { readonly type: 'did-not-fail'; readonly check: string }
  /** A check failed that expect_failures does not name. */
  | { readonly type: 'failed'; readonly result: CheckResult }
  /** A check could not be evaluated on this plan. */
  | { readonly type: 'error'; readonly result: CheckResult }
  /** expect_failures names a check the project does not declare. */
  | { readonly type: 'unknown-check'; readonly check: string };

export interface CheckTestOutcome {
  readonly run: CheckTestRun;
  /** The saved plan, as the user names it. */
  readonly plan: string;
  readonly problems: readonly CheckTestProblem[];
  readonly results: readonly CheckResult[];
}

export interface CheckTestsResult {
  readonly passed: boolean;
  readonly runs: readonly CheckTestOutcome[];
}

/** What went otherwise than the run says: every check passes but those expect_failures names, which fail. */
export function runProblems(run: CheckTestRun, results: readonly CheckResult[]): CheckTestProblem[] {
  const expected = new Set(run.expectFailures);
  const declared = new Set(results.map((r) => r.name));
  const problems: CheckTestProblem[] = [];
  for (const name of run.expectFailures)
    if (!declared.has(name)) problems.push({ type: 'unknown-check', check: name });
  for (const result of results) {
    if (result.status === 'error') problems.push({ type: 'error', result });
    else if (result.status === 'failed' && !expected.has(result.name))
      problems.push({ type: 'failed', result });
    else if (result.status === 'passed' && expected.has(result.name))
      problems.push({ type: 'did-not-fail', check: result.name });
  }
  return problems;
}
