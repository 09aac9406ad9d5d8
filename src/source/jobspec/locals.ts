/**
 * The `locals` blocks of a job file. Locals may name each other in any order: each is evaluated after the
 * locals it names, so thousands of locals read in linear time whatever their order. Nomad instead retries
 * failing locals in Go's random map order (and gives up after 100 failures in a row, which makes chains of a few
 * hundred locals fail at random); a value that depends on that order, such as `try(local.later, "x")`, has no
 * single answer in Nomad, and drover gives the later local's value, as Terraform does.
 */
import type { Block, Expression } from '../hcl/ast.js';
import { children } from '../hcl/children.js';
import { DiagnosticError, error, type Diagnostic } from '../hcl/diagnostics.js';
import { evaluate, type EvalContext } from '../hcl/evaluate.js';
import { setKey, type Value } from '../hcl/types.js';
import { appendAll } from '../../util/append-all.js';

interface Local {
  readonly name: string;
  readonly expr: Expression;
  /** The locals its expression names; `all` when it uses `local` as a whole (`local[var.key]`). */
  readonly needs: readonly string[] | 'all';
}

/** The value of every local that resolves; a diagnostic for each that does not. */
export function evaluateLocals(
  blocks: readonly Block[],
  ctx: EvalContext,
  diagnostics: Diagnostic[],
): Record<string, Value> {
  const locals = collectLocals(blocks, diagnostics);
  const values: Record<string, Value> = {};
  const scope: EvalContext = { ...ctx, variables: { ...ctx.variables, local: values } };
  const evaluateOne = (local: Local): Diagnostic | undefined => {
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
  const cyclic = inDependencyOrder(locals, graph, (local) => {
    const failure = evaluateOne(local);
    if (failure) failures.push(failure);
  });
  appendAll(failures, resolveCycles(cyclic, locals, graph, evaluateOne));
  appendAll(
    diagnostics,
    failures.sort((a, b) => a.range.start.offset - b.range.start.offset),
  );
  return values;
}

function collectLocals(blocks: readonly Block[], diagnostics: Diagnostic[]): Map<string, Local> {
  const locals = new Map<string, Local>();
  for (const block of blocks) {
    for (const attr of block.body.attributes) {
      if (locals.has(attr.name)) {
        diagnostics.push(
          error(attr.nameRange, 'Duplicate value in locals', `Duplicate ${attr.name} definition found.`),
        );
        continue;
      }
      locals.set(attr.name, { name: attr.name, expr: attr.expr, needs: localsNamed(attr.expr) });
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

interface Graph {
  /** Per local, the defined locals it waits for. */
  readonly needs: ReadonlyMap<string, readonly string[]>;
  /** Per local, the locals that wait for it. */
  readonly neededBy: ReadonlyMap<string, readonly string[]>;
}

function dependencies(locals: ReadonlyMap<string, Local>): Graph {
  const needs = new Map<string, string[]>();
  const neededBy = new Map<string, string[]>();
  for (const local of locals.values()) {
    // A name no local defines is left to evaluation, which reports it where it is written.
    const waits =
      local.needs === 'all'
        ? [...locals.keys()].filter((name) => name !== local.name)
        : [...local.needs].filter((name) => locals.has(name));
    needs.set(local.name, waits);
    for (const need of waits) {
      const dependents = neededBy.get(need);
      if (dependents) dependents.push(local.name);
      else neededBy.set(need, [local.name]);
    }
  }
  return { needs, neededBy };
}

/** Visits each local after those it needs (Kahn's order); returns those left in or behind a cycle. */
function inDependencyOrder(
  locals: ReadonlyMap<string, Local>,
  graph: Graph,
  visit: (local: Local) => void,
): Local[] {
  const waiting = new Map<string, number>();
  for (const [name, needs] of graph.needs) waiting.set(name, needs.length);
  const ready = [...locals.values()].filter((local) => waiting.get(local.name) === 0);
  for (let i = 0; i < ready.length; i++) {
    const local = ready[i]!;
    visit(local);
    for (const dependent of graph.neededBy.get(local.name) ?? []) {
      const count = waiting.get(dependent)! - 1;
      waiting.set(dependent, count);
      if (count === 0) ready.push(locals.get(dependent)!);
    }
  }
  return [...locals.values()].filter((local) => waiting.get(local.name)! > 0);
}

/**
 * Locals in a cycle still resolve when try() or can() breaks it: each is evaluated, then again each time a
 * local it needs resolves, until nothing changes. The failures left are reported with the cycle they are in.
 */
function resolveCycles(
  cyclic: readonly Local[],
  locals: ReadonlyMap<string, Local>,
  graph: Graph,
  evaluateOne: (local: Local) => Diagnostic | undefined,
): Diagnostic[] {
  const failures = new Map<string, Diagnostic>();
  const queue = [...cyclic];
  const queued = new Set(cyclic.map((local) => local.name));
  for (let i = 0; i < queue.length; i++) {
    const local = queue[i]!;
    queued.delete(local.name);
    const failure = evaluateOne(local);
    if (failure) {
      failures.set(local.name, failure);
      continue;
    }
    failures.delete(local.name);
    for (const dependent of graph.neededBy.get(local.name) ?? [])
      if (failures.has(dependent) && !queued.has(dependent)) {
        queue.push(locals.get(dependent)!);
        queued.add(dependent);
      }
  }
  const unresolved = new Set(failures.keys());
  return [...failures].map(([name, failure]) => {
    const cycle = cycleThrough(name, unresolved, graph);
    if (!cycle) return failure;
    const path = cycle.length > 8 ? [...cycle.slice(0, 4), '…', ...cycle.slice(-3)] : cycle;
    const note = `local.${name} is part of a cycle: ${path.join(' → ')}; one of these locals must not depend on the others.`;
    return { ...failure, detail: failure.detail ? `${failure.detail} ${note}` : note };
  });
}

/** The shortest cycle of unresolved locals from `start` back to it, as names, or undefined. */
function cycleThrough(start: string, unresolved: ReadonlySet<string>, graph: Graph): string[] | undefined {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i]!;
    for (const need of graph.needs.get(name) ?? []) {
      if (!unresolved.has(need)) continue;
      if (need === start) {
        const path = [start];
        for (let at = name; at !== start; at = cameFrom.get(at)!) path.unshift(at);
        return [start, ...path];
      }
      if (cameFrom.has(need)) continue;
      cameFrom.set(need, name);
      queue.push(need);
    }
  }
  return undefined;
}
