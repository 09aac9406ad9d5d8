/**
 * Evaluates expressions the way Nomad's jobspec2 does: `var.*`, `local.*` and iterator variables are evaluated;
 * any other root (`NOMAD_ALLOC_ID`, `attr.kernel.name`, `node.unique.id`, `meta.rack`, `env["HOME"]`) is a
 * runtime reference Nomad resolves later, so the interpolation that holds it is kept as its source text.
 */
import type { Expression, TemplatePart } from './ast.js';
import { ConstantObject, ConstantTuple, copyOf } from './constant-collections.js';
import { DiagnosticError, error, rangeBetween, suggest, type Diagnostic, type Range } from './diagnostics.js';
import {
  add,
  compare,
  divide,
  isNumber,
  modulo,
  multiply,
  negate,
  parseNumber,
  subtract,
  toWhole,
  type NumberValue,
} from './numbers.js';
import { describeValue, formatScalar, isObject, setKey, valuesEqual, type Value } from './types.js';
import { MAX_VALUE_WEIGHT, weightOf } from './value-weight.js';
import { appended, refuseValue, ValueTooLargeError } from './value-limit.js';
import { describeMismatch, DYNAMIC, toType, typeOf, unifyTypes, type CtyType } from './unify.js';

/** A function refusing one argument as cty does: the diagnostic points at that argument and names its parameter. */
export class ArgumentError extends Error {
  constructor(
    readonly index: number,
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export interface HclFunction {
  /** Fixed parameters; `variadic` takes any number after them. */
  readonly params: number;
  readonly optional?: number;
  readonly variadic?: boolean;
  /** Special forms (try, can, convert) get the unevaluated arguments. */
  readonly lazy?: (args: readonly Expression[], ctx: EvalContext, range: Range) => Value;
  readonly call?: (args: Value[], ctx: EvalContext, range: Range) => Value;
  /** Its result depends on more than its arguments: the filesystem, the home directory, chance. */
  readonly readsOutside?: boolean;
}

export interface EvalContext {
  /** Roots that evaluate: var, local, and iterator variables of for expressions and dynamic blocks. */
  readonly variables: Readonly<Record<string, Value>>;
  readonly functions: Readonly<Record<string, HclFunction>>;
  /** The file's text, for runtime references kept verbatim. */
  readonly source: string;
  /** The job file's directory, for file() and friends; undefined when filesystem functions are off. */
  readonly baseDir?: string;
  /** Warnings found along the way (likely typos of var/local). */
  readonly warnings: Diagnostic[];
  /** Elements a file's for expressions and collection functions may still produce (see MAX_ELEMENTS). */
  readonly budget?: { remaining: number };
  /**
   * Every root must be known (var, local, an iterator): where nothing runs on a Nomad client (drover.hcl), a root
   * such as `node` or `vra` is a mistake, not a reference for the client to resolve.
   */
  readonly knownRootsOnly?: boolean;
  /** Set when a function that reads outside the file was called: its values follow from more than its text. */
  readonly outside?: { read: boolean };
  /**
   * What the data the evaluation reads weighs (a check's plan), made when first needed: a value may weigh that much
   * beyond MAX_VALUE_WEIGHT, as a rule keeping a large plan's changes refers to them rather than copying them.
   */
  readonly readWeight?: () => number;
}

/**
 * What one job file's evaluation may produce, in elements of for expressions and of setproduct: far past any
 * real job file, and short of what would take minutes or gigabytes (three nested fors over range(1000)).
 */
export const MAX_ELEMENTS = 1_000_000;

/**
 * Spends `count` elements of the file's budget, or fails at `range`. `what` may be made only on failure: a
 * number's first toLocaleString() loads ICU's formats, ~25 ms a process would pay on every flatten().
 */
export function spend(ctx: EvalContext, count: number, range: Range, what: string | (() => string)): void {
  if (!ctx.budget) return;
  ctx.budget.remaining -= count;
  if (ctx.budget.remaining < 0)
    fail(
      range,
      'Result too large',
      `${typeof what === 'string' ? what : what()} goes past ${MAX_ELEMENTS.toLocaleString('en-US')} elements, more than a job file's evaluation may produce.`,
    );
}

/** Raised inside an interpolation that refers to something only Nomad's client knows at run time. */
/**
 * Thrown when an expression names something only the client knows (`${NOMAD_ALLOC_ID}`, `attr.…`); caught within
 * this module. One instance without a stack: building a stack trace per reference cost 3 % of reading a job.
 */
class RuntimeReference {}
const RUNTIME_REFERENCE = new RuntimeReference();

const sourceText = (ctx: EvalContext, range: Range) => ctx.source.slice(range.start.offset, range.end.offset);

export function withVariables(ctx: EvalContext, extra: Record<string, Value>): EvalContext {
  // Most blocks add no variables: keep the context rather than copy every variable for each block.
  if (Object.keys(extra).length === 0) return ctx;
  return { ...ctx, variables: { ...ctx.variables, ...extra } };
}

/**
 * One scope for a whole loop, its iterator variables set anew for each element: nothing an element's evaluation
 * returns holds on to its scope, and a scope made per element was a tenth of a check's evaluation over 200 jobs.
 */
function loopScope(
  ctx: EvalContext,
  keyVar: string | undefined,
  valueVar: string,
): (key: Value, value: Value) => EvalContext {
  const variables = { ...ctx.variables };
  const scope = { ...ctx, variables };
  return (key, value) => {
    if (keyVar) setKey(variables, keyVar, key);
    setKey(variables, valueVar, value);
    return scope;
  };
}

export function fail(range: Range, summary: string, detail?: string): never {
  throw new DiagnosticError(error(range, summary, detail));
}

/** Evaluates an attribute value. A bare runtime reference (`value = attr.x`) becomes "${attr.x}", as in Nomad. */
export function evaluate(expr: Expression, ctx: EvalContext): Value {
  try {
    return evaluateInner(expr, ctx);
  } catch (caught) {
    if (caught instanceof RuntimeReference) return `\${${sourceText(ctx, expr.range)}}`;
    throw caught;
  }
}

/**
 * What evaluate() gives, or undefined where it would fail: try() and can() go on to their next argument without
 * the failure thrown once more (a check's try() over 200 jobs failed 200 times, each throw a few microseconds).
 */
export function evaluateOrUndefined(expr: Expression, ctx: EvalContext): Value | undefined {
  try {
    return evaluateInner(expr, ctx);
  } catch (caught) {
    return caught instanceof RuntimeReference ? `\${${sourceText(ctx, expr.range)}}` : undefined;
  }
}

/**
 * The expressions whose own work (not their parts') may make a value past the bound before it is weighed: a
 * template's text, a number's digits, a key or a converted value printed. The others cannot: a function's
 * refusal is its call's (see call()), so a failure passes through them without being caught and thrown again.
 */
const REFUSED_WHILE_BUILT: ReadonlySet<Expression['kind']> = new Set([
  'template',
  'tuple',
  'object',
  'index',
  'unary',
  'binary',
  'conditional',
  'for',
]);

/** The expressions that build a new value (the others pass on or select one already built and weighed). */
const BUILDS: ReadonlySet<Expression['kind']> = new Set([
  'template',
  'tuple',
  'object',
  'call',
  'for',
  'splat',
]);

function evaluateInner(expr: Expression, ctx: EvalContext): Value {
  const value = REFUSED_WHILE_BUILT.has(expr.kind) ? buildRefused(expr, ctx) : build(expr, ctx);
  if (BUILDS.has(expr.kind)) {
    const weight = weightOf(value);
    if (weight > MAX_VALUE_WEIGHT) refuseIfBeyondRead(expr.range, weight, ctx);
  }
  return value;
}

/** A string refused before it was built (a template's join, a number's digits) is refused here, at its place. */
function buildRefused(expr: Expression, ctx: EvalContext): Value {
  try {
    return build(expr, ctx);
  } catch (caught) {
    if (caught instanceof ValueTooLargeError) refuseValue(expr.range, caught.weight);
    throw caught;
  }
}

function refuseIfBeyondRead(range: Range, weight: number, ctx: EvalContext): void {
  if (!ctx.readWeight) refuseValue(range, weight);
  const read = ctx.readWeight();
  if (weight > MAX_VALUE_WEIGHT + read) refuseValue(range, weight, read);
}

function build(expr: Expression, ctx: EvalContext): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template':
      return evaluateTemplate(expr.parts, ctx, expr.heredoc);
    case 'constant':
      return copyOf(expr.value);
    case 'tuple':
      if (expr instanceof ConstantTuple) return copyOf(expr.value);
      return expr.items.map((item) => evaluateInner(item, ctx));
    case 'object': {
      if (expr instanceof ConstantObject) return copyOf(expr.value);
      const out: Record<string, Value> = {};
      for (const item of expr.items) {
        const key =
          item.bareKey && item.key.kind === 'variable' ? item.key.name : evaluateInner(item.key, ctx);
        if (typeof key !== 'string' && !isNumber(key) && typeof key !== 'boolean')
          fail(
            item.key.range,
            'Invalid object key',
            `An object key must be a string, not ${describeValue(key)}.`,
          );
        setKey(out, typeof key === 'string' ? key : formatScalar(key), evaluateInner(item.value, ctx));
      }
      return out;
    }
    case 'variable':
      return variable(expr.name, expr.range, ctx);
    case 'getattr': {
      const target = evaluateInner(expr.target, ctx);
      if (!isObject(target)) {
        if (target === null)
          fail(
            expr.range,
            'Attempt to get attribute from null value',
            `"${expr.name}" cannot be read from null.`,
          );
        fail(
          expr.range,
          'Unsupported attribute',
          `"${expr.name}" cannot be read from ${describeValue(target)}.`,
        );
      }
      if (!Object.hasOwn(target, expr.name)) {
        const hint = suggest(expr.name, Object.keys(target));
        fail(
          expr.range,
          'Unsupported attribute',
          `This object has no attribute "${expr.name}"${hint ? `; did you mean "${hint}"?` : '.'}`,
        );
      }
      return target[expr.name]!;
    }
    case 'index':
      return index(evaluateInner(expr.target, ctx), evaluateInner(expr.key, ctx), expr.range);
    case 'splat': {
      const target = evaluateInner(expr.target, ctx);
      if (target === null) return [];
      const items = Array.isArray(target) ? target : [target];
      return items.map((item) => evaluateInner(expr.each, withVariables(ctx, { '\u0000splat': item })));
    }
    case 'splat-item':
      return ctx.variables['\u0000splat'] ?? null;
    case 'paren':
      return evaluateInner(expr.expr, ctx);
    case 'unary': {
      const operand = evaluateInner(expr.operand, ctx);
      if (expr.op === '!') return !bool(operand, expr.operand.range);
      return negate(number(operand, expr.operand.range));
    }
    case 'binary':
      return binary(expr.op, expr.left, expr.right, ctx, expr.range);
    case 'conditional':
      return conditional(expr, ctx);
    case 'for':
      return forExpression(expr, ctx);
    case 'call':
      return call(expr, ctx);
  }
}

const MISSPELLED_ROOTS = new Set(['vars', 'locals', 'variable', 'variables', 'lcoal', 'loacl', 'va']);

function variable(name: string, range: Range, ctx: EvalContext): Value {
  if (Object.hasOwn(ctx.variables, name)) return ctx.variables[name]!;
  if (ctx.knownRootsOnly) {
    const roots = Object.keys(ctx.variables).filter((root) => !root.startsWith('\u0000'));
    const hint = suggest(name, roots);
    fail(
      range,
      'Unknown variable',
      `There is no variable named "${name}"${hint ? `; did you mean "${hint}"?` : `: here an expression reads ${roots.map((r) => `${r}.…`).join(', ') || 'no variables'} and calls functions.`}`,
    );
  }
  // Most such names are Nomad's runtime ones (node, attr, meta, NOMAD_…): only a near-miss of var/local warns.
  const likely = MISSPELLED_ROOTS.has(name) ? suggest(name, ['var', 'local']) : undefined;
  if (likely && name !== likely)
    ctx.warnings.push({
      severity: 'warning',
      summary: `"${name}" is not var or local`,
      detail: `Nomad will leave "${name}.…" for the client to resolve at run time; did you mean "${likely}"?`,
      range,
    });
  throw RUNTIME_REFERENCE;
}

function index(target: Value, key: Value, range: Range): Value {
  if (Array.isArray(target)) {
    const whole =
      typeof key === 'string' && /^\d+$/.test(key) ? BigInt(key) : isNumber(key) ? toWhole(key) : undefined;
    if (whole === undefined)
      fail(range, 'Invalid index', `A list index must be a whole number, not ${describeValue(key)}.`);
    const i = Number(whole);
    if (i < 0 || i >= target.length)
      fail(range, 'Invalid index', `The index ${i} is out of range for a list of ${target.length} elements.`);
    return target[i]!;
  }
  if (isObject(target)) {
    const k = isNumber(key) || typeof key === 'boolean' ? formatScalar(key) : key;
    if (typeof k !== 'string')
      fail(range, 'Invalid index', `An object key must be a string, not ${describeValue(key)}.`);
    if (!Object.hasOwn(target, k))
      fail(range, 'Invalid index', `The key "${k}" does not exist in this object.`);
    return target[k]!;
  }
  if (target === null)
    fail(range, 'Attempt to index null value', 'This value is null, so it has no elements.');
  return fail(range, 'Invalid index', `${describeValue(target)} cannot be indexed.`);
}

export function number(value: Value, range: Range): NumberValue {
  if (isNumber(value)) return value;
  const parsed = typeof value === 'string' ? parseNumber(value) : undefined;
  if (parsed !== undefined) return parsed;
  return fail(range, 'Invalid operand', `A number is required, not ${describeValue(value)}.`);
}

export function bool(value: Value, range: Range): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return fail(range, 'Invalid operand', `A bool is required, not ${describeValue(value)}.`);
}

export function string(value: Value, range: Range): string {
  if (typeof value === 'string') return value;
  if (isNumber(value) || typeof value === 'boolean') return formatScalar(value);
  return fail(range, 'Invalid value', `A string is required, not ${describeValue(value)}.`);
}

type Conditional = Extract<Expression, { kind: 'conditional' }>;
type Branch = { value: Value } | { thrown: unknown; type: CtyType };

/**
 * A conditional that failed once its result type was known. HCL goes on with an unknown value of that type,
 * which still takes part in an enclosing conditional's type check.
 */
class TypedFailure extends DiagnosticError {
  constructor(
    cause: DiagnosticError,
    readonly resultType: CtyType,
  ) {
    super(cause.diagnostic);
  }
}

/**
 * hclsyntax's ConditionalExpr: both results are evaluated and must share a type (the chosen one is converted to
 * it: `true ? 1 : "a"` is "1"); a result that fails only matters when chosen, but an operator's or a template's
 * failure still has a type (`true ? 1 : !5` is refused, number against bool). The condition may be a bool or
 * "true"/"false".
 */
function conditional(expr: Conditional, ctx: EvalContext): Value {
  const whenTrue = attemptBranch(expr.then, ctx);
  const whenFalse = attemptBranch(expr.otherwise, ctx);
  const type = resultType(expr, whenTrue, whenFalse);
  try {
    const condition = evaluateInner(expr.condition, ctx);
    if (condition === null)
      fail(
        expr.condition.range,
        'Null condition',
        'The condition value is null. Conditions must either be true or false.',
      );
    if (typeof condition !== 'boolean' && condition !== 'true' && condition !== 'false')
      fail(
        expr.condition.range,
        'Incorrect condition type',
        'The condition expression must be of type bool.',
      );
    const chosen = condition === true || condition === 'true' ? whenTrue : whenFalse;
    if (!('value' in chosen)) throw chosen.thrown;
    return type.kind === 'dynamic' ? chosen.value : toType(chosen.value, type);
  } catch (caught) {
    if (type.kind !== 'dynamic' && caught instanceof DiagnosticError) throw new TypedFailure(caught, type);
    throw caught;
  }
}

/** The type both results convert to: a literal null takes the other's, a result of no known type checks nothing. */
function resultType(expr: Conditional, whenTrue: Branch, whenFalse: Branch): CtyType {
  const typeOfBranch = (branch: Branch) => ('value' in branch ? typeOf(branch.value) : branch.type);
  if ('value' in whenTrue && whenTrue.value === null) return typeOfBranch(whenFalse);
  if ('value' in whenFalse && whenFalse.value === null) return typeOfBranch(whenTrue);
  const types = [typeOfBranch(whenTrue), typeOfBranch(whenFalse)] as const;
  if (types.some((t) => t.kind === 'dynamic')) return DYNAMIC;
  return (
    unifyTypes(types) ??
    fail(
      rangeBetween(expr.then.range, expr.otherwise.range),
      'Inconsistent conditional result types',
      `The true and false result expressions must have consistent types. ${describeMismatch(...types)}.`,
    )
  );
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

function attemptBranch(expr: Expression, ctx: EvalContext): Branch {
  try {
    return { value: evaluateInner(expr, ctx) };
  } catch (thrown) {
    if (thrown instanceof DiagnosticError || thrown === RUNTIME_REFERENCE)
      return { thrown, type: failureType(expr, thrown) };
    throw thrown;
  }
}

/** The type of the unknown value HCL gives a failed expression: an operator's or a template's, else none. */
function failureType(expr: Expression, thrown: unknown): CtyType {
  if (thrown instanceof TypedFailure) return thrown.resultType;
  switch (expr.kind) {
    case 'paren':
      return failureType(expr.expr, thrown);
    case 'unary':
      return { kind: expr.op === '!' ? 'bool' : 'number' };
    case 'binary':
      return { kind: ARITHMETIC.has(expr.op) ? 'number' : 'bool' };
    case 'template':
      return { kind: 'string' };
    default:
      return DYNAMIC;
  }
}

function binary(
  op: string,
  leftExpr: Expression,
  rightExpr: Expression,
  ctx: EvalContext,
  range: Range,
): Value {
  // Both operands, always: HCL's && and || do not short-circuit (`false && 1` is an error in Nomad).
  const left = evaluateInner(leftExpr, ctx);
  const right = evaluateInner(rightExpr, ctx);
  switch (op) {
    case '&&':
    case '||': {
      const [a, b] = [bool(left, leftExpr.range), bool(right, rightExpr.range)];
      return op === '&&' ? a && b : a || b;
    }
    case '==':
      return valuesEqual(left, right);
    case '!=':
      return !valuesEqual(left, right);
  }
  const a = number(left, leftExpr.range);
  const b = number(right, rightExpr.range);
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return subtract(a, b);
    case '*':
      return multiply(a, b);
    case '/':
      return (
        divide(a, b) ??
        fail(
          range,
          'Operation failed',
          "Error during operation: can't divide zero by zero or infinity by infinity.",
        )
      );
    case '%':
      return (
        modulo(a, b) ??
        fail(range, 'Operation failed', "Error during operation: can't use modulo with infinity.")
      );
    case '<':
      return compare(a, b) < 0;
    case '<=':
      return compare(a, b) <= 0;
    case '>':
      return compare(a, b) > 0;
    default:
      return compare(a, b) >= 0;
  }
}

function iterate(collection: Value, range: Range): Array<[Value, Value]> {
  if (Array.isArray(collection)) return collection.map((v, i) => [i, v]);
  if (isObject(collection))
    return Object.keys(collection)
      .sort()
      .map((k) => [k, collection[k]!]);
  return fail(
    range,
    'Iteration over non-iterable value',
    `A for expression needs a list or an object, not ${describeValue(collection)}.`,
  );
}

function forExpression(expr: Extract<Expression, { kind: 'for' }>, ctx: EvalContext): Value {
  const entries = iterate(evaluateInner(expr.collection, ctx), expr.collection.range);
  const tuple: Value[] = [];
  const object: Record<string, Value> = {};
  const scopeOf = loopScope(ctx, expr.keyVar, expr.valueVar);
  for (const [key, value] of entries) {
    spend(ctx, 1, expr.range, 'This for expression (with the others of the file)');
    const scope = scopeOf(key, value);
    if (expr.condition && !bool(evaluateInner(expr.condition, scope), expr.condition.range)) continue;
    const item = evaluateInner(expr.valueExpr, scope);
    if (!expr.keyExpr) {
      tuple.push(item);
      continue;
    }
    const k = string(evaluateInner(expr.keyExpr, scope), expr.keyExpr.range);
    if (expr.group) setKey(object, k, [...((Object.hasOwn(object, k) ? object[k] : []) as Value[]), item]);
    else if (Object.hasOwn(object, k))
      fail(
        expr.keyExpr.range,
        'Duplicate object key',
        `Two elements produce the key "${k}"; add "..." after the value to group them.`,
      );
    else setKey(object, k, item);
  }
  return expr.keyExpr ? object : tuple;
}

function call(expr: Extract<Expression, { kind: 'call' }>, ctx: EvalContext): Value {
  // Only the table's own entries: `toString` or `hasOwnProperty` are no HCL functions.
  const fn = Object.hasOwn(ctx.functions, expr.name) ? ctx.functions[expr.name] : undefined;
  if (!fn) {
    const namespace = expr.name.lastIndexOf('::');
    if (namespace !== -1)
      fail(
        expr.nameRange,
        'Call to unknown function',
        `There are no functions in namespace "${expr.name.slice(0, namespace + 2)}".`,
      );
    const hint = suggest(expr.name, Object.keys(ctx.functions));
    const isFs = ['file', 'fileexists', 'filebase64', 'fileset', 'abspath', 'pathexpand'].includes(expr.name);
    fail(
      expr.nameRange,
      isFs ? `Function "${expr.name}" is not allowed here` : `Call to unknown function "${expr.name}"`,
      isFs
        ? 'Filesystem functions are off for this input.'
        : hint
          ? `Did you mean "${hint}"?`
          : 'Nomad job files offer the functions listed in the HCL2 jobspec docs.',
    );
  }
  if (fn.readsOutside && ctx.outside) ctx.outside.read = true;
  if (fn.lazy) return fn.lazy(expr.args, ctx, expr.range);
  let args = expr.args.map((a) => evaluateInner(a, ctx));
  if (expr.expandFinal) {
    const last = args[args.length - 1];
    if (!Array.isArray(last))
      fail(
        expr.args[expr.args.length - 1]!.range,
        'Invalid expanding argument value',
        'Only a list or tuple can be expanded with "...".',
      );
    args = [...args.slice(0, -1), ...last];
  }
  const min = fn.params;
  const max = fn.variadic ? Infinity : fn.params + (fn.optional ?? 0);
  if (args.length < min)
    fail(
      expr.range,
      'Not enough function arguments',
      `${expr.name}() takes ${fn.variadic ? 'at least ' : ''}${min} argument${min === 1 ? '' : 's'}; ${args.length} given.`,
    );
  if (args.length > max)
    fail(
      expr.range,
      'Too many function arguments',
      `${expr.name}() takes ${max === min ? '' : 'at most '}${max} argument${max === 1 ? '' : 's'}; ${args.length} given.`,
    );
  // A function's failure becomes a diagnostic at the call: its JavaScript stack is never shown, and capturing one
  // per failure cost a check's try(length(c.desired.Datacenters), 0) over 200 jobs ~5 ms.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fn.call!(args, ctx, expr.range);
  } catch (caught) {
    if (caught instanceof DiagnosticError || caught instanceof RuntimeReference) throw caught;
    // Refused before it was built: the same diagnostic as a value weighed after building.
    if (caught instanceof ValueTooLargeError) refuseValue(expr.range, caught.weight);
    if (caught instanceof ArgumentError)
      return fail(
        expr.args[Math.min(caught.index, expr.args.length - 1)]!.range,
        'Invalid function argument',
        `Invalid value for "${caught.parameter}" parameter: ${caught.message}.`,
      );
    return fail(expr.range, `Error in function call`, `${expr.name}(): ${(caught as Error).message}`);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Templates: a lone interpolation yields its value unchanged; otherwise the parts are joined as strings. */
function evaluateTemplate(parts: readonly TemplatePart[], ctx: EvalContext, heredoc: boolean): Value {
  if (!heredoc && parts.length === 1 && parts[0]!.kind === 'interp') {
    const only = parts[0] as Extract<TemplatePart, { kind: 'interp' }>;
    try {
      return evaluateInner(only.expr, ctx);
    } catch (caught) {
      if (caught instanceof RuntimeReference) return `\${${sourceText(ctx, only.expr.range)}}`;
      throw caught;
    }
  }
  return renderParts(parts, ctx);
}

function renderParts(parts: readonly TemplatePart[], ctx: EvalContext): string {
  let out = '';
  for (const part of parts) {
    switch (part.kind) {
      case 'text':
        out = appended(out, part.value);
        break;
      case 'interp':
        try {
          const value = evaluateInner(part.expr, ctx);
          if (value === null)
            fail(
              part.expr.range,
              'Invalid template interpolation value',
              'The expression evaluated to null; a template can only include strings, numbers and bools.',
            );
          if (typeof value === 'object' && !isNumber(value))
            fail(
              part.expr.range,
              'Invalid template interpolation value',
              `Cannot include ${describeValue(value)} in a string template; use jsonencode() or join().`,
            );
          out = appended(out, string(value, part.expr.range));
        } catch (caught) {
          if (!(caught instanceof RuntimeReference)) throw caught;
          out = appended(out, `\${${sourceText(ctx, part.expr.range)}}`);
        }
        break;
      case 'if':
        out = appended(
          out,
          renderParts(
            bool(evaluateInner(part.condition, ctx), part.condition.range) ? part.then : part.otherwise,
            ctx,
          ),
        );
        break;
      case 'for': {
        const scopeOf = loopScope(ctx, part.keyVar, part.valueVar);
        for (const [key, value] of iterate(evaluateInner(part.collection, ctx), part.collection.range)) {
          spend(ctx, 1, part.collection.range, 'This template for directive (with the others of the file)');
          out = appended(out, renderParts(part.body, scopeOf(key, value)));
        }
        break;
      }
    }
  }
  return out;
}
