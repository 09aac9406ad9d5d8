import fc from 'fast-check';
import type { Body, Expression } from '../../../src/source/hcl/ast.js';
import { evaluate } from '../../../src/source/hcl/evaluate.js';
import { jobspecFunctions } from '../../../src/source/hcl/functions.js';
import { parseHcl } from '../../../src/source/hcl/parser.js';
import { loadJob } from '../../../src/source/load-job.js';
import { jobFixtures } from '../../support/fixtures.js';
import { normalize, oracleParse, toOracleShape } from '../../support/hcl-oracle.js';

/** Whether evaluating some value (each tuple item and object value on its own, as hcl2json does) fails. */
function evaluationFails(body: Body, source: string): boolean {
  const ctx = { variables: {}, functions: jobspecFunctions(false), source, warnings: [] };
  const fails = (expr: Expression): boolean => {
    try {
      evaluate(expr, ctx);
    } catch {
      return true;
    }
    if (expr.kind === 'tuple') return expr.items.some(fails);
    if (expr.kind === 'object') return expr.items.some((item) => fails(item.value));
    return false;
  };
  return (
    body.attributes.some((attr) => fails(attr.expr)) ||
    body.blocks.some((block) => evaluationFails(block.body, source))
  );
}

const fixtures = jobFixtures().filter((f) => f.path.endsWith('.hcl'));
const SYNTAX = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '"',
  '=',
  '$',
  '${',
  '%{',
  '~',
  '<<EOT',
  '<<-EOT',
  '\n',
  '#',
  '//',
  '/*',
  '*/',
  ',',
  '.',
  '...',
  '\\',
  ' ',
  'var.',
  '?',
  ':',
  'for',
  'in',
  '=>',
];

/** A job file broken in one of the ways an editor breaks them. */
const mutated = fc
  .record({
    fixture: fc.integer({ min: 0, max: fixtures.length - 1 }),
    at: fc.nat(),
    length: fc.integer({ min: 0, max: 40 }),
    insert: fc.array(fc.constantFrom(...SYNTAX), { maxLength: 4 }),
    kind: fc.constantFrom('truncate', 'delete', 'insert', 'replace'),
  })
  .map(({ fixture, at, length, insert, kind }) => {
    const source = fixtures[fixture]!.source;
    const i = at % (source.length + 1);
    switch (kind) {
      case 'truncate':
        return source.slice(0, i);
      case 'delete':
        return source.slice(0, i) + source.slice(i + length);
      case 'insert':
        return source.slice(0, i) + insert.join('') + source.slice(i);
      default:
        return source.slice(0, i) + insert.join('') + source.slice(i + length);
    }
  });

describe('properties of the job file reader', () => {
  it('mutated or truncated job files only ever produce positioned diagnostics: no crash, no hang', () => {
    fc.assert(
      fc.property(mutated, (source) => {
        const started = performance.now();
        const loaded = loadJob('fuzz.nomad.hcl', source, { env: {}, allowFilesystem: false });
        expect(performance.now() - started).toBeLessThan(2000);
        const lines = source.split('\n').length;
        for (const d of loaded.diagnostics) {
          expect(d.range.file).toBe('fuzz.nomad.hcl');
          expect(d.range.start.line).toBeGreaterThanOrEqual(1);
          expect(d.range.start.line).toBeLessThanOrEqual(lines);
          expect(d.range.start.column).toBeGreaterThanOrEqual(1);
          expect(d.summary).not.toBe('');
        }
        const failed = loaded.diagnostics.some((d) => d.severity === 'error');
        expect(loaded.job === undefined).toBe(failed);
      }),
      { numRuns: 1200, seed: 20261122 },
    );
  });

  const identifier = fc.constantFrom('a', 'b', 'name', 'count', 'x_y', 'with-dash', 'ünï');
  const literal = fc.oneof(
    fc.integer({ min: 0, max: 100000 }).map(String),
    fc.double({ min: 0, max: 1e6, noNaN: true }).map((n) => String(Math.round(n * 1000) / 1000)),
    fc.constantFrom('true', 'false', 'null'),
    fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s.replace(/[\\$%]/g, ''))),
  );
  const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literal,
      fc.tuple(identifier, identifier).map(([a, b]) => `var.${a}.${b}`),
      fc
        .tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '==', '!=', '<', '&&', '||'), tie('expr'))
        .map(([a, op, b]) => `${a} ${op} ${b}`),
      fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
      fc.array(tie('expr'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
      fc
        .array(fc.tuple(identifier, tie('expr')), { maxLength: 3 })
        .map((items) => `{ ${items.map(([k, v]) => `${k} = ${v}`).join(', ')} }`),
      fc
        .tuple(fc.constantFrom('upper', 'max', 'concat', 'format'), fc.array(tie('expr'), { maxLength: 3 }))
        .map(([f, args]) => `${f}(${args.join(', ')})`),
      fc.tuple(identifier, tie('expr')).map(([v, e]) => `[for ${v} in var.list : ${e}]`),
      // Interpolations hold traversals and calls: hcl2json prints any conditional inside a template as %{if}.
      fc
        .tuple(fc.constantFrom('var.a', 'var.b.c', 'upper(var.x)', '1', '"s"', 'var.list[0]'), identifier)
        .map(([e, n]) => `"pre-\${${e}}-${n}"`),
      fc.tuple(tie('expr')).map(([e]) => `(${e})`),
      tie('expr').map((e) => `-${e}`),
    ),
  })).expr;
  const body: fc.Arbitrary<string> = fc.letrec((tie) => ({
    body: fc
      .array(
        fc.oneof(
          fc.tuple(identifier, expression).map(([name, value]) => `${name} = ${value}\n`),
          // One label count per block type: hcl2json cannot convert a type used with different counts.
          fc
            .tuple(
              fc.constantFrom(['group', 0], ['task', 1], ['port', 2]) as fc.Arbitrary<[string, number]>,
              fc.array(identifier, { minLength: 2, maxLength: 2 }),
              tie('body'),
            )
            .map(
              ([[type, count], labels, inner]) =>
                `${type} ${labels
                  .slice(0, count)
                  .map((l) => JSON.stringify(l))
                  .join(' ')} {\n${inner}}\n`,
            ),
        ),
        { maxLength: 4 },
      )
      .map((items) => {
        const seen = new Set<string>();
        // HCL rejects a repeated attribute name in one body; keep generated files valid.
        return items
          .filter(
            (item) =>
              !/^[^ ]+ = /.test(item) || (!seen.has(item.split(' ')[0]!) && seen.add(item.split(' ')[0]!)),
          )
          .join('');
      }),
  })).body;

  it('parses generated HCL exactly as HashiCorp HCL does (hcl2json)', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (source) => {
        const oracle = await oracleParse(source);
        const mine = parseHcl(source, 'input.hcl');
        if (oracle.error) {
          // hcl2json also evaluates constant values, so a type error (`-true`) fails there too.
          expect(mine.diagnostics.length > 0 || evaluationFails(mine.body, source)).toBe(true);
          return;
        }
        expect(mine.diagnostics).toEqual([]);
        expect(normalize(toOracleShape(mine.body, source))).toEqual(normalize(oracle.json));
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });
});
