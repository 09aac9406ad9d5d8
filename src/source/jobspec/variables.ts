/**
 * Input variables as Nomad's jobspec2 resolves them: `variable` and `variables` declarations; values from the
 * default < NOMAD_VAR_<name> < var files (in order) < --var (always last, last one wins); type constraints with
 * conversion; validation blocks. Undeclared names in var files or --var, and unset variables, are errors that say
 * where the value came from.
 */
import type { Block, Expression } from '../hcl/ast.js';
import { children } from '../hcl/children.js';
import { DiagnosticError, error, type Diagnostic, type Range } from '../hcl/diagnostics.js';
import { evaluate, type EvalContext } from '../hcl/evaluate.js';
import { parseExpression, parseHcl } from '../hcl/parser.js';
import { convert, parseType, setKey, typeName, type HclType, type Value } from '../hcl/types.js';
import { appendAll } from '../../util/append-all.js';

export interface VariableInputs {
  /** --var name=value, in command-line order. */
  readonly vars?: readonly { readonly name: string; readonly value: string }[];
  /** --var-file contents, in command-line order (HCL, or JSON when the text starts with "{"). */
  readonly varFiles?: readonly { readonly path: string; readonly content: string }[];
  /** The environment, for NOMAD_VAR_<name>. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Values for variables this file does not declare are skipped instead of refused: for var files and --var
   * shared by several job files (the caller then checks that some file declares each --var).
   */
  readonly ignoreUndeclared?: boolean;
}

interface Declaration {
  readonly name: string;
  readonly type: HclType | undefined;
  readonly range: Range;
  readonly defaultValue?: Value;
  /** Its default is refused (its own error says why): not also "unset". */
  readonly defaultRefused?: boolean;
  readonly validations: ReadonlyArray<{
    readonly condition: Expression;
    readonly message: Expression;
    readonly range: Range;
  }>;
}

interface Assignment {
  readonly value: Value;
  /** Where it came from, for messages: "the default", "NOMAD_VAR_image", "env/prod.vars.hcl", "--var image=…". */
  readonly from: string;
  readonly range: Range;
}

const PRIMITIVE = new Set(['string', 'number', 'bool']);

export function declareVariables(
  blocks: readonly Block[],
  ctx: EvalContext,
  diagnostics: Diagnostic[],
): Map<string, Declaration> {
  const declared = new Map<string, Declaration>();
  const add = (declaration: Declaration) => {
    const previous = declared.get(declaration.name);
    if (previous) {
      diagnostics.push(
        error(
          declaration.range,
          'Duplicate variable',
          `Duplicate ${declaration.name} variable definition found (first at line ${previous.range.start.line}).`,
        ),
      );
      return;
    }
    declared.set(declaration.name, declaration);
  };
  for (const block of blocks) {
    if (block.type === 'variables') {
      for (const attr of block.body.attributes) {
        const value = capture(diagnostics, () => evaluate(attr.expr, ctx));
        if (value !== undefined)
          add({
            name: attr.name,
            type: undefined,
            range: attr.nameRange,
            defaultValue: value,
            validations: [],
          });
      }
      continue;
    }
    const label = block.labels[0];
    if (!label || block.labels.length !== 1) {
      diagnostics.push(
        error(
          block.typeRange,
          'Missing name for variable',
          'A variable block needs one name: variable "image" { … }.',
        ),
      );
      continue;
    }
    if (!/^[\p{L}_][\p{L}\p{N}_-]*$/u.test(label.value))
      diagnostics.push(
        error(
          label.range,
          'Invalid variable name',
          'A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes.',
        ),
      );
    for (const attr of block.body.attributes)
      if (!['type', 'default', 'description'].includes(attr.name))
        diagnostics.push(
          error(
            attr.nameRange,
            `Unsupported argument "${attr.name}"`,
            `A variable block takes type, default, description and validation blocks${['sensitive', 'nullable'].includes(attr.name) ? `; Nomad's job files have no "${attr.name}" (Terraform's have)` : ''}.`,
          ),
        );
    const attrs = new Map(block.body.attributes.map((a) => [a.name, a]));
    let type: HclType | undefined;
    const typeAttr = attrs.get('type');
    if (typeAttr) {
      const parsed = parseType(typeAttr.expr);
      if (typeof parsed === 'string')
        diagnostics.push(error(typeAttr.expr.range, 'Invalid type specification', parsed));
      else type = parsed;
    }
    let defaultValue: Value | undefined;
    const defaultAttr = attrs.get('default');
    const reads = defaultAttr && firstVariable(defaultAttr.expr);
    if (reads)
      diagnostics.push(
        error(
          reads.range,
          'Variables not allowed',
          `A default is a constant: it may not read "${reads.name}" (Nomad refuses it). Use a local for a value computed from variables.`,
        ),
      );
    else if (defaultAttr) {
      defaultValue = capture(diagnostics, () => evaluate(defaultAttr.expr, ctx));
      if (defaultValue !== undefined && type) {
        try {
          defaultValue = convert(defaultValue, type);
        } catch (caught) {
          diagnostics.push(
            error(
              defaultAttr.expr.range,
              'Invalid default value for variable',
              `This default value is not compatible with the variable's type constraint: ${(caught as Error).message}.`,
            ),
          );
        }
      }
    }
    const validations = block.body.blocks
      .filter((b) => b.type === 'validation')
      .flatMap((b) => {
        const condition = b.body.attributes.find((a) => a.name === 'condition')?.expr;
        const message = b.body.attributes.find((a) => a.name === 'error_message')?.expr;
        if (!condition || !message) {
          diagnostics.push(
            error(
              b.typeRange,
              'Invalid variable validation specification',
              'A validation block needs condition and error_message.',
            ),
          );
          return [];
        }
        return [{ condition, message, range: b.range }];
      });
    for (const other of block.body.blocks.filter((b) => b.type !== 'validation'))
      diagnostics.push(
        error(
          other.typeRange,
          `Unsupported block type "${other.type}"`,
          'A variable block holds only validation blocks.',
        ),
      );
    add({
      name: label.value,
      type,
      range: label.range,
      ...(defaultValue !== undefined ? { defaultValue } : {}),
      ...(defaultAttr && defaultValue === undefined ? { defaultRefused: true } : {}),
      validations,
    });
  }
  return declared;
}

function capture<T>(diagnostics: Diagnostic[], run: () => T): T | undefined {
  try {
    return run();
  } catch (caught) {
    if (caught instanceof DiagnosticError) {
      diagnostics.push(caught.diagnostic);
      return undefined;
    }
    throw caught;
  }
}

/** A value given as text (env, --var): a literal string for primitive or untyped variables, else an HCL expression. */
function textValue(text: string, declaration: Declaration, file: string, ctx: EvalContext): Value {
  if (!declaration.type || PRIMITIVE.has(declaration.type.kind)) return text;
  const parsed = parseExpression(text, file);
  if (!parsed.expr) throw new DiagnosticError(parsed.diagnostics[0]!);
  return evaluate(parsed.expr, { ...ctx, variables: {} });
}

/** The final value of every declared variable, or diagnostics saying which is missing or wrong, and why. */
export function resolveVariables(
  declared: ReadonlyMap<string, Declaration>,
  inputs: VariableInputs,
  ctx: EvalContext,
  diagnostics: Diagnostic[],
): Record<string, Value> {
  const assignments = new Map<string, Assignment[]>();
  const assign = (name: string, assignment: Assignment) =>
    assignments.set(name, [...(assignments.get(name) ?? []), assignment]);

  for (const [name, declaration] of declared)
    if (declaration.defaultValue !== undefined)
      assign(name, { value: declaration.defaultValue, from: 'the default', range: declaration.range });

  for (const [key, text] of Object.entries(inputs.env ?? {})) {
    if (!key.startsWith('NOMAD_VAR_') || text === undefined) continue;
    const name = key.slice('NOMAD_VAR_'.length);
    const declaration = declared.get(name);
    if (!declaration) continue; // Nomad ignores environment values for undeclared variables.
    const value = capture(diagnostics, () => textValue(text, declaration, key, ctx));
    if (value !== undefined) assign(name, { value, from: key, range: point(key) });
  }

  for (const file of inputs.varFiles ?? []) {
    for (const [name, expr] of varFileAssignments(file.path, file.content, diagnostics)) {
      if (!declared.has(name)) {
        if (inputs.ignoreUndeclared) continue;
        diagnostics.push(
          error(
            expr.range,
            `Undefined variable "${name}"`,
            `${file.path} sets "${name}", but the job file declares no such variable. Declare it with variable "${name}" {} or remove the line.`,
          ),
        );
        continue;
      }
      const value = capture(diagnostics, () => evaluate(expr, { ...ctx, variables: {} }));
      if (value !== undefined) assign(name, { value, from: file.path, range: expr.range });
    }
  }

  for (const { name, value: text } of inputs.vars ?? []) {
    const declaration = declared.get(name);
    if (!declaration) {
      if (inputs.ignoreUndeclared) continue;
      diagnostics.push(
        error(
          point(`--var ${name}`),
          `Undefined -var variable "${name}"`,
          `--var ${name}=… was given, but the job file declares no variable "${name}". Declare it with variable "${name}" {} or drop the flag.`,
        ),
      );
      continue;
    }
    const value = capture(diagnostics, () => textValue(text, declaration, `--var ${name}`, ctx));
    if (value !== undefined) assign(name, { value, from: `--var ${name}=…`, range: point(`--var ${name}`) });
  }

  const values: Record<string, Value> = {};
  for (const [name, declaration] of declared) {
    const final = assignments.get(name)?.at(-1);
    if (!final) {
      if (!declaration.defaultRefused)
        diagnostics.push(
          error(
            declaration.range,
            `Unset variable "${name}"`,
            `A used variable must be set or have a default value. Set it with --var ${name}=…, a --var-file, or NOMAD_VAR_${name}.`,
          ),
        );
      continue;
    }
    let value = final.value;
    if (declaration.type) {
      try {
        value = convert(value, declaration.type);
      } catch (caught) {
        diagnostics.push(
          error(
            final.range,
            `Invalid value for variable "${name}"`,
            `The value from ${final.from} is not compatible with the type ${typeName(declaration.type)}: ${(caught as Error).message}.`,
          ),
        );
        continue;
      }
    }
    setKey(values, name, value);
    for (const validation of declaration.validations) {
      const checkCtx: EvalContext = { ...ctx, variables: { var: { [name]: value } } };
      const ok = capture(diagnostics, () => evaluate(validation.condition, checkCtx));
      if (ok === undefined) continue;
      if (typeof ok !== 'boolean') {
        diagnostics.push(
          error(
            validation.condition.range,
            'Invalid variable validation result',
            'Validation condition expression must return either true or false.',
          ),
        );
        continue;
      }
      if (ok) continue;
      const message = capture(diagnostics, () => evaluate(validation.message, checkCtx));
      diagnostics.push(
        error(
          final.from === 'the default' ? validation.condition.range : final.range,
          `Invalid value for variable "${name}"`,
          `${typeof message === 'string' ? message : 'The value failed validation.'}\n(value from ${final.from}; checked by the validation rule at line ${validation.range.start.line})`,
        ),
      );
    }
  }
  return values;
}

/** The name = value lines of a var file (HCL, or JSON when it starts with "{"). */
/** The names a var file sets, each with where it is set (the file's syntax errors are reported elsewhere). */
export function varFileNames(path: string, content: string): Array<{ name: string; range: Range }> {
  return varFileAssignments(path, content, []).map(([name, expr]) => ({ name, range: expr.range }));
}

function varFileAssignments(
  path: string,
  content: string,
  diagnostics: Diagnostic[],
): Array<[string, Expression]> {
  if (content.trimStart().startsWith('{')) {
    const parsed = parseExpression(content, path);
    appendAll(diagnostics, parsed.diagnostics);
    if (!parsed.expr) return [];
    if (parsed.expr.kind !== 'object') {
      diagnostics.push(
        error(parsed.expr.range, 'Invalid var file', 'A JSON var file holds one object of variable values.'),
      );
      return [];
    }
    return parsed.expr.items.flatMap((item): Array<[string, Expression]> => {
      const key =
        item.key.kind === 'literal' && typeof item.key.value === 'string'
          ? item.key.value
          : item.key.kind === 'variable'
            ? item.key.name
            : undefined;
      if (key === undefined) {
        diagnostics.push(error(item.key.range, 'Invalid var file key', 'Keys are variable names.'));
        return [];
      }
      return [[key, item.value]];
    });
  }
  const parsed = parseHcl(content, path);
  appendAll(diagnostics, parsed.diagnostics);
  for (const block of parsed.body.blocks)
    diagnostics.push(
      error(
        block.typeRange,
        'Variable declaration in a var file',
        `A var file assigns values (name = value); declare "${block.labels[0]?.value ?? block.type}" in the job file instead.`,
      ),
    );
  return parsed.body.attributes.map((a) => [a.name, a.expr]);
}

function point(file: string): Range {
  const start = { line: 1, column: 1, offset: 0 };
  return { file, start, end: start };
}

/** The first variable an expression reads, other than a name its `for` binds: a default may read none. */
function firstVariable(expr: Expression): Extract<Expression, { kind: 'variable' }> | undefined {
  const pending: Array<{ e: Expression; bound: ReadonlySet<string> }> = [{ e: expr, bound: new Set() }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { e, bound } = next;
    if (e.kind === 'variable') {
      if (!bound.has(e.name)) return e;
    } else if (e.kind === 'for') {
      const inner = new Set([...bound, e.valueVar, ...(e.keyVar ? [e.keyVar] : [])]);
      pending.push({ e: e.collection, bound });
      for (const scoped of [e.valueExpr, e.keyExpr, e.condition])
        if (scoped) pending.push({ e: scoped, bound: inner });
    } else for (const child of children(e)) pending.push({ e: child, bound });
  }
  return undefined;
}
