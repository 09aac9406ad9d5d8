/**
 * The project's checks on a plan (docs/checks.md): read and checked offline with the project (nothing is sent to
 * Nomad when a check is broken or --skip-check names none), then evaluated on the plan, whose `checks` then say
 * whether it may go on. apply evaluates a saved plan's checks again, as the project declares them then.
 */
import { dirname, resolve } from 'node:path';
import { evaluateChecks, type ProjectChecks } from '../checks/evaluate-checks.js';
import { validateChecks } from '../checks/validate-checks.js';
import { UserError } from '../errors.js';
import type { CheckReport } from '../plan/check-report.js';
import { planForDisplay } from '../plan/mask.js';
import type { Plan } from '../plan/model.js';
import type { Logger } from '../util/logger.js';
import type { EstateDeclarations } from '../source/estate.js';
import { formatDiagnostic, hasErrors } from '../source/hcl/diagnostics.js';
import { suggest } from '../source/hcl/diagnostics.js';
import { DEFAULT_TARGET_NAME } from '../config/target.js';
import { resolveWorkspace, type Workspace } from './workspace.js';
import type { NomadAccess } from './nomad-access.js';

export interface CheckInputs {
  /** --skip-check: checks evaluated and shown, but overridden for this run (the stack's history says by whom). */
  readonly skipChecks?: readonly string[];
  /** The clock checks read as plan.time (tests pin it). */
  readonly now?: () => Date;
  /** Hears how long the checks took, at debug level. */
  readonly logger?: Logger;
}

/**
 * The workspace's checks, refused offline when any is broken: a check with an unknown attribute, a project whose
 * files have errors (even when only some of its job files are planned: its checks still hold), a --skip-check
 * that names no check.
 */
export function projectChecks(
  workspace: Workspace,
  inputs: CheckInputs,
  then: string,
): ProjectChecks | undefined {
  const estate = workspace.estate;
  const skip = inputs.skipChecks ?? [];
  if (!estate || estate.checkBlocks === 0) {
    if (skip.length > 0)
      throw new UserError(
        `--skip-check ${skip[0]}: ${workspace.projectFile ?? 'this project'} declares no checks`,
        {
          code: 'unknown_check',
          hint: 'Leave out --skip-check; checks are check blocks in drover.hcl (docs/checks.md).',
        },
      );
    return undefined;
  }
  refuseBrokenChecks(estate, workspace.settings.maskPatterns, then);
  const names = estate.checks.map((c) => c.name);
  for (const name of skip)
    if (!names.includes(name)) {
      const hint = suggest(name, names);
      throw new UserError(
        `--skip-check ${name}: no check of ${workspace.projectFile ?? 'drover.hcl'} has that name`,
        {
          code: 'unknown_check',
          hint: hint ? `Did you mean --skip-check ${hint}?` : `Its checks are ${names.join(', ')}.`,
        },
      );
    }
  return { checks: estate.checks, scope: estate.checkScope, sources: estate.sources };
}

function refuseBrokenChecks(estate: EstateDeclarations, maskPatterns: readonly string[], then: string): void {
  const problems = hasErrors(estate.diagnostics)
    ? estate.diagnostics.filter((d) => d.severity === 'error')
    : validateChecks(estate.checks, estate.checkScope);
  if (problems.length === 0) return;
  const text = problems
    .map((d) => formatDiagnostic(d, estate.sources.get(d.range.file), maskPatterns))
    .join('\n');
  throw new UserError(
    `${estate.files[0] ?? 'drover.hcl'} has ${problems.length} error${problems.length === 1 ? '' : 's'}; nothing was sent to Nomad:\n${text}`,
    { code: 'invalid_checks', hint: `Fix them (drover validate lists every error), then ${then}.` },
  );
}

/** The plan with its checks' results: when the checks run, the plan's own time, or `now` for a saved plan. */
export function withChecks(
  plan: Plan,
  checks: ProjectChecks | undefined,
  inputs: CheckInputs,
  time: Date = new Date(plan.createdAt),
): Plan {
  if (!checks) {
    const { checks: _none, ...rest } = plan;
    return rest;
  }
  // Masked apart, to say what the checks themselves cost: the plan's rendering shows this masked plan too.
  const started = performance.now();
  planForDisplay(plan, { showSensitive: false });
  const masked = performance.now();
  const report = evaluateChecks(checks, plan, { time, skip: inputs.skipChecks });
  inputs.logger?.debug(
    `checks: ${report.results.length} evaluated on ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'} in ${(performance.now() - masked).toFixed(1)} ms (${countsOf(report)}), after ${(masked - started).toFixed(1)} ms masking the plan`,
  );
  return { ...plan, checks: report };
}

/** "9 passed, 1 failed": each status the checks ended in, with how many. */
function countsOf(report: CheckReport): string {
  const counts = new Map<string, number>();
  for (const { status } of report.results) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
}

/**
 * A saved plan's checks, evaluated again at apply time as its project declares them now (a rule added since holds;
 * plan.time is now: a plan made on Thursday and applied on Friday is a Friday change). A plan that recorded checks
 * is refused when its project can no longer be read for them: it is never applied unchecked.
 */
export function recheckSavedPlan(
  plan: Plan,
  inputs: CheckInputs & Pick<NomadAccess, 'env' | 'nomad'> & { readonly cwd: string },
): Plan {
  const projectFile = plan.settings.projectFile;
  const now = (inputs.now ?? (() => new Date()))();
  if (!projectFile) {
    if (plan.checks) throw unreadable('it names no drover.hcl');
    return withChecks(plan, projectChecksOrNone(inputs.skipChecks), inputs, now);
  }
  const workspace = resolveWorkspace({
    paths: [dirname(resolve(inputs.cwd, projectFile))],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: {},
    nomad: inputs.nomad,
    // A cluster's part of a project's plan: its own project settings.
    clusters: plan.settings.cluster === DEFAULT_TARGET_NAME ? undefined : [plan.settings.cluster],
  });
  if (!workspace.projectFile && plan.checks) throw unreadable(`${projectFile} is not there any more`);
  return withChecks(plan, projectChecks(workspace, inputs, 'apply the plan again'), inputs, now);
}

function projectChecksOrNone(skip: readonly string[] | undefined): undefined {
  if (skip && skip.length > 0)
    throw new UserError(
      `--skip-check ${skip[0]}: the plan was made without a drover.hcl, which declares checks`,
      {
        code: 'unknown_check',
        hint: 'Leave out --skip-check.',
      },
    );
  return undefined;
}

function unreadable(why: string): UserError {
  return new UserError(`the saved plan's checks cannot be evaluated again: ${why}`, {
    code: 'checks_unreadable',
    hint: 'Apply the plan from the directory it was made in, or plan again.',
  });
}
