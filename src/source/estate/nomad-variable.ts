/**
 * A `nomad_variable "path" { namespace, items }` block: a Nomad Variable as `nomad var put` writes it. Its items
 * are secrets (a template reads them as such): no message about them ever holds a value, not even a
 * function's complaint about one, so a failing expression under `items` is reported by its summary only, and an
 * item that is not a string names the item and the type it has.
 */
import type { Attribute, Block, Expression } from '../hcl/ast.js';
import { DiagnosticError, error, suggest, type Diagnostic, type Range } from '../hcl/diagnostics.js';
import { evaluate } from '../hcl/evaluate.js';
import { describeValue, isObject, setKey, type Value } from '../hcl/types.js';
import { readValue, type DecodeState } from './decode-body.js';
import { byteLength, MAX_VARIABLE_BYTES, namespaceNameProblem, variablePathProblem } from './names.js';

export interface VariableSpec {
  readonly Path: string;
  readonly Namespace: string;
  /** Secret: never printed. */
  readonly Items: Readonly<Record<string, string>>;
}

const ARGUMENTS = ['namespace', 'items'];

/** Messages whose detail names things (functions, attributes), never a value: kept whole. */
const NAMING_ONLY = new Set([
  'Unknown variable',
  'Unsupported attribute',
  'Call to unknown function',
  'Not enough function arguments',
  'Too many function arguments',
]);

/** What a withheld detail says instead: how to find the mistake without the value being shown. */
const WITHHELD =
  'drover does not print the details of an error under items: they may quote the value. Check the expression, or evaluate it with a value that is not secret.';

/** The variable's namespace, and the variable unless the block has errors (each reported). */
export function readNomadVariable(
  block: Block,
  path: string,
  defaultNamespace: string,
  state: DecodeState,
): { readonly namespace: string; readonly spec?: VariableSpec } {
  const title = `the nomad_variable "${path}" block`;
  let failed = false;
  const report = (diagnostic: Diagnostic) => {
    if (diagnostic.severity === 'error') failed = true;
    state.report(diagnostic);
  };
  const pathProblem = variablePathProblem(path);
  if (pathProblem) report(error(block.labels[0]!.range, 'Invalid variable path', pathProblem));

  let namespace = defaultNamespace;
  let items: Record<string, string> | undefined;
  for (const attr of block.body.attributes) {
    if (attr.name === 'namespace') {
      const value = readValue(attr, 'string', { ...state, report });
      if (typeof value === 'string') {
        namespace = value;
        const problem =
          value === '*'
            ? 'A variable lives in one namespace: "*" (every namespace) cannot hold it.'
            : namespaceNameProblem(value);
        if (problem) report(error(attr.expr.range, 'Invalid namespace', problem));
      }
    } else if (attr.name === 'items') items = itemsArgument(attr, path, report, state);
    else {
      const hint = suggest(attr.name, ARGUMENTS);
      report(
        error(
          attr.nameRange,
          `Unsupported argument "${attr.name}"`,
          attr.name === 'path'
            ? `The path is the block's label (${title}); leave "path" out.`
            : hint
              ? `An argument named "${attr.name}" is not expected in ${title}; did you mean "${hint}"?`
              : `${title[0]!.toUpperCase()}${title.slice(1)} takes namespace and items.`,
        ),
      );
    }
  }
  for (const nested of block.body.blocks) {
    if (nested.type !== 'items') {
      const hint = suggest(nested.type, ARGUMENTS);
      report(
        error(
          nested.typeRange,
          `Unsupported block type "${nested.type}"`,
          hint
            ? `Did you mean "${hint}"?`
            : `${title[0]!.toUpperCase()}${title.slice(1)} takes namespace and items.`,
        ),
      );
      continue;
    }
    if (items !== undefined || block.body.attributes.some((a) => a.name === 'items')) {
      report(
        error(nested.typeRange, 'Duplicate items block', 'items is already set in this block; set it once.'),
      );
      continue;
    }
    items = {};
    for (const attr of nested.body.attributes) {
      const value = itemValue(attr.expr, report, state);
      if (value !== undefined && itemString(attr.name, value, attr.expr.range, path, report))
        setKey(items, attr.name, value);
    }
    for (const inner of nested.body.blocks)
      report(
        error(
          inner.typeRange,
          `Unsupported block type "${inner.type}"`,
          'items holds only name = "value" lines.',
        ),
      );
  }

  const itemsPlace = block.body.attributes.find((a) => a.name === 'items')?.expr.range ?? block.typeRange;
  if (items === undefined && !block.body.attributes.some((a) => a.name === 'items'))
    report(
      error(
        block.typeRange,
        'Missing required argument "items"',
        'A Nomad Variable holds at least one item: items = { name = "value" }.',
      ),
    );
  else if (items !== undefined && Object.keys(items).length === 0 && !failed)
    report(
      error(itemsPlace, 'Empty variable', 'Nomad refuses a variable without items; give it at least one.'),
    );
  if (items) {
    const size = Object.entries(items).reduce((sum, [k, v]) => sum + byteLength(k) + byteLength(v), 0);
    if (size > MAX_VARIABLE_BYTES)
      report(
        error(
          itemsPlace,
          'Variable too large',
          `Nomad holds at most 64 KiB in a variable (item names and values together); these items come to ${size.toLocaleString('en-US')} bytes.`,
        ),
      );
    for (const name of Object.keys(items)) {
      const odd = [...new Set(name.match(/[^_\p{N}\p{L}]/gu) ?? [])].sort();
      if (odd.length > 0)
        state.report({
          severity: 'warning',
          summary: `Item "${name}" needs index() in templates`,
          detail: `"${name}" holds ${odd.map((c) => JSON.stringify(c)).join(', ')}: a template reads it as {{ index .Items "${name}" }}, not as .${name}.`,
          range: itemsPlace,
        });
    }
  }
  return failed || items === undefined
    ? { namespace }
    : { namespace, spec: { Path: path, Namespace: namespace, Items: items } };
}

/** `items = { … }`: each item's value, placed at its own line when the map is written out. */
function itemsArgument(
  attr: Attribute,
  path: string,
  report: (d: Diagnostic) => void,
  state: DecodeState,
): Record<string, string> | undefined {
  const value = itemValue(attr.expr, report, state);
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    report(
      error(
        attr.expr.range,
        'Unsuitable value for "items"',
        `A map of strings is required, not ${describeValue(value)}.`,
      ),
    );
    return undefined;
  }
  const places = new Map<string, Range>();
  if (attr.expr.kind === 'object')
    for (const item of attr.expr.items) {
      const key =
        item.key.kind === 'variable'
          ? item.key.name
          : item.key.kind === 'literal'
            ? String(item.key.value)
            : undefined;
      if (key !== undefined) places.set(key, item.value.range);
    }
  const items: Record<string, string> = {};
  let ok = true;
  for (const name of Object.keys(value)) {
    const item = value[name]!;
    if (itemString(name, item, places.get(name) ?? attr.expr.range, path, report))
      setKey(items, name, item as string);
    else ok = false;
  }
  return ok ? items : undefined;
}

/** The value of an expression under items; a failure is reported without anything that could quote a value. */
function itemValue(expr: Expression, report: (d: Diagnostic) => void, state: DecodeState): Value | undefined {
  try {
    const value = evaluate(expr, state.eval);
    state.weigh(value);
    return value;
  } catch (caught) {
    if (!(caught instanceof DiagnosticError)) throw caught;
    const { diagnostic } = caught;
    report(NAMING_ONLY.has(diagnostic.summary) ? diagnostic : { ...diagnostic, detail: WITHHELD });
    return undefined;
  }
}

function itemString(
  name: string,
  value: Value,
  range: Range,
  path: string,
  report: (d: Diagnostic) => void,
): value is string {
  if (typeof value === 'string') return true;
  report(
    error(
      range,
      `Item "${name}" is not a string`,
      `Nomad Variables hold strings; item "${name}" of nomad_variable "${path}" is ${describeValue(value)}. Write it in quotes, or make text of it with format() or jsonencode().`,
    ),
  );
  return false;
}
