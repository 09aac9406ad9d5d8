/** The expressions directly inside an expression (a template's interpolations and directives included). */
import type { Expression, TemplatePart } from './ast.js';
import { ConstantTuple } from './constant-collections.js';

export function children(e: Expression): Expression[] {
  switch (e.kind) {
    case 'literal':
    case 'constant':
    case 'variable':
    case 'splat-item':
      return [];
    case 'template':
      return templateChildren(e.parts);
    case 'tuple':
      // A folded list holds constants only: nothing under it reads a variable.
      return e instanceof ConstantTuple ? [] : e.items;
    case 'object':
      // A bare identifier key (`a = 1`) is a name, not a variable read.
      return e.items.flatMap((item) => (item.bareKey ? [item.value] : [item.key, item.value]));
    case 'getattr':
      return [e.target];
    case 'index':
      return [e.target, e.key];
    case 'splat':
      return [e.target, e.each];
    case 'call':
      return e.args;
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'conditional':
      return [e.condition, e.then, e.otherwise];
    case 'for':
      return [
        e.collection,
        e.valueExpr,
        ...(e.keyExpr ? [e.keyExpr] : []),
        ...(e.condition ? [e.condition] : []),
      ];
    case 'paren':
      return [e.expr];
  }
}

function templateChildren(parts: readonly TemplatePart[]): Expression[] {
  return parts.flatMap((part): Expression[] => {
    switch (part.kind) {
      case 'text':
        return [];
      case 'interp':
        return [part.expr];
      case 'if':
        return [part.condition, ...templateChildren(part.then), ...templateChildren(part.otherwise)];
      case 'for':
        return [part.collection, ...templateChildren(part.body)];
    }
  });
}
