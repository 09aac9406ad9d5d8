/**
 * A diff drover computes itself when the token cannot use Nomad's plan endpoint (it needs submit-job): the
 * desired job against the job's last submission re-parsed (same shape, so every field compares), or else against
 * the live job, comparing only what the desired job sets (the server fills the rest).
 */
import { USER_MAPS } from './mask.js';
import type { DiffType, FieldDiff, Job, JobDiff, TaskDiff, TaskGroupDiff } from '../nomad/types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const SKIP_NOTHING: ReadonlySet<string> = new Set();

/** A struct field's name starts with a capital letter; a user map's key may start with anything. */
const isFieldName = (key: string) => key.charCodeAt(0) >= 65 && key.charCodeAt(0) <= 90;

/** The path of `key` below `prefix`: `A.B` for a struct field, `Env[KEY]` for a key of a user map. */
const childPath = (prefix: string, key: string, inMap: boolean) =>
  prefix === '' ? key : inMap || !isFieldName(key) ? `${prefix}[${key}]` : `${prefix}.${key}`;

/**
 * Scalars by path, in two arrays side by side: a new job's meta block may hold 400,000 keys, and a map of their
 * paths cost a third of its diff.
 */
class Flat {
  readonly paths: string[] = [];
  readonly values: unknown[] = [];

  add(path: string, value: unknown): void {
    this.paths.push(path);
    this.values.push(value);
  }

  /** The indexes of the paths in their order; of a path given twice, the last (as a map keeps it). */
  sorted(): number[] {
    const { paths } = this;
    const order = Array.from(paths.keys()).sort((x, y) =>
      paths[x]! < paths[y]! ? -1 : paths[x]! > paths[y]! ? 1 : x - y,
    );
    return order.filter((index, i) => paths[index] !== paths[order[i + 1]!]);
  }
}

/**
 * Scalars flattened to `A.B[0].C` paths (keys of user maps in brackets, `Env[KEY]` as Nomad spells them), skipping
 * the named keys at the top.
 */
function flatten(value: unknown, prefix: string, skip: ReadonlySet<string>, out: Flat, inMap: boolean): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.add(prefix, value);
    for (let i = 0; i < value.length; i++) flatten(value[i], `${prefix}[${i}]`, SKIP_NOTHING, out, inMap);
  } else if (isObj(value)) {
    for (const k of Object.keys(value)) {
      if (prefix === '' && skip.has(k)) continue;
      flatten(value[k], childPath(prefix, k, inMap), SKIP_NOTHING, out, inMap || USER_MAPS.has(k));
    }
  } else out.add(prefix, value);
}

const isScalar = (v: unknown) => typeof v !== 'object' || v === null;

/**
 * `before` into `a` and `after` into `b` as `flatten` does, walked side by side so that scalars the two hold
 * alike are left out of both, never given a path: a meta block of 400,000 keys that did not change costs a
 * look at each key, not 800,000 paths.
 */
function flattenBoth(
  before: unknown,
  after: unknown,
  prefix: string,
  skip: ReadonlySet<string>,
  a: Flat,
  b: Flat,
  inMap: boolean,
): void {
  if (before === after) return;
  if (isScalar(before) && isScalar(after)) {
    if (text(before) === text(after)) return;
  } else if (isObj(before) && isObj(after)) {
    for (const k of Object.keys(before)) {
      if (prefix === '' && skip.has(k)) continue;
      const x = before[k];
      const y = Object.hasOwn(after, k) ? after[k] : undefined;
      // Most of a job is the same on both sides: no path for what both hold alike.
      if (isScalar(x) && isScalar(y) && text(x) === text(y)) continue;
      const path = childPath(prefix, k, inMap);
      const below = inMap || USER_MAPS.has(k);
      if (Object.hasOwn(after, k)) flattenBoth(x, y, path, SKIP_NOTHING, a, b, below);
      else flatten(x, path, SKIP_NOTHING, a, below);
    }
    for (const k of Object.keys(after)) {
      if (Object.hasOwn(before, k) || (prefix === '' && skip.has(k))) continue;
      flatten(after[k], childPath(prefix, k, inMap), SKIP_NOTHING, b, inMap || USER_MAPS.has(k));
    }
    return;
  } else if (Array.isArray(before) && Array.isArray(after) && before.length > 0 && after.length > 0) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const path = `${prefix}[${i}]`;
      if (i >= after.length) flatten(before[i], path, SKIP_NOTHING, a, inMap);
      else if (i >= before.length) flatten(after[i], path, SKIP_NOTHING, b, inMap);
      else flattenBoth(before[i], after[i], path, SKIP_NOTHING, a, b, inMap);
    }
    return;
  }
  flatten(before, prefix, skip, a, inMap);
  flatten(after, prefix, skip, b, inMap);
}

/** The scalar fields that differ between two values, by flattened path; with `onlySet`, only those `after` sets. */
export function changedFields(
  before: unknown,
  after: unknown,
  skip: ReadonlySet<string>,
  onlySet: boolean,
): FieldDiff[] {
  const a = new Flat();
  const b = new Flat();
  flattenBoth(before ?? {}, after ?? {}, '', skip, a, b, false);
  const inA = a.sorted();
  const inB = b.sorted();
  const out: FieldDiff[] = [];
  // Both sides in path order, walked together: each path once, with its value on either side or both.
  for (let i = 0, j = 0; i < inA.length || j < inB.length;) {
    const pathA = i < inA.length ? a.paths[inA[i]!]! : undefined;
    const pathB = j < inB.length ? b.paths[inB[j]!]! : undefined;
    const name = pathB === undefined || (pathA !== undefined && pathA < pathB) ? pathA! : pathB;
    const old = pathA === name ? a.values[inA[i++]!] : undefined;
    const next = pathB === name ? b.values[inB[j++]!] : undefined;
    if (onlySet && (next === null || next === undefined)) continue;
    const oldText = text(old);
    const newText = text(next);
    // Text alike, or both unset ('' is the text of either).
    if (oldText === newText) continue;
    const type: DiffType =
      old === undefined || old === null
        ? 'Added'
        : next === undefined || next === null
          ? 'Deleted'
          : 'Edited';
    out.push({ Type: type, Name: name, Old: oldText, New: newText, Annotations: null });
  }
  return out;
}

const JOB_SKIP = new Set([
  'TaskGroups',
  'Status',
  'StatusDescription',
  'Stable',
  'Version',
  'SubmitTime',
  'CreateIndex',
  'ModifyIndex',
  'JobModifyIndex',
  'NomadTokenID',
  'VersionTag',
  'Stop',
]);

export function localDiff(before: Job, after: Job, onlySet: boolean): JobDiff {
  const byName = <T extends { Name?: unknown }>(list: unknown) =>
    new Map(((list as T[] | null) ?? []).map((x) => [String(x.Name), x]));
  const beforeGroups = byName<Obj>(before.TaskGroups);
  const afterGroups = byName<Obj>(after.TaskGroups);
  const groups: TaskGroupDiff[] = [...new Set([...beforeGroups.keys(), ...afterGroups.keys()])]
    .sort()
    .map((name) => {
      const b = beforeGroups.get(name);
      const a = afterGroups.get(name);
      const beforeTasks = byName<Obj>(b?.Tasks);
      const afterTasks = byName<Obj>(a?.Tasks);
      const tasks: TaskDiff[] = [...new Set([...beforeTasks.keys(), ...afterTasks.keys()])]
        .sort()
        .map((taskName) => {
          const bt = beforeTasks.get(taskName);
          const at = afterTasks.get(taskName);
          const taskFields = changedFields(bt, at, new Set(['Name']), onlySet && bt !== undefined);
          const type: DiffType = !bt ? 'Added' : !at ? 'Deleted' : taskFields.length ? 'Edited' : 'None';
          return {
            Type: type,
            Name: taskName,
            Fields: taskFields.length ? taskFields : null,
            Objects: null,
            Annotations: null,
          };
        });
      const groupFields = changedFields(b, a, new Set(['Name', 'Tasks']), onlySet && b !== undefined);
      const changed = groupFields.length > 0 || tasks.some((t) => t.Type !== 'None');
      const type: DiffType = !b ? 'Added' : !a ? 'Deleted' : changed ? 'Edited' : 'None';
      return {
        Type: type,
        Name: name,
        Fields: groupFields.length ? groupFields : null,
        Objects: null,
        Tasks: tasks,
        Updates: null,
      };
    });
  const jobFields = changedFields(before, after, JOB_SKIP, onlySet);
  const changed = jobFields.length > 0 || groups.some((g) => g.Type !== 'None');
  return {
    Type: changed ? 'Edited' : 'None',
    ID: String(after.ID),
    Fields: jobFields.length ? jobFields : null,
    Objects: null,
    TaskGroups: groups,
  };
}
