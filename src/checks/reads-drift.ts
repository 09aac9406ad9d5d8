/**
 * Whether a project's checks read the stack's drift (`plan.drift`, a change's `drift`): a plan made without notes
 * (apply) reads the drift only then, so that a rule over drift holds on apply as on plan, and a project without
 * such a rule pays no request for it. Told from the expressions, offline: an attribute or index named "drift",
 * or `plan` used whole (passed to a function, iterated), which could reach it.
 */
import type { Expression, TemplatePart } from '../source/hcl/ast.js';
import type { ProjectChecks } from './evaluate-checks.js';

export function readsDrift(project: ProjectChecks): boolean {
  return project.checks.some((check) =>
    check.assertions.some((a) => reaches(a.condition) || reaches(a.errorMessage)),
  );
}

function reaches(expr: Expression): boolean {
  switch (expr.kind) {
    case 'literal':
    case 'constant':
    case 'splat-item':
      return false;
    case 'variable':
      return expr.name === 'plan';
    case 'getattr':
      if (ofProject(expr)) return false;
      return expr.name === 'drift' || (!isPlan(expr.target) && reaches(expr.target));
    case 'index':
      if (ofProject(expr)) return false;
      if (expr.key.kind === 'literal' && typeof expr.key.value === 'string')
        return expr.key.value === 'drift' || (!isPlan(expr.target) && reaches(expr.target));
      return reaches(expr.target) || reaches(expr.key);
    case 'template':
      return expr.parts.some(partReaches);
    case 'tuple':
      return expr.items.some(reaches);
    case 'object':
      return expr.items.some((item) => (!item.bareKey && reaches(item.key)) || reaches(item.value));
    case 'splat':
      return reaches(expr.target) || reaches(expr.each);
    case 'call':
      return expr.args.some(reaches);
    case 'unary':
      return reaches(expr.operand);
    case 'binary':
      return reaches(expr.left) || reaches(expr.right);
    case 'conditional':
      return reaches(expr.condition) || reaches(expr.then) || reaches(expr.otherwise);
    case 'for':
      return [expr.collection, expr.keyExpr, expr.valueExpr, expr.condition].some((e) => e && reaches(e));
    case 'paren':
      return reaches(expr.expr);
  }
}

/** `plan` itself, read of by an attribute other than drift: plan.changes, plan["tasks"]. */
const isPlan = (expr: Expression) => expr.kind === 'variable' && expr.name === 'plan';

/** var.x, local.y[…]: the project's own values, whatever their names. */
function ofProject(expr: Expression): boolean {
  let root = expr;
  while (root.kind === 'getattr' || root.kind === 'index') root = root.target;
  return root.kind === 'variable' && (root.name === 'var' || root.name === 'local');
}

function partReaches(part: TemplatePart): boolean {
  switch (part.kind) {
    case 'text':
      return false;
    case 'interp':
      return reaches(part.expr);
    case 'if':
      return reaches(part.condition) || part.then.some(partReaches) || part.otherwise.some(partReaches);
    case 'for':
      return reaches(part.collection) || part.body.some(partReaches);
  }
}
