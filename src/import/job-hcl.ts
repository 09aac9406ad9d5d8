/**
 * A job spec (job-spec.ts) as an HCL2 job file, the inverse of the jobspec reader (source/jobspec/decode.ts)
 * over the same api struct table: attributes then blocks in the table's order, labels where the reader takes
 * them, `meta`/`env` in attribute form when a key is no identifier, free-form `config` with nested blocks for
 * lists of objects (the reader's BlocksAsAttrs), templates as heredocs, durations as "30s". What the reader
 * could not read back to the same value raises Unrepresentable.
 */
import { API_STRUCTS, type FieldRow } from '../source/jobspec/api-structs.js';
import { formatHcl } from '../source/hcl/format.js';
import {
  durationText,
  isIdentifier,
  label,
  literal,
  quoted,
  textValue,
  Unrepresentable,
} from './hcl-literals.js';

type Obj = Record<string, unknown>;

/** The lines being written, and the locals that hold free-form objects the reader would otherwise wrap. */
interface Out {
  readonly lines: string[];
  readonly locals: Map<string, unknown>;
}
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Maps the reader also takes as an attribute (`meta = { "a.b" = "c" }`), for keys that are no identifiers. */
const ATTRIBUTE_MAPS = new Set(['Job.Meta', 'TaskGroup.Meta', 'Task.Meta', 'Task.Env']);

/** Text written as a heredoc when it spans lines. */
const TEXT_FIELDS = new Set(['Template.EmbeddedTmpl']);

/** The HCL job file for a spec, in `drover fmt`'s layout, with `header` comment lines on top. */
export function jobHcl(spec: Obj, header: readonly string[] = []): string {
  const out: Out = { lines: [], locals: new Map() };
  body('Job', { ...spec, ID: undefined }, '  ', out, 'job');
  const lines = header.map((line) => `# ${line}`);
  if (lines.length > 0) lines.push('');
  if (out.locals.size > 0) {
    lines.push('locals {');
    for (const [name, value] of out.locals)
      lines.push(`  ${name} = ${literal(value, '  ', `locals.${name}`)}`);
    lines.push('}', '');
  }
  lines.push(`job ${label(String(spec.ID), 'ID')} {`, ...out.lines, '}');
  const text = `${lines.join('\n')}\n`;
  const formatted = formatHcl(text, 'generated.nomad.hcl');
  if (formatted.text === undefined) throw new Error(`drover wrote HCL it cannot read:\n${text}`);
  return formatted.text;
}

function body(struct: string, given: Obj, indent: string, out: Out, where: string): void {
  const value = struct === 'NetworkResource' ? withStaticPorts(given) : given;
  const rows = API_STRUCTS[struct] ?? [];
  const blocks: FieldRow[] = [];
  for (const row of rows) {
    const [key, hcl, role, kind] = row;
    const field = value[key];
    if (field === undefined || role === 'label') continue;
    const at = `${where}.${hcl || key}`;
    if (struct === 'Task' && key === 'Identity') continue;
    if (role === '-') throw new Unrepresentable(at);
    if (role === 'block') {
      blocks.push(row);
      continue;
    }
    if (field === null) continue;
    out.lines.push(`${indent}${hcl} = ${attribute(`${struct}.${key}`, kind, field, indent, at)}`);
  }
  // Groups and tasks last, as people write them: a group's settings above its tasks.
  const last = (row: FieldRow) => row[0] === 'TaskGroups' || row[0] === 'Tasks';
  for (const row of [...blocks.filter((r) => !last(r)), ...blocks.filter(last)])
    block(struct, row, value[row[0]], indent, out, `${where}.${row[1]}`);
  if (struct === 'Task' && isObj(value.Identity)) {
    out.lines.push(`${indent}identity {`);
    body('WorkloadIdentity', value.Identity, `${indent}  `, out, `${where}.identity`);
    out.lines.push(`${indent}}`);
  }
}

/** Static ports are `port` blocks with `static` set: the reader moves them to ReservedPorts itself. */
function withStaticPorts(network: Obj): Obj {
  const ports = [network.ReservedPorts, network.DynamicPorts].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  return { ...network, ReservedPorts: undefined, DynamicPorts: ports.length > 0 ? ports : undefined };
}

function attribute(field: string, kind: string, value: unknown, indent: string, where: string): string {
  if (kind === 'duration') {
    if (typeof value !== 'number') throw new Unrepresentable(where);
    return durationText(value);
  }
  if (kind === 'string' && typeof value === 'string')
    return TEXT_FIELDS.has(field) ? textValue(value, indent) : quoted(value);
  if (kind === 'freeform') return freeformAttribute(value, indent, where);
  return literal(value, indent, where);
}

function block(struct: string, row: FieldRow, value: unknown, indent: string, out: Out, where: string): void {
  const [key, hcl, , kind] = row;
  if (value === null || value === undefined) return;
  const [base, inner] = kind.split(':') as [string, string | undefined];
  const open = (labels: string[]) => `${indent}${[hcl, ...labels].join(' ')} {`;
  if (kind === 'map(string)' || kind === 'map(list(string))') {
    const map = value as Obj;
    if (Object.keys(map).every(isIdentifier)) {
      out.lines.push(open([]));
      for (const [k, v] of Object.entries(map))
        out.lines.push(`${indent}  ${k} = ${literal(v, `${indent}  `, `${where}.${k}`)}`);
      out.lines.push(`${indent}}`);
    } else if (ATTRIBUTE_MAPS.has(`${struct}.${key}`))
      out.lines.push(`${indent}${hcl} = ${literal(map, indent, where)}`);
    else throw new Unrepresentable(where);
    return;
  }
  if (kind === 'freeform') {
    if (!isObj(value)) throw new Unrepresentable(where);
    out.lines.push(open([]));
    freeformBody(value, `${indent}  `, out, where);
    out.lines.push(`${indent}}`);
    return;
  }
  const labelRow = (API_STRUCTS[inner!] ?? []).find((r) => r[2] === 'label');
  const one = (item: Obj, labels: string[], at: string) => {
    const start = out.lines.push(open(labels));
    body(inner!, item, `${indent}  `, out, at);
    if (out.lines.length === start) out.lines[start - 1] += '}';
    else out.lines.push(`${indent}}`);
  };
  if (base === 'struct' && isObj(value)) return one(value, [], where);
  if (base === 'list' && Array.isArray(value)) {
    value.forEach((item, i) => {
      if (!isObj(item)) throw new Unrepresentable(`${where}[${i}]`);
      const labels = labelsOf(inner!, item, labelRow, `${where}[${i}]`);
      const unlabelled =
        inner === 'ScalingPolicy' && labels.length > 0
          ? { ...item, Type: undefined }
          : labelRow
            ? { ...item, [labelRow[0]]: undefined }
            : item;
      one(unlabelled, labels, `${where}[${i}]`);
    });
    return;
  }
  if (base === 'map' && isObj(value)) {
    for (const [name, item] of Object.entries(value)) {
      if (!isObj(item)) throw new Unrepresentable(`${where}.${name}`);
      // The reader names each entry by its label: a Name of its own that differs is not its to keep.
      if (labelRow && item[labelRow[0]] !== undefined && item[labelRow[0]] !== name)
        throw new Unrepresentable(`${where}.${name}`);
      one(
        { ...item, ...(labelRow ? { [labelRow[0]]: undefined } : {}) },
        [label(name, `${where}.${name}`)],
        `${where}.${name}`,
      );
    }
    return;
  }
  throw new Unrepresentable(where);
}

/** A repeated block's labels: its name, or for task scaling blocks the resource ("cpu", "mem") its type says. */
function labelsOf(struct: string, item: Obj, labelRow: FieldRow | undefined, where: string): string[] {
  if (struct === 'ScalingPolicy' && (item.Type === 'vertical_cpu' || item.Type === 'vertical_mem'))
    return [JSON.stringify(item.Type === 'vertical_cpu' ? 'cpu' : 'mem')];
  if (!labelRow) return [];
  const name = item[labelRow[0]];
  if (typeof name !== 'string') throw new Unrepresentable(`${where}.${labelRow[0]}`);
  return [label(name, where)];
}

/**
 * A free-form map's body as the reader rebuilds it: a list of objects is written as repeated blocks (when
 * their keys are identifiers), a one-element list of one object as an object literal (the reader wraps it),
 * anything else as a literal. A bare object or a null cannot be written: the reader would wrap or drop it.
 */
function freeformBody(map: Obj, indent: string, out: Out, where: string): void {
  for (const [key, value] of Object.entries(map)) {
    const at = `${where}.${key}`;
    if (!isIdentifier(key) || value === null) throw new Unrepresentable(at);
    if (isObj(value)) {
      out.lines.push(`${indent}${key} = local.${localFor(key, value, out)}`);
      continue;
    }
    if (Array.isArray(value) && value.length > 0 && value.every(isObj)) {
      if (value.every((item) => writableAsBlock(item))) {
        for (const item of value) {
          out.lines.push(`${indent}${key} {`);
          freeformBody(item, `${indent}  `, out, at);
          out.lines.push(`${indent}}`);
        }
        continue;
      }
      if (value.length === 1) {
        out.lines.push(`${indent}${key} = ${literal(value[0], indent, at)}`);
        continue;
      }
    }
    out.lines.push(`${indent}${key} = ${freeformAttribute(value, indent, at)}`);
  }
}

/** A local holding a free-form object: the reader keeps an object it reads through a reference as it is. */
function localFor(key: string, value: unknown, out: Out): string {
  const base = key.replaceAll('-', '_');
  let name = base;
  for (let n = 2; out.locals.has(name); n++) name = `${base}_${n}`;
  out.locals.set(name, value);
  return name;
}

function writableAsBlock(item: Obj): boolean {
  return Object.entries(item).every(
    ([k, v]) =>
      isIdentifier(k) &&
      v !== null &&
      !isObj(v) &&
      (!Array.isArray(v) || !v.some(isObj) || (v.every(isObj) && v.every(writableAsBlock))),
  );
}

/** A free-form value given as an attribute: the reader keeps it as it is, unless it is an object literal. */
function freeformAttribute(value: unknown, indent: string, where: string): string {
  if (isObj(value)) throw new Unrepresentable(where);
  return literal(value, indent, where);
}
