/**
 * The `locals` blocks of a job file. Locals may name each other in any order: each is evaluated after the
 * locals it names, so thousands of locals read in linear time whatever their order. Nomad instead retries
 * failing locals in Go's random map order (and gives up after 100 failures in a row, which makes chains of a few
 * hundred locals fail at random); a value that depends on that order, such as `try(local.later, "x")`, has no
 * single answer in Nomad, and drover gives the later local's value, as Terraform does.
 */
import type { Attribute, Block, Expression } from '../hcl/ast.js';
import { children } from '../hcl/children.js';
import { DiagnosticError, error, type Diagnostic } from '../hcl/diagnostics.js';
import { evaluate, type EvalContext } from '../hcl/evaluate.js';
import { setKey, type Value } from '../hcl/types.js';
import { appendAll } from '../../util/append-all.js';
import { LocalGraph } from './local-graph.js';

/** A local is its attribute: a file may hold hundreds of thousands, so none is copied. */
type Local = Pick<Attribute, 'name' | 'expr'>;

/** The value of every local that resolves; a diagnostic for each that does not. */
export function evaluateLocals(
  blocks: readonly Block[],
  ctx: EvalContext,
  diagnostics: Diagnostic[],
): Record<string, Value> {
  const locals = collectLocals(blocks, diagnostics);
  const values: Record<string, Value> = {};
  const scope: EvalContext = { ...ctx, variables: { ...ctx.variables, local: values } };
  const evaluateOne = (i: number): Diagnostic | undefined => {
    const local = locals[i]!;
    try {
      setKey(values, local.name, evaluate(local.expr, scope));
      return undefined;
    } catch (caught) {
      if (!(caught instanceof DiagnosticError)) throw caught;
      return caught.diagnostic;
    }
  };
  const graph = dependencies(locals);
  const failures: Diagnostic[] = [];
  const cyclic = inDependencyOrder(graph, (i) => {
    const failure = evaluateOne(i);
    if (failure) failures.push(failure);
  });
  appendAll(failures, resolveCycles(cyclic, locals, graph, evaluateOne));
  appendAll(
    diagnostics,
    failures.sort((a, b) => a.range.start.offset - b.range.start.offset),
  );
  return values;
}

function collectLocals(blocks: readonly Block[], diagnostics: Diagnostic[]): Local[] {
  const locals: Local[] = [];
  const names = new Set<string>();
  for (const block of blocks) {
    for (const attr of block.body.attributes) {
      if (names.has(attr.name)) {
        diagnostics.push(
          error(attr.nameRange, 'Duplicate value in locals', `Duplicate ${attr.name} definition found.`),
        );
        continue;
      }
      names.add(attr.name);
      locals.push(attr);
    }
    for (const nested of block.body.blocks)
      diagnostics.push(
        error(nested.typeRange, 'Unsupported block in locals', 'locals holds only name = value lines.'),
      );
  }
  return locals;
}

// ---- which locals an expression names --------------------------------------------------------------------

/** `local.a`, `local["a"]`; any other use of `local` may read every local. */
function localsNamed(expr: Expression): readonly string[] | 'all' {
  const names = new Set<string>();
  let all = false;
  const visit = (e: Expression): void => {
    const named = namedLocal(e);
    if (named !== undefined) {
      names.add(named);
      return;
    }
    if (e.kind === 'variable') {
      if (e.name === 'local') all = true;
      return;
    }
    for (const child of children(e)) visit(child);
  };
  visit(expr);
  // An array, not the set: a file may hold hundreds of thousands of locals.
  return all ? 'all' : [...names];
}

function namedLocal(e: Expression): string | undefined {
  if (e.kind === 'getattr' && e.target.kind === 'variable' && e.target.name === 'local') return e.name;
  if (
    e.kind === 'index' &&
    e.target.kind === 'variable' &&
    e.target.name === 'local' &&
    e.key.kind === 'literal' &&
    typeof e.key.value === 'string'
  )
    return e.key.value;
  return undefined;
}

// ---- order --------------------------------------------------------------------------------------------------

function dependencies(locals: readonly Local[]): LocalGraph {
  const index = new Map(locals.map((local, i) => [local.name, i]));
  return new LocalGraph(
    locals.map((local) => {
      const named = localsNamed(local.expr);
      // A name no local defines is left to evaluation, which reports it where it is written.
      return named === 'all' ? 'all' : named.flatMap((name) => index.get(name) ?? []);
    }),
  );
}

/** Visits each local after those it needs (Kahn's order); returns those left in or behind a cycle. */
function inDependencyOrder(graph: LocalGraph, visit: (i: number) => void): number[] {
  const waiting = new Int32Array(graph.size);
  const ready: number[] = [];
  for (let i = 0; i < graph.size; i++) if ((waiting[i] = graph.waitCount(i)) === 0) ready.push(i);
  for (let r = 0; r < ready.length; r++) {
    visit(ready[r]!);
    for (const dependent of graph.dependentsOf(ready[r]!))
      if (--waiting[dependent]! === 0) ready.push(dependent);
  }
  const left: number[] = [];
  for (let i = 0; i < graph.size; i++) if (waiting[i]! > 0) left.push(i);
  return left;
}

/**
 * Locals in a cycle still resolve when try() or can() breaks it: each is evaluated, then again each time a
 * local it needs resolves, until nothing changes. The failures left are reported with the cycle they are in.
 */
function resolveCycles(
  cyclic: readonly number[],
  locals: readonly Local[],
  graph: LocalGraph,
  evaluateOne: (i: number) => Diagnostic | undefined,
): Diagnostic[] {
  const failures = new Map<number, Diagnostic>();
  const queue = [...cyclic];
  const queued = new Set(cyclic);
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]!;
    queued.delete(i);
    const failure = evaluateOne(i);
    if (failure) {
      failures.set(i, failure);
      continue;
    }
    failures.delete(i);
    for (const dependent of graph.dependentsOf(i))
      if (failures.has(dependent) && !queued.has(dependent)) {
        queue.push(dependent);
        queued.add(dependent);
      }
  }
  const unresolved = new Set(failures.keys());
  return [...failures].map(([i, failure]) => {
    const cycle = cycleThrough(i, unresolved, graph)?.map((j) => locals[j]!.name);
    if (!cycle) return failure;
    const path = cycle.length > 8 ? [...cycle.slice(0, 4), '…', ...cycle.slice(-3)] : cycle;
    const note = `local.${locals[i]!.name} is part of a cycle: ${path.join(' → ')}; one of these locals must not depend on the others.`;
    return { ...failure, detail: failure.detail ? `${failure.detail} ${note}` : note };
  });
}

/** The shortest cycle of unresolved locals from `start` back to it, as indexes, or undefined. */
function cycleThrough(
  start: number,
  unresolved: ReadonlySet<number>,
  graph: LocalGraph,
): number[] | undefined {
  const cameFrom = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const at = queue[q]!;
    for (const need of graph.needsOf(at)) {
      if (!unresolved.has(need)) continue;
      if (need === start) {
        const path = [start];
        for (let back = at; back !== start; back = cameFrom.get(back)!) path.unshift(back);
        return [start, ...path];
      }
      if (cameFrom.has(need)) continue;
      cameFrom.set(need, at);
      queue.push(need);
    }
  }
  return undefined;
}
