/**
 * Check test files (*.checktest.hcl), read offline: each `run` block names a saved plan kept as a fixture, the time
 * the checks see, and the checks it must fail, as Terraform's test files name theirs:
 *
 *   run "friday_release" {
 *     plan            = "fixtures/release.plan"    # drover plan --out, relative to this file
 *     time            = "2026-12-11T15:00:00Z"     # plan.time and timestamp(); default: when the plan was made
 *     expect_failures = [check.no_friday_changes]  # every other check must pass
 *   }
 */
import { dirname, resolve } from 'node:path';
import type { Expression } from './hcl/ast.js';
import { DiagnosticError, error, suggest, type Diagnostic, type Range } from './hcl/diagnostics.js';
import { evaluate, MAX_ELEMENTS } from './hcl/evaluate.js';
import { parseHcl } from './hcl/parser.js';

export interface CheckTestRun {
  readonly name: string;
  /** Where its label is, "file:line:column". */
  readonly at: string;
  /** The saved plan, absolute. */
  readonly plan: string;
  /** RFC 3339; absent: the plan's own created_at. */
  readonly time?: string;
  readonly expectFailures: readonly string[];
}

export interface CheckTestFile {
  readonly runs: readonly CheckTestRun[];
  readonly diagnostics: readonly Diagnostic[];
}

const ATTRIBUTES = ['plan', 'time', 'expect_failures'];

/** `path` as read; `shown`: how diagnostics name it. */
export function readCheckTests(path: string, source: string, shown: string): CheckTestFile {
  const parsed = parseHcl(source, shown);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const runs: CheckTestRun[] = [];
  for (const attr of parsed.body.attributes)
    diagnostics.push(
      error(
        attr.nameRange,
        `Unsupported argument "${attr.name}"`,
        'A check test file holds run "<name>" { … } blocks.',
      ),
    );
  const ctx = {
    variables: {},
    functions: {},
    source,
    warnings: [],
    budget: { remaining: MAX_ELEMENTS },
    knownRootsOnly: true,
  };
  const string = (expr: Expression, what: string): string | undefined => {
    try {
      const value = evaluate(expr, ctx);
      if (typeof value === 'string') return value;
      diagnostics.push(error(expr.range, `${what} must be a string`));
    } catch (caught) {
      if (!(caught instanceof DiagnosticError)) throw caught;
      diagnostics.push(caught.diagnostic);
    }
    return undefined;
  };
  for (const block of parsed.body.blocks) {
    const label = block.labels[0];
    if (block.type !== 'run' || !label || block.labels.length > 1) {
      diagnostics.push(
        error(
          block.typeRange,
          block.type === 'run'
            ? 'A run block takes one label, its name'
            : `Unsupported block "${block.type}"`,
          'A check test file holds run "<name>" { plan = "…", expect_failures = [check.NAME] } blocks.',
        ),
      );
      continue;
    }
    const attrs = new Map(block.body.attributes.map((a) => [a.name, a]));
    for (const attr of block.body.attributes)
      if (!ATTRIBUTES.includes(attr.name)) {
        const hint = suggest(attr.name, ATTRIBUTES);
        diagnostics.push(
          error(
            attr.nameRange,
            `Unsupported argument "${attr.name}" in run "${label.value}"`,
            hint ? `Did you mean "${hint}"?` : 'A run block takes plan, time and expect_failures.',
          ),
        );
      }
    const planAttr = attrs.get('plan');
    if (!planAttr) {
      diagnostics.push(
        error(
          label.range,
          `Missing plan in run "${label.value}"`,
          'Add plan = "<a plan saved by drover plan --out>".',
        ),
      );
      continue;
    }
    const plan = string(planAttr.expr, 'plan');
    const timeAttr = attrs.get('time');
    const time = timeAttr ? string(timeAttr.expr, 'time') : undefined;
    if (timeAttr && time !== undefined && Number.isNaN(Date.parse(time)))
      diagnostics.push(
        error(
          timeAttr.expr.range,
          'Invalid time',
          'time is an RFC 3339 timestamp, such as "2026-12-11T15:00:00Z".',
        ),
      );
    const expected = attrs.get('expect_failures');
    const expectFailures = expected ? checkNames(expected.expr, diagnostics) : [];
    if (plan === undefined) continue;
    runs.push({
      name: label.value,
      at: position(label.range),
      plan: resolve(dirname(path), plan),
      ...(time !== undefined ? { time } : {}),
      expectFailures,
    });
  }
  return { runs, diagnostics };
}

/** `[check.a, check.b]`, as Terraform writes them (or their names as strings). */
function checkNames(expr: Expression, diagnostics: Diagnostic[]): string[] {
  if (expr.kind !== 'tuple') {
    diagnostics.push(
      error(expr.range, 'expect_failures must be a list', 'Write expect_failures = [check.NAME, …].'),
    );
    return [];
  }
  const names: string[] = [];
  for (const item of expr.items) {
    if (item.kind === 'getattr' && item.target.kind === 'variable' && item.target.name === 'check')
      names.push(item.name);
    else if (item.kind === 'template' && item.parts.length === 1 && item.parts[0]!.kind === 'text')
      names.push(item.parts[0]!.value);
    else if (item.kind === 'literal' && typeof item.value === 'string') names.push(item.value);
    else diagnostics.push(error(item.range, 'Invalid check reference', 'Name a check as check.NAME.'));
  }
  return names;
}

const position = (range: Range) => `${range.file}:${range.start.line}:${range.start.column}`;
