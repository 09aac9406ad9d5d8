/**
 * A corpus of job files that each set one attribute of one jobspec block to a boundary or wrong value (negative,
 * zero, huge, empty, unknown), for every attribute of every block reachable from `job` in Nomad's api structs: the
 * inputs on which drover's `validate` is held to `nomad job validate`.
 */
import { API_STRUCTS, type FieldRow } from '../../src/source/jobspec/api-structs.js';

export interface InvalidValueFile {
  /** Where the value is, as block path and attribute: `group > restart > attempts`. */
  readonly name: string;
  readonly value: string;
  readonly source: string;
}

interface Step {
  readonly type: string;
  readonly struct: string;
  readonly labelled: boolean;
}

interface BlockNode {
  readonly type: string;
  readonly labels: readonly string[];
  readonly attributes: Array<[string, string]>;
  readonly blocks: BlockNode[];
}

const MAX_DEPTH = 6;

const VALUES: Readonly<Record<string, readonly string[]>> = {
  string: ['""', '"bogus"', '"-1"'],
  int: ['-1', '0', '1000000'],
  int8: ['-1', '0'],
  uint8: ['0', '200'],
  uint16: ['0', '65535'],
  uint32: ['0', '1000000'],
  uint64: ['0', '1000000000000'],
  bool: ['true', 'false'],
  duration: ['"-1s"', '"0s"', '"1ns"', '"100000h"'],
  'list(string)': ['[]', '[""]', '["bogus"]'],
  'list(int)': ['[-1]', '[0]'],
  'list(uint16)': ['[0]', '[65535]'],
};

/** A valid value for a required attribute of a block the corpus has to add on the way to the one it tests. */
const REQUIRED: Readonly<Record<string, string>> = {
  string: '"x"',
  duration: '"10s"',
  bool: 'true',
  'list(string)': '["x"]',
};

/** Labels for blocks whose label Nomad restricts. */
const LABELS: Readonly<Record<string, string>> = { scaling: 'cpu' };

function structOf(row: FieldRow): string | undefined {
  if (row[2] !== 'block') return undefined;
  const [collection, struct] = row[3].split(':');
  return collection === 'struct' || collection === 'list' || collection === 'map' ? struct : undefined;
}

function* blockPaths(struct: string, path: readonly Step[]): Generator<readonly Step[]> {
  yield path;
  if (path.length >= MAX_DEPTH) return;
  for (const row of API_STRUCTS[struct] ?? []) {
    const child = structOf(row);
    if (!child || path.some((s) => s.struct === child)) continue;
    const labelled = (API_STRUCTS[child] ?? []).some((r) => r[2] === 'label');
    yield* blockPaths(child, [...path, { type: row[1], struct: child, labelled }]);
  }
}

function baseJob(): BlockNode {
  const task: BlockNode = {
    type: 'task',
    labels: ['t'],
    attributes: [['driver', '"raw_exec"']],
    blocks: [{ type: 'config', labels: [], attributes: [['command', '"true"']], blocks: [] }],
  };
  const group: BlockNode = { type: 'group', labels: ['g'], attributes: [], blocks: [task] };
  return { type: 'job', labels: ['x'], attributes: [], blocks: [group] };
}

/** The base job with the blocks of `path` added (the group and task reused), returning the innermost block. */
function descend(root: BlockNode, path: readonly Step[]): BlockNode {
  let here = root;
  for (const step of path) {
    const reused = here.blocks.find(
      (b) => b.type === step.type && (step.type === 'group' || step.type === 'task'),
    );
    if (reused) {
      here = reused;
      continue;
    }
    const block: BlockNode = {
      type: step.type,
      labels: step.labelled ? [LABELS[step.type] ?? 'l'] : [],
      attributes: [],
      blocks: [],
    };
    for (const row of API_STRUCTS[step.struct] ?? [])
      if (row[2] === 'required') block.attributes.push([row[1], REQUIRED[row[3]] ?? '1']);
    here.blocks.push(block);
    here = block;
  }
  return here;
}

function print(block: BlockNode, indent = ''): string {
  const inner = `${indent}  `;
  const head = [block.type, ...block.labels.map((l) => `"${l}"`)].join(' ');
  const lines = [
    ...block.attributes.map(([name, value]) => `${inner}${name} = ${value}\n`),
    ...block.blocks.map((b) => print(b, inner)),
  ];
  return `${indent}${head} {\n${lines.join('')}${indent}}\n`;
}

/** Every attribute of every block path, each with every value of its kind: one file per attribute and value. */
export function invalidValueFiles(): InvalidValueFile[] {
  const files: InvalidValueFile[] = [];
  for (const path of blockPaths('Job', [])) {
    const struct = path.at(-1)?.struct ?? 'Job';
    for (const row of API_STRUCTS[struct] ?? []) {
      if (row[2] !== 'attr' && row[2] !== 'required') continue;
      for (const value of VALUES[row[3]] ?? []) {
        const root = baseJob();
        const block = descend(root, path);
        const existing = block.attributes.findIndex(([name]) => name === row[1]);
        if (existing >= 0) block.attributes.splice(existing, 1);
        block.attributes.push([row[1], value]);
        const name = [...path.map((s) => s.type), row[1]].join(' > ');
        files.push({ name, value, source: print(root) });
      }
    }
  }
  return files;
}
