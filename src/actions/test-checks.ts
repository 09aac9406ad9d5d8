/**
 * `drover test-checks`: the project's checks run against saved plans kept as fixtures (*.checktest.hcl), so that a
 * team sees a rule fire, and stay quiet, before it relies on it. Offline: nothing is sent to Nomad.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { readCheckTests, type CheckTestRun } from '../source/check-tests.js';
import { discoverCheckTests } from '../source/discover.js';
import { formatDiagnostic } from '../source/hcl/diagnostics.js';
import { decodeSourceText } from '../source/source-text.js';
import { shownPath } from '../util/shown-path.js';
import type { ProjectChecks } from '../checks/evaluate-checks.js';
import { runProblems, type CheckTestOutcome, type CheckTestsResult } from '../checks/check-test-outcome.js';
import { loadPlanFile } from './plan-file.js';
import { projectChecks, withChecks } from './plan-checks.js';
import { resolveWorkspace } from './workspace.js';

export function testChecks(inputs: {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}): CheckTestsResult {
  const files = discoverCheckTests(inputs.paths, inputs.cwd);
  const checksByProject = new Map<string, ProjectChecks>();
  const runs: CheckTestOutcome[] = [];
  for (const file of files) {
    const shown = shownPath(file, inputs.cwd);
    const source = decodeSourceText(readFileSync(file));
    const read = readCheckTests(file, source, shown);
    const errors = read.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0)
      throw new UserError(
        `${shown} has errors:\n${errors.map((d) => formatDiagnostic(d, source)).join('\n')}`,
        {
          code: 'invalid_check_tests',
          hint: 'Fix the test file, then run drover test-checks again.',
        },
      );
    const checks = checksFor(file, inputs, checksByProject);
    for (const run of read.runs) runs.push(runOne(run, checks, inputs.cwd));
  }
  return { passed: runs.every((r) => r.problems.length === 0), runs };
}

/** The checks of the project a test file is in (its drover.hcl, or the nearest parent's). */
function checksFor(
  file: string,
  inputs: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> },
  cache: Map<string, ProjectChecks>,
): ProjectChecks {
  const workspace = resolveWorkspace({ paths: [file], cwd: inputs.cwd, env: inputs.env });
  const key = workspace.project?.path ?? '';
  const cached = cache.get(key);
  if (cached) return cached;
  const checks = projectChecks(workspace, {}, 'run drover test-checks again');
  if (!checks)
    throw new UserError(
      `${shownPath(file, inputs.cwd)}: ${workspace.projectFile ?? 'no drover.hcl governs it, and none'} declares no checks`,
      {
        code: 'no_checks',
        hint: 'Checks are check blocks in drover.hcl or the files it includes (docs/checks.md).',
      },
    );
  cache.set(key, checks);
  return checks;
}

function runOne(run: CheckTestRun, checks: ProjectChecks, cwd: string): CheckTestOutcome {
  const { plan } = loadPlanFile(run.plan);
  const time = new Date(run.time ?? plan.createdAt);
  const results = withChecks(plan, checks, {}, time).checks?.results ?? [];
  return { run, plan: shownPath(run.plan, cwd), problems: runProblems(run, results), results };
}
