/**
 * A check's expressions checked offline, before any plan exists: every attribute they read of `plan` must be one
 * the plan object has (a typo names the closest one), every variable must be plan, var, local or an iterator, every
 * function one a check may call. A rule that reads `plan.chnages` would otherwise fail only at plan time.
 */
import type { Expression, TemplatePart } from '../source/hcl/ast.js';
import { error, suggest, type Diagnostic } from '../source/hcl/diagnostics.js';
import type { CheckDeclaration } from '../source/estate.js';
import { isObject, type Value } from '../source/hcl/types.js';
import { checkFunctions } from './check-functions.js';
import { planObjectShape, type Shape } from './plan-object.js';

const ANY: Shape = { kind: 'any' };
let functionNames: readonly string[] | undefined;
/** Made on first use: a project without checks (most runs) builds no table of their functions. */
const callable = () => (functionNames ??= Object.keys(checkFunctions({ now: '', planned: '' })));

export function validateChecks(
  checks: readonly CheckDeclaration[],
  scope: Readonly<Record<string, Value>>,
): Diagnostic[] {
  const roots: Record<string, Shape> = { plan: planObjectShape() };
  for (const [name, value] of Object.entries(scope)) roots[name] = shapeOfScope(value);
  const found: Diagnostic[] = [];
  for (const check of checks)
    for (const assertion of check.assertions) {
      walk(assertion.condition, roots, found);
      walk(assertion.errorMessage, roots, found);
    }
  return found;
}

/** var and local: their names are known (a typo is named); what is below them is the user's. */
function shapeOfScope(value: Value): Shape {
  if (!isObject(value)) return ANY;
  return { kind: 'object', attributes: Object.fromEntries(Object.keys(value).map((k) => [k, ANY])) };
}

function walk(expr: Expression, scope: Readonly<Record<string, Shape>>, found: Diagnostic[]): Shape {
  switch (expr.kind) {
    case 'literal':
    case 'constant':
      return ANY;
    case 'template':
      parts(expr.parts, scope, found);
      return ANY;
    case 'tuple':
      for (const item of expr.items) walk(item, scope, found);
      return ANY;
    case 'object':
      for (const item of expr.items) {
        if (!item.bareKey) walk(item.key, scope, found);
        walk(item.value, scope, found);
      }
      return ANY;
    case 'variable': {
      if (Object.hasOwn(scope, expr.name)) return scope[expr.name]!;
      const roots = Object.keys(scope).filter((r) => !r.startsWith('\u0000'));
      const hint = suggest(expr.name, roots);
      found.push(
        error(
          expr.range,
          'Unknown variable',
          `There is no variable named "${expr.name}"${hint ? `; did you mean "${hint}"?` : `: a check reads ${roots.join(', ')} and the variables of its for expressions.`}`,
        ),
      );
      return ANY;
    }
    case 'getattr':
      return attribute(walk(expr.target, scope, found), expr.name, expr, found);
    case 'index': {
      const target = walk(expr.target, scope, found);
      walk(expr.key, scope, found);
      if (target.kind === 'list') return target.element;
      if (target.kind === 'object' && expr.key.kind === 'literal' && typeof expr.key.value === 'string')
        return attribute(target, expr.key.value, expr, found);
      return ANY;
    }
    case 'splat': {
      const target = walk(expr.target, scope, found);
      const element = target.kind === 'list' ? target.element : target;
      walk(expr.each, { ...scope, '\u0000splat': element }, found);
      return ANY;
    }
    case 'splat-item':
      return scope['\u0000splat'] ?? ANY;
    case 'paren':
      return walk(expr.expr, scope, found);
    case 'unary':
      walk(expr.operand, scope, found);
      return ANY;
    case 'binary':
      walk(expr.left, scope, found);
      walk(expr.right, scope, found);
      return ANY;
    case 'conditional':
      walk(expr.condition, scope, found);
      walk(expr.then, scope, found);
      walk(expr.otherwise, scope, found);
      return ANY;
    case 'for': {
      const collection = walk(expr.collection, scope, found);
      const inner = {
        ...scope,
        ...(expr.keyVar ? { [expr.keyVar]: ANY } : {}),
        [expr.valueVar]: collection.kind === 'list' ? collection.element : ANY,
      };
      if (expr.keyExpr) walk(expr.keyExpr, inner, found);
      walk(expr.valueExpr, inner, found);
      if (expr.condition) walk(expr.condition, inner, found);
      return ANY;
    }
    case 'call': {
      if (!callable().includes(expr.name)) {
        const hint = suggest(expr.name, callable());
        found.push(
          error(
            expr.nameRange,
            `Call to unknown function "${expr.name}"`,
            hint
              ? `Did you mean "${hint}"?`
              : "A check may call the job files' functions (no filesystem ones) and alltrue, anytrue, startswith, endswith, strcontains, regex, regexall, one, sum, the to* conversions, timestamp and plantimestamp.",
          ),
        );
      }
      for (const arg of expr.args) walk(arg, scope, found);
      return ANY;
    }
  }
}

function parts(
  list: readonly TemplatePart[],
  scope: Readonly<Record<string, Shape>>,
  found: Diagnostic[],
): void {
  for (const part of list) {
    if (part.kind === 'interp') walk(part.expr, scope, found);
    else if (part.kind === 'if') {
      walk(part.condition, scope, found);
      parts(part.then, scope, found);
      parts(part.otherwise, scope, found);
    } else if (part.kind === 'for') {
      const collection = walk(part.collection, scope, found);
      parts(
        part.body,
        {
          ...scope,
          ...(part.keyVar ? { [part.keyVar]: ANY } : {}),
          [part.valueVar]: collection.kind === 'list' ? collection.element : ANY,
        },
        found,
      );
    }
  }
}

function attribute(target: Shape, name: string, expr: Expression, found: Diagnostic[]): Shape {
  if (target.kind === 'any') return ANY;
  if (target.kind === 'list') {
    found.push(
      error(
        expr.range,
        'Unsupported attribute',
        `"${name}" cannot be read from a list; read it of each element: [for x in LIST : x.${name}], or LIST[*].${name}.`,
      ),
    );
    return ANY;
  }
  const known = target.attributes[name];
  if (known) return known;
  const hint = suggest(name, Object.keys(target.attributes));
  found.push(
    error(
      expr.range,
      'Unsupported attribute',
      `This object has no attribute "${name}"${hint ? `; did you mean "${hint}"?` : `; it has ${Object.keys(target.attributes).join(', ')}.`} (docs/checks.md lists the plan object.)`,
    ),
  );
  return ANY;
}
