import { declaresNothing, type EstateDeclarations } from '../source/estate.js';
import { validateChecks } from '../checks/validate-checks.js';
import { estateValidation, summarizeValidation, type ValidationResult } from '../source/validation.js';
import { hasErrors } from '../source/hcl/diagnostics.js';
import { refuseUnknownDependencies } from './check-dependencies.js';
import { loadJobFiles, type JobInputs } from './load-jobs.js';
import { resolveWorkspaces } from './workspace.js';
import { compareText } from '../util/compare.js';

/**
 * Parses and checks job files offline; nothing is sent anywhere. Each path is read in its own project as plan
 * reads it: the project's job globs, var files and vars. A whole project's estate (drover.hcl's namespaces, node
 * pools, ACL policies and roles, variables) is checked with it.
 */
export function validateJobs(
  inputs: JobInputs & { readonly env: Readonly<Record<string, string | undefined>> },
): ValidationResult {
  const workspaces = resolveWorkspaces(inputs);
  const estates = workspaces.flatMap(({ estate, partial }) =>
    estate && !partial && !declaresNothing(estate) ? [withCheckProblems(estate)] : [],
  );
  const loaded = workspaces.flatMap((workspace) => {
    const hasEstate =
      workspace.estate !== undefined && !workspace.partial && !declaresNothing(workspace.estate);
    // A project may declare only its estate: no job files is no error then.
    const jobs = loadJobFiles({
      ...workspace.jobs,
      allowNoFiles: workspace.jobs.allowNoFiles || hasEstate,
      verdict: 'validate',
    });
    // As plan checks it: a depends_on that names no job of the whole project is an error, not a lost ordering.
    if (!workspace.partial && !jobs.some((j) => hasErrors(j.diagnostics)))
      refuseUnknownDependencies(jobs, workspace.project);
    return jobs;
  });
  return summarizeValidation(
    loaded.sort((a, b) => compareText(a.path, b.path)),
    estates.flatMap(estateValidation),
  );
}

/** The estate with what its checks' expressions read checked too (attributes of plan, variables, functions). */
function withCheckProblems(estate: EstateDeclarations): EstateDeclarations {
  const problems = validateChecks(estate.checks, estate.checkScope);
  return problems.length === 0 ? estate : { ...estate, diagnostics: [...estate.diagnostics, ...problems] };
}
