/**
 * `check` blocks (drover.hcl and the files it includes): the team's rules over every plan (docs/checks.md). Read
 * offline into declarations whose conditions stay expressions: they are evaluated once a plan exists. Two forms,
 * as Terraform has them: the condition in the block itself, or one `assert` block per condition.
 *
 *   check "pinned_images" {
 *     severity      = "warning"
 *     condition     = alltrue([for t in plan.tasks : !endswith(t.image, ":latest")])
 *     error_message = "Pin every image."
 *   }
 */
import type { Block, Expression } from '../hcl/ast.js';
import { DiagnosticError, error, suggest, type Diagnostic, type Range } from '../hcl/diagnostics.js';
import { evaluate, type EvalContext } from '../hcl/evaluate.js';

export const CHECK_SEVERITIES = ['error', 'warning'] as const;
export type CheckSeverityName = (typeof CHECK_SEVERITIES)[number];

export interface CheckAssertion {
  readonly condition: Expression;
  readonly errorMessage: Expression;
}

export interface CheckDeclaration {
  readonly name: string;
  readonly severity: CheckSeverityName;
  /** Its label's place: where a result points. */
  readonly range: Range;
  readonly assertions: readonly CheckAssertion[];
}

/** A check's name is used as `check.NAME` in test files and --skip-check NAME: an identifier. */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const ATTRIBUTES = ['condition', 'error_message', 'severity'];

/** Each check block read; every problem reported at its position. `ctx` reads var and local (for severity). */
export function readCheckBlocks(
  blocks: readonly Block[],
  ctx: EvalContext,
  report: (diagnostic: Diagnostic) => void,
): CheckDeclaration[] {
  const checks: CheckDeclaration[] = [];
  const seen = new Map<string, Range>();
  for (const block of blocks) {
    const label = block.labels[0];
    if (!label || block.labels.length > 1) {
      report(
        label
          ? error(
              block.labels[1]!.range,
              'Extraneous label for check',
              'A check block takes one label, its name.',
            )
          : error(
              block.typeRange,
              'Missing name for check',
              'A check block takes a name: check "pinned_images" { … }.',
            ),
      );
      continue;
    }
    if (!NAME.test(label.value)) {
      report(
        error(
          label.range,
          'Invalid check name',
          `"${label.value}" is no identifier; a check's name starts with a letter or _ and holds letters, digits, _ and - (it is named as check.NAME and by --skip-check NAME).`,
        ),
      );
      continue;
    }
    const earlier = seen.get(label.value);
    if (earlier) {
      report(
        error(
          label.range,
          `Duplicate check "${label.value}"`,
          `check "${label.value}" is already declared at ${position(earlier)}; give each check its own name.`,
        ),
      );
      continue;
    }
    seen.set(label.value, label.range);
    const read = readCheck(block, label.value, ctx, report);
    if (read) checks.push({ ...read, range: label.range });
  }
  return checks;
}

function readCheck(
  block: Block,
  name: string,
  ctx: EvalContext,
  report: (diagnostic: Diagnostic) => void,
): Omit<CheckDeclaration, 'range'> | undefined {
  let ok = true;
  const problem = (diagnostic: Diagnostic) => {
    ok = false;
    report(diagnostic);
  };
  const attrs = new Map(block.body.attributes.map((a) => [a.name, a]));
  for (const attr of block.body.attributes)
    if (!ATTRIBUTES.includes(attr.name)) {
      const hint = suggest(attr.name, ATTRIBUTES);
      problem(
        error(
          attr.nameRange,
          `Unsupported argument "${attr.name}" in check "${name}"`,
          hint
            ? `Did you mean "${hint}"?`
            : 'A check takes condition, error_message and severity, or assert { condition, error_message } blocks.',
        ),
      );
    }
  for (const nested of block.body.blocks)
    if (nested.type !== 'assert')
      problem(
        error(
          nested.typeRange,
          `Unsupported block "${nested.type}" in check "${name}"`,
          `${suggest(nested.type, ['assert']) ? 'Did you mean "assert"? ' : ''}A check holds assert { condition, error_message } blocks.`,
        ),
      );
  const severity = readSeverity(attrs.get('severity')?.expr, ctx, problem);
  const asserts = block.body.blocks.filter((b) => b.type === 'assert');
  const assertions: CheckAssertion[] = [];
  if (attrs.has('condition') && asserts.length > 0)
    problem(
      error(
        attrs.get('condition')!.nameRange,
        `Check "${name}" has both a condition and assert blocks`,
        'Write the condition in the check itself, or one assert block per condition, not both.',
      ),
    );
  else if (asserts.length > 0)
    for (const assert of asserts) {
      const read = readAssertion(assert, `an assert block of check "${name}"`, assert.typeRange, problem);
      if (read) assertions.push(read);
    }
  else {
    const read = readAssertion(block, `check "${name}"`, block.labels[0]!.range, problem);
    if (read) assertions.push(read);
  }
  // A check with a problem is still returned for validate to check its expressions; its problem refuses the plan.
  return ok || assertions.length > 0 ? { name, severity, assertions } : undefined;
}

function readAssertion(
  block: Block,
  what: string,
  at: Range,
  problem: (diagnostic: Diagnostic) => void,
): CheckAssertion | undefined {
  const attrs = new Map(block.body.attributes.map((a) => [a.name, a]));
  if (block.type === 'assert') {
    for (const attr of block.body.attributes)
      if (attr.name !== 'condition' && attr.name !== 'error_message')
        problem(
          error(
            attr.nameRange,
            `Unsupported argument "${attr.name}" in ${what}`,
            `${suggest(attr.name, ['condition', 'error_message']) ? `Did you mean "${suggest(attr.name, ['condition', 'error_message'])}"? ` : ''}An assert block takes condition and error_message.`,
          ),
        );
    for (const nested of block.body.blocks)
      problem(
        error(
          nested.typeRange,
          `Unsupported block "${nested.type}" in ${what}`,
          'An assert block holds no blocks.',
        ),
      );
  }
  const condition = attrs.get('condition')?.expr;
  const errorMessage = attrs.get('error_message')?.expr;
  if (!condition)
    problem(
      error(
        at,
        `Missing condition in ${what}`,
        'Add condition = <an expression over plan that is true when the plan is fine>.',
      ),
    );
  if (!errorMessage)
    problem(
      error(
        at,
        `Missing error_message in ${what}`,
        'Add error_message = "…": what the person whose plan failed should do (it is shown with the failure).',
      ),
    );
  return condition && errorMessage ? { condition, errorMessage } : undefined;
}

function readSeverity(
  expr: Expression | undefined,
  ctx: EvalContext,
  problem: (diagnostic: Diagnostic) => void,
): CheckSeverityName {
  if (!expr) return 'error';
  try {
    const value = evaluate(expr, ctx);
    if (typeof value === 'string' && (CHECK_SEVERITIES as readonly string[]).includes(value))
      return value as CheckSeverityName;
    const hint = typeof value === 'string' ? suggest(value, CHECK_SEVERITIES) : undefined;
    problem(
      error(
        expr.range,
        'Invalid severity',
        `severity is "error" (the default: a failure stops plan and apply) or "warning" (a failure is only reported)${hint ? `; did you mean "${hint}"?` : '.'}`,
      ),
    );
  } catch (caught) {
    if (!(caught instanceof DiagnosticError)) throw caught;
    problem(caught.diagnostic);
  }
  return 'error';
}

const position = (range: Range) => `${range.file}:${range.start.line}:${range.start.column}`;
