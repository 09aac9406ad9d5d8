/** `drover test-checks` output: one line per run, what went otherwise under it, then a summary. */
import type { CheckTestOutcome, CheckTestProblem, CheckTestsResult } from '../checks/check-test-outcome.js';

function problemLine(problem: CheckTestProblem): string {
  switch (problem.type) {
    case 'did-not-fail':
      return `check ${problem.check} was expected to fail, and passed`;
    case 'unknown-check':
      return `expect_failures names check ${problem.check}, which the project does not declare`;
    case 'error':
      return `check ${problem.result.name} could not be evaluated:\n${problem.result.error ?? ''}`;
    case 'failed': {
      const failing = problem.result.failing.length > 0 ? ` (${problem.result.failing.join(', ')})` : '';
      return `check ${problem.result.name} failed: ${problem.result.messages.join(' ')}${failing}`;
    }
  }
}

function runLines(outcome: CheckTestOutcome): string[] {
  const failed = outcome.results.filter((r) => r.status === 'failed').map((r) => r.name);
  const said = failed.length > 0 ? `fails ${failed.join(', ')} as expected` : 'every check passes';
  if (outcome.problems.length === 0) return [`✓ ${outcome.run.name} (${outcome.plan}): ${said}`];
  return [
    `✗ ${outcome.run.name} (${outcome.plan}, ${outcome.run.at})`,
    ...outcome.problems.flatMap((p) =>
      problemLine(p)
        .split('\n')
        .map((l) => `    ${l}`),
    ),
  ];
}

export function renderCheckTestsHuman(result: CheckTestsResult): string {
  const failed = result.runs.filter((r) => r.problems.length > 0).length;
  const n = result.runs.length;
  return [
    ...result.runs.flatMap(runLines),
    '',
    failed === 0
      ? `${n} run${n === 1 ? '' : 's'} passed.`
      : `${n} run${n === 1 ? '' : 's'}: ${n - failed} passed, ${failed} failed.`,
  ].join('\n');
}

export function renderCheckTestsJson(result: CheckTestsResult): unknown {
  return {
    passed: result.passed,
    runs: result.runs.map((r) => ({
      name: r.run.name,
      at: r.run.at,
      plan: r.plan,
      time: r.run.time ?? null,
      expect_failures: r.run.expectFailures,
      passed: r.problems.length === 0,
      problems: r.problems.map((p) => ({
        type: p.type,
        check: 'check' in p ? p.check : p.result.name,
        message: problemLine(p),
      })),
      results: r.results.map((c) => ({ name: c.name, status: c.status, failing: c.failing })),
    })),
  };
}
