/**
 * Which objects made a condition false, for the usual shapes of a rule over a list of the plan, so that a failure
 * names them ("task prod/api/web/server") instead of leaving a person to search 200 jobs:
 *
 *   alltrue([for x in LIST : COND])                  the elements whose COND is false
 *   !anytrue([for x in LIST : COND])                 the elements whose COND is true
 *   length([for x in LIST : x if COND]) == 0         the elements kept (also `< 1`, `0 ==`)
 *   A && B                                           both sides' offenders
 *
 * An element is named by its `label` (every element of plan.changes, tasks, groups, services and drift has one),
 * or by itself when it is a string. Other shapes name nothing; the failure is reported all the same.
 */
import type { Expression } from '../source/hcl/ast.js';
import { evaluate, withVariables, type EvalContext } from '../source/hcl/evaluate.js';
import { formatNumber, isNumber } from '../source/hcl/numbers.js';
import { isObject, type Value } from '../source/hcl/types.js';

type For = Extract<Expression, { kind: 'for' }>;

/** At most this many are named; the rest are counted. */
export const MAX_NAMED = 20;

export function failingObjects(condition: Expression, ctx: EvalContext): string[] {
  try {
    return [...new Set(offenders(condition, ctx, false))];
  } catch {
    // Naming is a courtesy: the condition already failed, and says so without it.
    return [];
  }
}

function offenders(expr: Expression, ctx: EvalContext, negated: boolean): string[] {
  const e = unparen(expr);
  if (e.kind === 'unary' && e.op === '!') return offenders(e.operand, ctx, !negated);
  if (e.kind === 'binary' && e.op === '&&' && !negated)
    return [...offenders(e.left, ctx, false), ...offenders(e.right, ctx, false)];
  if (e.kind === 'binary' && e.op === '||' && negated)
    return [...offenders(e.left, ctx, true), ...offenders(e.right, ctx, true)];
  if (e.kind === 'call' && e.args.length === 1) {
    const loop = forTuple(e.args[0]!);
    // alltrue fails on its false elements; a negated anytrue on its true ones.
    if (loop && e.name === 'alltrue' && !negated)
      return elements(loop, ctx, (v) => v === false || v === 'false');
    if (loop && e.name === 'anytrue' && negated)
      return elements(loop, ctx, (v) => v === true || v === 'true');
  }
  if (e.kind === 'binary' && !negated && (e.op === '==' || e.op === '<' || e.op === '<=')) {
    const loop = lengthOfFor(e.left);
    if (loop && isZeroish(e.right, e.op)) return elements(loop, ctx, () => true);
    const flipped = lengthOfFor(e.right);
    if (flipped && e.op === '==' && isZeroish(e.left, '==')) return elements(flipped, ctx, () => true);
  }
  return [];
}

const unparen = (e: Expression): Expression => (e.kind === 'paren' ? unparen(e.expr) : e);

function forTuple(e: Expression): For | undefined {
  const inner = unparen(e);
  return inner.kind === 'for' && !inner.keyExpr ? inner : undefined;
}

function lengthOfFor(e: Expression): For | undefined {
  const inner = unparen(e);
  return inner.kind === 'call' && inner.name === 'length' && inner.args.length === 1
    ? forTuple(inner.args[0]!)
    : undefined;
}

/** `== 0`, `< 1`, `<= 0`: the list must be empty. */
function isZeroish(e: Expression, op: string): boolean {
  const inner = unparen(e);
  if (inner.kind !== 'literal' || !isNumber(inner.value)) return false;
  const n = formatNumber(inner.value);
  return (op === '<' && n === '1') || ((op === '==' || op === '<=') && n === '0');
}

/** The labels of the elements the loop keeps (its `if`) whose produced value `offends`. */
function elements(loop: For, ctx: EvalContext, offends: (produced: Value) => boolean): string[] {
  const collection = evaluate(loop.collection, ctx);
  const entries: Array<[Value, Value]> = Array.isArray(collection)
    ? collection.map((v, i) => [i, v])
    : isObject(collection)
      ? Object.keys(collection)
          .sort()
          .map((k) => [k, collection[k]!])
      : [];
  const named: string[] = [];
  for (const [key, value] of entries) {
    const scope = withVariables(ctx, {
      ...(loop.keyVar ? { [loop.keyVar]: key } : {}),
      [loop.valueVar]: value,
    });
    if (loop.condition && evaluate(loop.condition, scope) !== true) continue;
    if (!offends(evaluate(loop.valueExpr, scope))) continue;
    const name = nameOf(value) ?? (typeof key === 'string' ? key : undefined);
    if (name !== undefined) named.push(name);
  }
  return named;
}

function nameOf(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.label === 'string') return value.label;
  return undefined;
}
