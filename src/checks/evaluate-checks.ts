/**
 * The project's checks evaluated on a plan (docs/checks.md). Each check's conditions read `plan` (the masked plan
 * object), `var` and `local`; a condition that is false fails the check with its error_message and the objects
 * that made it false; a condition that cannot be evaluated (an attribute of null, a wrong type) makes the check
 * an error, at its file:line:column: a broken rule never passes.
 */
import { planForDisplay } from '../plan/mask.js';
import type { CheckReport, CheckResult } from '../plan/check-report.js';
import type { Plan } from '../plan/model.js';
import type { CheckDeclaration } from '../source/estate.js';
import { DiagnosticError, formatDiagnostic, type Range } from '../source/hcl/diagnostics.js';
import { evaluate, MAX_ELEMENTS, type EvalContext } from '../source/hcl/evaluate.js';
import { describeValue, type Value } from '../source/hcl/types.js';
import { jsonWeight } from '../source/hcl/value-weight.js';
import { checkFunctions } from './check-functions.js';
import { failingObjects, MAX_NAMED } from './failing-objects.js';
import { planObject } from './plan-object.js';

/** A project's checks and what their expressions read beside `plan`. */
export interface ProjectChecks {
  readonly checks: readonly CheckDeclaration[];
  /** var and local, as the project's files resolve them. */
  readonly scope: Readonly<Record<string, Value>>;
  /** The texts of the files the checks are in, by the name their ranges carry. */
  readonly sources: ReadonlyMap<string, string>;
}

export interface EvaluateOptions {
  /** What plan.time and timestamp() are: when the checks run (apply evaluates a saved plan's again, at its time). */
  readonly time: Date;
  /** Checks --skip-check named: evaluated and shown, but they block nothing. */
  readonly skip?: readonly string[];
}

export function evaluateChecks(project: ProjectChecks, plan: Plan, options: EvaluateOptions): CheckReport {
  const time = options.time.toISOString();
  const masked = planForDisplay(plan, { showSensitive: false });
  const value = planObject(masked, time);
  const functions = checkFunctions({ now: time, planned: plan.createdAt });
  let planWeight: number | undefined;
  const readWeight = () => (planWeight ??= jsonWeight(masked.changes) + jsonWeight(masked.drift ?? []));
  const skip = new Set(options.skip ?? []);
  const results = project.checks.map((check) => {
    const result = evaluateCheck(
      check,
      {
        variables: { ...project.scope, plan: value },
        functions,
        source: project.sources.get(check.range.file) ?? '',
        warnings: [],
        budget: { remaining: MAX_ELEMENTS },
        knownRootsOnly: true,
        readWeight,
      },
      project.sources,
      plan.settings.maskPatterns,
    );
    return skip.has(check.name) ? { ...result, skipped: true } : result;
  });
  return { time, results };
}

function evaluateCheck(
  check: CheckDeclaration,
  ctx: EvalContext,
  sources: ReadonlyMap<string, string>,
  maskPatterns: readonly string[],
): CheckResult {
  const base = { name: check.name, severity: check.severity, at: position(check.range) };
  const messages: string[] = [];
  const failing: string[] = [];
  try {
    for (const assertion of check.assertions) {
      if (conditionHolds(assertion.condition.range, evaluate(assertion.condition, ctx))) continue;
      messages.push(errorMessage(assertion.errorMessage.range, evaluate(assertion.errorMessage, ctx)));
      failing.push(...failingObjects(assertion.condition, ctx));
    }
  } catch (caught) {
    if (!(caught instanceof DiagnosticError)) throw caught;
    const { diagnostic } = caught;
    return {
      ...base,
      status: 'error',
      messages: [],
      failing: [],
      error: formatDiagnostic(diagnostic, sources.get(diagnostic.range.file), maskPatterns),
    };
  }
  const named = [...new Set(failing)];
  return {
    ...base,
    status: messages.length === 0 ? 'passed' : 'failed',
    messages,
    failing:
      named.length > MAX_NAMED
        ? [...named.slice(0, MAX_NAMED), `… and ${named.length - MAX_NAMED} more`]
        : named,
  };
}

/** A condition is true or false; anything else is a mistake in the rule, never a pass. */
function conditionHolds(range: Range, value: Value): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new DiagnosticError({
    severity: 'error',
    summary: 'Invalid condition result',
    detail: `A check's condition must be true or false, not ${describeValue(value)}${value === null ? ' (use coalesce() or a comparison where a value may be null)' : ''}.`,
    range,
  });
}

function errorMessage(range: Range, value: Value): string {
  if (typeof value === 'string') return value;
  throw new DiagnosticError({
    severity: 'error',
    summary: 'Invalid error_message',
    detail: `error_message must be a string, not ${describeValue(value)}.`,
    range,
  });
}

const position = (range: Range) => `${range.file}:${range.start.line}:${range.start.column}`;
