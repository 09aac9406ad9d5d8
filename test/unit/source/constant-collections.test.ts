import { parseHcl } from '../../../src/source/hcl/parser.js';
import { evaluate, type EvalContext } from '../../../src/source/hcl/evaluate.js';
import { DiagnosticError } from '../../../src/source/hcl/diagnostics.js';
import type { Expression } from '../../../src/source/hcl/ast.js';
import type { Value } from '../../../src/source/hcl/types.js';

const FILE = 'c.hcl';

function read(source: string): { expr: Expression; ctx: EvalContext } {
  const { body, diagnostics } = parseHcl(source, FILE);
  expect(diagnostics).toEqual([]);
  return {
    expr: body.attributes[0]!.expr,
    ctx: { variables: { var: { x: 'X' } }, functions: {}, source, warnings: [] },
  };
}

const at = (e: { range: { start: { line: number; column: number } } }) =>
  `${e.range.start.line}:${e.range.start.column}`;

describe('lists and objects of constants, folded into their value while reading', () => {
  it('evaluate to the same value, a fresh copy each time', () => {
    const { expr, ctx } = read('a = [1, "two", true, null, [3, 4], { b = 5, "c" = [6] }]\n');
    const first = evaluate(expr, ctx) as Value[];
    expect(first).toEqual([1, 'two', true, null, [3, 4], { b: 5, c: [6] }]);
    (first[4] as Value[]).push(99);
    (first[5] as Record<string, Value>).b = 0;
    expect(evaluate(expr, ctx)).toEqual([1, 'two', true, null, [3, 4], { b: 5, c: [6] }]);
  });

  it('still read as a list with each item at its place', () => {
    const { expr } = read('a = [\n  "x",\n    { b = 1 },\n  [2],\n]\n');
    expect(expr.kind).toBe('tuple');
    const items = (expr as Extract<Expression, { kind: 'tuple' }>).items;
    expect(items.map((item) => [item.kind, at(item)])).toEqual([
      ['literal', '2:3'],
      ['constant', '3:5'],
      ['constant', '4:3'],
    ]);
  });

  it('unfold at the first item that is not constant, keeping the places of those before it', () => {
    const { expr, ctx } = read('a = [1, "two", var.x, { b = var.x }, 3]\n');
    expect(evaluate(expr, ctx)).toEqual([1, 'two', 'X', { b: 'X' }, 3]);
    const items = (expr as Extract<Expression, { kind: 'tuple' }>).items;
    expect(items.map((item) => [item.kind, at(item)])).toEqual([
      ['literal', '1:6'],
      ['literal', '1:9'],
      ['getattr', '1:16'],
      ['object', '1:23'],
      ['literal', '1:38'],
    ]);
  });

  it('report an error in a later item at its position', () => {
    const { expr, ctx } = read('a = [1, 2, 3, nosuch()]\n');
    expect(() => evaluate(expr, ctx)).toThrow(DiagnosticError);
    try {
      evaluate(expr, ctx);
    } catch (caught) {
      expect(at((caught as DiagnosticError).diagnostic)).toBe('1:15');
    }
  });

  it('keep an object as written: its keys, bare or quoted, and a later duplicate winning as before', () => {
    const { expr, ctx } = read('a = { b = 1, "c" = 2, b = 3 }\n');
    expect(evaluate(expr, ctx)).toEqual({ b: 3, c: 2 });
    const items = (expr as Extract<Expression, { kind: 'object' }>).items;
    expect(items.map((item) => [item.bareKey, item.key.kind])).toEqual([
      [true, 'variable'],
      [false, 'literal'],
      [true, 'variable'],
    ]);
  });
});
