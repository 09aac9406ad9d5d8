/**
 * API JSON job files (`{"Job": {…}}` or a bare job object), as `nomad job run` reads .json files: checked against
 * the api structs (keys matched case-insensitively, like Go's decoder; durations as nanoseconds), then completed
 * to every field so they render and diff like HCL jobs.
 */
import { error, suggest, type Diagnostic, type Pos, type Range } from '../hcl/diagnostics.js';
import type { Value } from '../hcl/types.js';
import { MAX_NESTING } from '../hcl/parser.js';
import { API_STRUCTS } from './api-structs.js';
import { jobRules, type FieldAt } from './job-rules.js';
import { emptyStruct } from './decode.js';
import { goInt } from './go-ints.js';
import { appendAll } from '../../util/append-all.js';
import { hasErrors } from '../hcl/diagnostics.js';
import { nomadJobProblems } from './nomad-validate/job.js';
import { placeProblems } from './nomad-validate/findings.js';
import type { Places } from './places.js';
import type { Verdict } from './verdict.js';

type Obj = { [key: string]: Value };

interface Node {
  readonly value: Value;
  readonly range: Range;
  /** Object members with their key ranges. */
  readonly members?: ReadonlyArray<{ key: string; keyRange: Range; node: Node }>;
  readonly items?: readonly Node[];
}

class JsonSyntaxError extends Error {
  constructor(
    readonly at: Pos,
    message: string,
  ) {
    super(message);
  }
}

/** A small JSON parser that keeps positions, so errors can point at line:column. */
function parseJson(text: string, file: string): Node {
  let offset = 0;
  let line = 1;
  let column = 1;
  const pos = (): Pos => ({ line, column, offset });
  const advance = (n = 1) => {
    for (let i = 0; i < n; i++) {
      if (text[offset] === '\n') {
        line++;
        column = 1;
      } else column++;
      offset++;
    }
  };
  const skip = () => {
    while (/\s/.test(text[offset] ?? '')) advance();
  };
  const expect = (c: string) => {
    if (text[offset] !== c)
      throw new JsonSyntaxError(
        pos(),
        `expected ${c === '"' ? 'a quoted key' : `"${c}"`}, found ${text[offset] === undefined ? 'the end of the file' : `"${text[offset]}"`}`,
      );
    advance();
  };
  let depth = 0;
  const value = (): Node => {
    skip();
    if (depth >= MAX_NESTING)
      throw new JsonSyntaxError(
        pos(),
        `nested more than ${MAX_NESTING} levels deep: no job field nests so deep`,
      );
    depth++;
    try {
      return valueHere();
    } finally {
      depth--;
    }
  };
  const valueHere = (): Node => {
    const start = pos();
    const c = text[offset];
    const done = (v: Value, extra: Partial<Node> = {}): Node => ({
      value: v,
      range: { file, start, end: pos() },
      ...extra,
    });
    if (c === '{') {
      advance();
      const members: Array<{ key: string; keyRange: Range; node: Node }> = [];
      skip();
      if (text[offset] === '}') {
        advance();
        return done({}, { members });
      }
      for (;;) {
        skip();
        if (text[offset] === '}')
          throw new JsonSyntaxError(pos(), 'a comma before "}": JSON allows no trailing comma');
        const keyStart = pos();
        const key = string();
        const keyRange = { file, start: keyStart, end: pos() };
        skip();
        expect(':');
        members.push({ key, keyRange, node: value() });
        skip();
        if (text[offset] === ',') {
          advance();
          continue;
        }
        expect('}');
        return done(Object.fromEntries(members.map((m) => [m.key, m.node.value])), { members });
      }
    }
    if (c === '[') {
      advance();
      const items: Node[] = [];
      skip();
      if (text[offset] === ']') {
        advance();
        return done([], { items });
      }
      for (;;) {
        items.push(value());
        skip();
        if (text[offset] === ',') {
          advance();
          continue;
        }
        expect(']');
        return done(
          items.map((i) => i.value),
          { items },
        );
      }
    }
    if (c === '"') return done(string());
    const literal = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(offset, offset + 400));
    if (!literal)
      throw new JsonSyntaxError(
        start,
        c === undefined ? 'unexpected end of the file' : `unexpected ${JSON.stringify(c)}`,
      );
    advance(literal[0].length);
    return done(JSON.parse(literal[0]) as Value);
  };
  const string = (): string => {
    const start = offset;
    expect('"');
    while (text[offset] !== '"') {
      if (text[offset] === undefined || text[offset] === '\n')
        throw new JsonSyntaxError(pos(), 'unterminated string');
      // JSON strings hold no raw control characters; Go's decoder names the one it met.
      if (text.charCodeAt(offset) < 0x20)
        throw new JsonSyntaxError(
          pos(),
          `invalid character ${JSON.stringify(text[offset])} in string literal`,
        );
      if (text[offset] === '\\') {
        advance();
        if (!/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(offset, offset + 5)))
          throw new JsonSyntaxError(pos(), 'invalid escape in string literal');
      }
      advance();
    }
    advance();
    return JSON.parse(text.slice(start, offset)) as string;
  };
  const root = value();
  skip();
  if (offset < text.length) throw new JsonSyntaxError(pos(), 'extra text after the JSON value');
  return root;
}

/** Checks a JSON node against an api struct and returns it with every field present. */
/** What reading a JSON job collects besides the job: problems, and where each struct came from. */
interface Reading {
  readonly diagnostics: Diagnostic[];
  readonly places: Places;
}

function checkStruct(name: string, node: Node, path: string, reading: Reading): Obj {
  const out = emptyStruct(name);
  if (!node.members) {
    reading.diagnostics.push(
      error(node.range, `${path} must be an object`, `Found ${JSON.stringify(node.value)}.`),
    );
    return out;
  }
  const rows = API_STRUCTS[name]!;
  for (const { key, keyRange, node: child } of node.members) {
    const row = rows.find((r) => r[0].toLowerCase() === key.toLowerCase());
    if (!row) {
      const hint = suggest(
        key,
        rows.map((r) => r[0]),
      );
      reading.diagnostics.push(
        error(
          keyRange,
          `Unknown field "${key}" in ${path}`,
          hint
            ? `Did you mean "${hint}"? (Nomad would ignore "${key}".)`
            : `Nomad's ${name} has no field "${key}"; it would be ignored.`,
        ),
      );
      continue;
    }
    out[row[0]] = checkValue(row[3], child, `${path}.${row[0]}`, reading);
  }
  reading.places.set(out, {
    range: node.range,
    members: node.members.map((m) => ({ key: m.key, keyRange: m.keyRange, range: m.node.range })),
  });
  return out;
}

/** Whether Go's encoding/json would read the number into the sized integer field. */
function fitsGoInt(v: unknown, kind: string): boolean {
  const { min, max } = goInt(kind)!;
  return typeof v === 'number' && Number.isInteger(v) && v >= Number(min) && v <= Number(max);
}

function checkValue(kind: string, node: Node, path: string, reading: Reading): Value {
  const v = node.value;
  if (v === null) return null;
  const wrong = (what: string) => {
    reading.diagnostics.push(
      error(
        node.range,
        `${path} must be ${what}`,
        `Found ${JSON.stringify(v).slice(0, 60)}.${kind === 'duration' ? ' API JSON gives durations in nanoseconds, e.g. 30000000000 for 30s.' : ''}`,
      ),
    );
    return null;
  };
  const [base, struct] = kind.split(':') as [string, string | undefined];
  switch (base) {
    case 'string':
      return typeof v === 'string' ? v : wrong('a string');
    case 'int':
    case 'duration':
      return typeof v === 'number' && Number.isInteger(v)
        ? v
        : wrong(kind === 'duration' ? 'a whole number of nanoseconds' : 'a whole number');
    case 'bool':
      return typeof v === 'boolean' ? v : wrong('true or false');
    case 'list(string)':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : wrong('a list of strings');
    case 'int8':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
      return fitsGoInt(v, base) ? v : wrong(`a whole number from ${goInt(base)!.min} to ${goInt(base)!.max}`);
    case 'list(int)':
      return Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : wrong('a list of numbers');
    case 'list(uint16)':
      return Array.isArray(v) && v.every((x) => fitsGoInt(x, 'uint16'))
        ? v
        : wrong('a list of whole numbers from 0 to 65535');
    case 'map(string)':
      return node.members && node.members.every((m) => typeof m.node.value === 'string')
        ? v
        : wrong('an object of strings');
    case 'map(list(string))':
      return node.members && node.members.every((m) => Array.isArray(m.node.value))
        ? v
        : wrong('an object of string lists');
    case 'freeform':
      return node.members ? v : wrong('an object');
    case 'bytes':
      return typeof v === 'string' ? v : wrong('a base64 string');
    case 'struct':
      return checkStruct(struct!, node, path, reading);
    case 'list':
      if (!node.items) return wrong('a list');
      return node.items.map((item, i) => checkStruct(struct!, item, `${path}[${i}]`, reading));
    case 'map':
      if (!node.members) return wrong('an object');
      return Object.fromEntries(
        node.members.map((m) => [m.key, checkStruct(struct!, m.node, `${path}.${m.key}`, reading)]),
      );
  }
  return v;
}

/** Positions in a JSON job: the value of the key (matched as Go's decoder does), else the job object. */
function jsonPositions(jobNode: Node): FieldAt {
  return (field) =>
    jobNode.members?.find((m) => m.key.toLowerCase() === (field === 'id' ? 'id' : field))?.node.range ??
    jobNode.range;
}

export function readJsonJob(
  path: string,
  text: string,
  verdict: Verdict,
): { job?: Obj; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let root: Node;
  try {
    root = parseJson(text, path);
  } catch (caught) {
    if (!(caught instanceof JsonSyntaxError)) throw caught;
    return {
      diagnostics: [
        error({ file: path, start: caught.at, end: caught.at }, 'Invalid JSON', `${caught.message}.`),
      ],
    };
  }
  const wrapper = root.members?.find((m) => m.key.toLowerCase() === 'job');
  const jobNode = wrapper?.node ?? root;
  const places: Places = new WeakMap();
  const job = checkStruct('Job', jobNode, 'Job', { diagnostics, places });
  if (!job.ID) diagnostics.push(error(jobNode.range, 'Missing job ID', 'A JSON job needs "ID".'));
  if (!Array.isArray(job.TaskGroups) || job.TaskGroups.length === 0)
    diagnostics.push(
      error(jobNode.range, 'Missing task groups', 'A JSON job needs "TaskGroups" with at least one group.'),
    );
  if (job.Name === null && job.ID) job.Name = job.ID;
  if (job.ID) appendAll(diagnostics, jobRules(job, jsonPositions(jobNode), verdict));
  if (!hasErrors(diagnostics))
    appendAll(diagnostics, placeProblems(nomadJobProblems(job), places, jobNode.range, verdict));
  return { job, diagnostics };
}
