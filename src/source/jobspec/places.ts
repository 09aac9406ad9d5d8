/**
 * Where each decoded api struct came from in its file, so a rule about one of its fields can point at the value
 * the user wrote, or at the block that holds it when the value is Nomad's default.
 */
import type { Block, Body } from '../hcl/ast.js';
import type { Range } from '../hcl/diagnostics.js';
import { API_STRUCTS } from './api-structs.js';

/** An HCL block (or body) decoded into api struct `struct`. */
interface HclPlace {
  readonly struct: string;
  readonly body: Body;
  readonly block: Block | undefined;
}

/** A JSON object read into an api struct: its range and its members' key and value ranges. */
interface JsonPlace {
  readonly range: Range;
  readonly members: ReadonlyArray<{ readonly key: string; readonly keyRange: Range; readonly range: Range }>;
}

export type Place = HclPlace | JsonPlace;

/** Decoded objects to their places; weak, so a job dropped after loading takes its places with it. */
export type Places = WeakMap<object, Place>;

/** The range of the object as a whole: its block's type, or its JSON object. */
export function wholeRange(place: Place): Range {
  return 'range' in place ? place.range : (place.block?.typeRange ?? place.body.range);
}

/** The range of the value the file gave api field `key`, or undefined when the file left it to Nomad. */
export function fieldRange(place: Place, key: string): Range | undefined {
  if ('members' in place) return place.members.find((m) => m.key.toLowerCase() === key.toLowerCase())?.range;
  const row = API_STRUCTS[place.struct]?.find((r) => r[0] === key);
  if (!row) return undefined;
  const label = place.block?.labels[0]?.range;
  if (row[2] === 'label' || (place.struct === 'Job' && key === 'ID')) return label;
  const names = [row[1], ...(SHORTHANDS[place.struct]?.[key] ?? [])];
  const attribute = place.body.attributes.find((a) => names.includes(a.name));
  if (attribute) return attribute.expr.range;
  const block = place.body.blocks.find((b) => b.type === row[1])?.typeRange;
  // A job's name is its label unless it sets one.
  return block ?? (place.struct === 'Job' && key === 'Name' ? label : undefined);
}

const OPERAND_SHORTHANDS = [
  'regexp',
  'version',
  'semver',
  'set_contains',
  'set_contains_any',
  'set_contains_all',
];

/** jobspec2's constraint and affinity shorthands: `regexp = "…"` sets both the operand and the value. */
const SHORTHANDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  Constraint: {
    LTarget: ['distinct_property'],
    RTarget: OPERAND_SHORTHANDS,
    Operand: [...OPERAND_SHORTHANDS, 'distinct_hosts', 'distinct_property'],
  },
  Affinity: { RTarget: OPERAND_SHORTHANDS, Operand: OPERAND_SHORTHANDS },
};
