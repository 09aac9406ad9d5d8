/**
 * Nomad Variables as `nomad_variable` blocks (docs/estate-variable.md) whose items are `var.` references, one
 * input variable per item: the item names go into drover.hcl, the values only into the var file written with
 * --with-values (git-ignored), never anywhere else.
 */
import type { Variable } from '../nomad/endpoints/variables.js';
import { isIdentifier, label, quoted } from './hcl-literals.js';

/** The input variable that carries one item's value. */
export interface ItemInput {
  readonly name: string;
  readonly namespace: string;
  readonly path: string;
  readonly item: string;
}

export interface VariablesHcl {
  /** `variable` blocks, then the `nomad_variable` blocks. */
  readonly blocks: readonly string[];
  readonly inputs: readonly ItemInput[];
}

/** `taken`: input variable names the project's job files declare already (a shared var file would set both). */
export function variablesHcl(variables: readonly Variable[], taken: ReadonlySet<string>): VariablesHcl {
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  const inputs: ItemInput[] = [];
  const declarations: string[] = [];
  const blocks: string[] = [];
  for (const variable of variables) {
    const lines = [
      `nomad_variable ${label(variable.Path, 'nomad_variable.path')} {`,
      `  namespace = ${quoted(variable.Namespace)}`,
      '  items = {',
    ];
    for (const item of Object.keys(variable.Items ?? {}).sort()) {
      const name = inputName(variable, item, used);
      inputs.push({ name, namespace: variable.Namespace, path: variable.Path, item });
      declarations.push(`variable ${quoted(name)} {\n  type = string\n}`);
      lines.push(`    ${isIdentifier(item) ? item : quoted(item)} = var.${name}`);
    }
    lines.push('  }', '}');
    blocks.push(lines.join('\n'));
  }
  return { blocks: [...declarations, ...blocks], inputs };
}

/** The var file of --with-values: each input's value, quoted so that it reads back byte for byte. */
export function valuesFileText(variables: readonly Variable[], inputs: readonly ItemInput[]): string {
  const lines = [
    '# Written by drover import --with-values: the values of the Nomad Variables it imported. Keep this file out of',
    '# version control (it is in .gitignore when the directory is in a git repository).',
  ];
  for (const input of inputs) {
    const variable = variables.find((v) => v.Namespace === input.namespace && v.Path === input.path);
    lines.push(`${input.name} = ${quoted(variable?.Items?.[input.item] ?? '')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `<namespace>_<path>_<item>` (the namespace left out for default), as an identifier no other input has. */
function inputName(variable: Variable, item: string, used: Set<string>): string {
  const parts = [...(variable.Namespace === 'default' ? [] : [variable.Namespace]), variable.Path, item];
  let base = parts
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/_+/g, '_');
  if (!/^[A-Za-z]/.test(base)) base = `v_${base}`;
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()) || !isIdentifier(name); n++) name = `${base}_${n}`;
  used.add(name.toLowerCase());
  return name;
}
