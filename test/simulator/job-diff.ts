/**
 * Job.Diff as Nomad's plan endpoint computes it (nomad/structs/diff.go, contextual), reduced to a generic walk:
 * scalar fields become FieldDiffs with string values, maps of scalars flatten to `Meta[key]`, nested structs become
 * ObjectDiffs (listing all their fields, contextual), lists of structs compare as sets by value, Config flattens to
 * `args[0]` keys. Object names follow the reference's list. Not modelled: Nomad's per-type special cases beyond these.
 */
import type {
  DiffType,
  FieldDiff,
  Job,
  JobDiff,
  ObjectDiff,
  Task,
  TaskDiff,
  TaskGroup,
  TaskGroupDiff,
} from '../../src/nomad/types.js';
import { sameJson } from './json-equal.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) =>
  v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Structural equality of JSON values; equal objects diff to nothing, so their walk can be skipped. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const key of keysA)
    if (!Object.hasOwn(b, key) || !sameValue((a as Obj)[key], (b as Obj)[key])) return false;
  return true;
}

const JOB_IGNORED = new Set([
  'ID',
  'Status',
  'StatusDescription',
  'Version',
  'Stable',
  'CreateIndex',
  'ModifyIndex',
  'JobModifyIndex',
  'Update',
  'SubmitTime',
  'NomadTokenID',
  'VaultToken',
  'TaskGroups',
  'VersionTag',
]);
const GROUP_IGNORED = new Set(['Name', 'Tasks']);
// A task's RestartPolicy is its group's, which Task.Diff does not diff again.
const TASK_IGNORED = new Set(['Name', 'RestartPolicy']);
const SINGULAR: Record<string, string> = {
  Constraints: 'Constraint',
  Affinities: 'Affinity',
  Networks: 'Network',
  Services: 'Service',
  Checks: 'Check',
  Templates: 'Template',
  Artifacts: 'Artifact',
  VolumeMounts: 'VolumeMount',
  Devices: 'Device',
  DynamicPorts: 'Dynamic Port',
  ReservedPorts: 'Static Port',
  Secrets: 'Secret',
  Identities: 'Identity',
  Actions: 'Action',
  Links: 'Link',
  Volumes: 'Volume',
  ScalingPolicies: 'Scaling',
  Upstreams: 'ConsulUpstreams',
};

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

/** diff.go fieldDiff: a missing value is "", equal values are no change, and "" decides Added or Deleted. */
function fieldDiff(name: string, oldValue: string | undefined, newValue: string | undefined): FieldDiff {
  const before = oldValue ?? '';
  const after = newValue ?? '';
  const type: DiffType =
    before === after ? 'None' : before === '' ? 'Added' : after === '' ? 'Deleted' : 'Edited';
  return { Type: type, Name: name, Old: before, New: after, Annotations: null };
}

const NO_KEYS: ReadonlySet<string> = new Set();
/** The maps of scalars a diff flattens into fields; nestedObjects leaves them out. */
const FLATTENED_MAPS: ReadonlySet<string> = new Set(['Meta', 'Env', 'CanaryMeta']);

/** The scalar fields of a struct, flattened the way helper/flatmap does for maps (`Meta[k]`). */
function flatScalars(value: Obj | null, ignored: ReadonlySet<string> = NO_KEYS): Map<string, string> {
  const out = new Map<string, string>();
  if (!value) return out;
  for (const key of Object.keys(value)) {
    if (ignored.has(key)) continue;
    const v = value[key];
    // JSON null is a nil pointer, slice or map, none of which helper/flatmap emits among primitives.
    if (v === null) continue;
    if (isScalar(v)) out.set(key, text(v));
    else if (FLATTENED_MAPS.has(key) && isObj(v) && Object.values(v).every(isScalar))
      for (const inner of Object.keys(v)) out.set(`${key}[${inner}]`, text(v[inner]));
  }
  return out;
}

/**
 * Config and other free-form maps, as Nomad's flatmap.Flatten spells them: every leaf, map keys in brackets below
 * the top (`args[0]`, `auth[0][password]`, `labels[team]`).
 */
function flatDeep(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) value.forEach((item, i) => flatDeep(item, `${prefix}[${i}]`, out));
  else if (isObj(value))
    for (const [k, v] of Object.entries(value)) flatDeep(v, prefix === '' ? k : `${prefix}[${k}]`, out);
  else out.set(prefix, text(value));
  return out;
}

/** The fields by name; unless contextual, only those that changed (a missing field is ""). */
function diffFields(
  oldFields: Map<string, string>,
  newFields: Map<string, string>,
  contextual: boolean,
): FieldDiff[] {
  const names: string[] = [];
  for (const [name, before] of oldFields)
    if (contextual || before !== (newFields.get(name) ?? '')) names.push(name);
  for (const [name, after] of newFields)
    if (!oldFields.has(name) && (contextual || after !== '')) names.push(name);
  return names.sort().map((name) => fieldDiff(name, oldFields.get(name), newFields.get(name)));
}

function typeOf(old: unknown, next: unknown, changed: boolean): DiffType {
  if (old === null || old === undefined) return 'Added';
  if (next === null || next === undefined) return 'Deleted';
  return changed ? 'Edited' : 'None';
}

/** Fields diff.go leaves out of particular objects (its `filter` lists). */
const OBJECT_FILTERS: Readonly<Record<string, ReadonlySet<string>>> = {
  Network: new Set(['Device', 'CIDR', 'IP', 'MBits']),
  'Dynamic Port': new Set(['Value', 'IgnoreCollision']),
  Update: new Set(['Stagger']),
};

function objectDiff(name: string, old: Obj | null, next: Obj | null): ObjectDiff | null {
  if (!old && !next) return null;
  if (sameValue(old, next)) return null;
  const filter = OBJECT_FILTERS[name];
  const fields =
    name === 'Config'
      ? diffFields(flatDeep(old ?? {}), flatDeep(next ?? {}), true)
      : diffFields(flatScalars(old, filter), flatScalars(next, filter), true);
  // Nomad's configDiff returns the flattened fields only, never nested objects.
  const objects = name === 'Config' ? [] : nestedObjects(old, next, NO_KEYS);
  const changed = fields.some((f) => f.Type !== 'None') || objects.length > 0;
  const type = typeOf(old, next, changed);
  if (type === 'None') return null;
  return {
    Type: type,
    Name: name,
    Fields: fields.length ? fields : null,
    Objects: objects.length ? objects : null,
  };
}

function scalarListDiff(name: string, old: unknown[] | null, next: unknown[] | null): ObjectDiff | null {
  const before = (old ?? []).map(text);
  const after = (next ?? []).map(text);
  const fields: FieldDiff[] = [];
  for (const v of [...new Set([...before, ...after])].sort()) {
    const type: DiffType =
      before.includes(v) && after.includes(v) ? 'None' : before.includes(v) ? 'Deleted' : 'Added';
    fields.push({
      Type: type,
      Name: name,
      Old: type === 'Added' ? '' : v,
      New: type === 'Deleted' ? '' : v,
      Annotations: null,
    });
  }
  if (!fields.some((f) => f.Type !== 'None')) return null;
  return { Type: typeOf(old, next, true), Name: name, Fields: fields, Objects: null };
}

/** Lists of structs compare as sets: an edited constraint is one Deleted and one Added object. */
function setDiff(name: string, old: Obj[], next: Obj[]): ObjectDiff[] {
  const key = (o: Obj) => JSON.stringify(o);
  const oldKeys = new Set(old.map(key));
  const newKeys = new Set(next.map(key));
  return [
    ...old.filter((o) => !newKeys.has(key(o))).map((o) => objectDiff(name, o, null)),
    ...next.filter((o) => !oldKeys.has(key(o))).map((o) => objectDiff(name, null, o)),
  ].filter((d): d is ObjectDiff => d !== null);
}

/** The keys of both objects: the old one's, then those only the new one has. */
function unionOfKeys(old: Obj | null, next: Obj | null): string[] {
  const keys = old ? Object.keys(old) : [];
  if (next) for (const key of Object.keys(next)) if (!old || !Object.hasOwn(old, key)) keys.push(key);
  return keys;
}

/**
 * The nested objects of two structs, as ObjectDiffs. With `only` (a job, group or task), just the objects its
 * Diff in diff.go lists, in that order: Nomad diffs no spread, task lifecycle or task restart block.
 */
function nestedObjects(
  old: Obj | null,
  next: Obj | null,
  ignored: ReadonlySet<string>,
  only?: readonly string[],
): ObjectDiff[] {
  const out: ObjectDiff[] = [];
  for (const key of unionOfKeys(old, next)) {
    if (ignored.has(key) || FLATTENED_MAPS.has(key)) continue;
    // The name the key's objects get below: a list's singular, the volumes' "Volume", else the key.
    if (only && !only.includes(key) && !only.includes(SINGULAR[key] ?? key)) continue;
    const a = old?.[key];
    const b = next?.[key];
    if (isScalar(a) && isScalar(b)) continue;
    if (Array.isArray(a) || Array.isArray(b)) {
      const list = [...((a as unknown[]) ?? []), ...((b as unknown[]) ?? [])];
      if (list.every(isScalar)) {
        const d = scalarListDiff(key, (a as unknown[]) ?? null, (b as unknown[]) ?? null);
        if (d) out.push(d);
      } else
        out.push(
          ...setDiff(
            SINGULAR[key] ?? key,
            ((a as Obj[]) ?? []).filter(isObj),
            ((b as Obj[]) ?? []).filter(isObj),
          ),
        );
    } else if (key === 'Volumes' && (isObj(a) || isObj(b))) {
      for (const name of unionOfKeys((a as Obj) ?? null, (b as Obj) ?? null)) {
        const d = objectDiff(
          'Volume',
          ((a as Obj)?.[name] as Obj) ?? null,
          ((b as Obj)?.[name] as Obj) ?? null,
        );
        if (d) out.push(d);
      }
    } else {
      const d = objectDiff(key, isObj(a) ? a : null, isObj(b) ? b : null);
      if (d) out.push(d);
    }
  }
  const listed = only ? out.filter((o) => only.includes(o.Name)) : out;
  return sortObjects(listed, only ?? []);
}

/** The objects diff.go's Job.Diff, TaskGroup.Diff and Task.Diff compare, in the order they append them. */
const JOB_OBJECTS = [
  'Datacenters',
  'Constraint',
  'Affinity',
  'Periodic',
  'ParameterizedJob',
  'Multiregion',
  'UI',
];
const GROUP_OBJECTS = [
  'Constraint',
  'Affinity',
  'RestartPolicy',
  'Migrate',
  'ReschedulePolicy',
  'EphemeralDisk',
  'Consul',
  'Update',
  'Disconnect',
  'Network',
  'Scaling',
  'Service',
  'Volume',
];
const TASK_OBJECTS = [
  'Constraint',
  'Affinity',
  'Config',
  'Resources',
  'LogConfig',
  'DispatchPayload',
  'Artifact',
  'Service',
  'Vault',
  'Secret',
  'Consul',
  'Template',
  'Identity',
  'Action',
  'VolumeMount',
  'Schedule',
];

const TYPE_ORDER: Record<DiffType, number> = { Edited: 0, Added: 1, Deleted: 2, None: 3 };
function sortObjects(objects: ObjectDiff[], order: readonly string[]): ObjectDiff[] {
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return objects.sort(
    (a, b) =>
      rank(a.Name) - rank(b.Name) || a.Name.localeCompare(b.Name) || TYPE_ORDER[a.Type] - TYPE_ORDER[b.Type],
  );
}

const IN_PLACE_OBJECTS = new Set(['Service', 'Constraint', 'Affinity']);

/** scheduler/annotate.go: does this task change need new allocations? */
export function taskChangeKind(diff: TaskDiff): 'none' | 'inplace' | 'destructive' {
  if (diff.Type === 'None') return 'none';
  if (diff.Type !== 'Edited') return 'destructive';
  if ((diff.Fields ?? []).some((f) => f.Type !== 'None' && f.Name !== 'KillTimeout')) return 'destructive';
  for (const object of diff.Objects ?? []) {
    if (IN_PLACE_OBJECTS.has(object.Name)) continue;
    if (
      object.Name === 'LogConfig' &&
      !(object.Fields ?? []).some((f) => f.Name === 'Disabled' && f.Type !== 'None')
    )
      continue;
    return 'destructive';
  }
  return 'inplace';
}

const DESTRUCTIVE_GROUP_OBJECTS = new Set(['Network', 'EphemeralDisk', 'Volume']);

/** How existing allocations of a group must change to match the new job (what the reconciler decides). */
export function groupChangeKind(
  diff: TaskGroupDiff | undefined,
  jobDiff: JobDiff,
): 'none' | 'inplace' | 'destructive' {
  if (!diff) return 'none';
  const jobMetaChanged = (jobDiff.Fields ?? []).some((f) => f.Name.startsWith('Meta[') && f.Type !== 'None');
  const tasks = (diff.Tasks ?? []).map(taskChangeKind);
  if (jobMetaChanged || tasks.includes('destructive')) return 'destructive';
  if ((diff.Fields ?? []).some((f) => f.Name.startsWith('Meta[') && f.Type !== 'None')) return 'destructive';
  if ((diff.Objects ?? []).some((o) => DESTRUCTIVE_GROUP_OBJECTS.has(o.Name))) return 'destructive';
  // An edited group whose only change is its count keeps its allocations as they are.
  const otherGroupChange =
    (diff.Fields ?? []).some((f) => f.Type !== 'None' && f.Name !== 'Count') ||
    (diff.Objects ?? []).length > 0 ||
    (diff.Type === 'Edited' && !(diff.Fields ?? []).some((f) => f.Name === 'Count' && f.Type !== 'None'));
  return tasks.includes('inplace') || otherGroupChange ? 'inplace' : 'none';
}

/**
 * A job's, group's or task's own changed fields and the objects its Diff lists. Two structs that serialise alike but
 * for the ignored keys (their groups, their tasks) have none: found without flattening either.
 */
function ownChanges(
  old: Obj | null,
  next: Obj | null,
  ignored: ReadonlySet<string>,
  only: readonly string[],
): { fields: FieldDiff[]; objects: ObjectDiff[] } {
  if (old && next && sameJson(old, next, ignored)) return { fields: [], objects: [] };
  return {
    fields: diffFields(flatScalars(old, ignored), flatScalars(next, ignored), false),
    objects: nestedObjects(old, next, ignored, only),
  };
}

function taskDiff(old: Task | undefined, next: Task | undefined): TaskDiff {
  const name = (old ?? next)!.Name;
  const { fields, objects } = ownChanges(
    (old as Obj) ?? null,
    (next as Obj) ?? null,
    TASK_IGNORED,
    TASK_OBJECTS,
  );
  // Edited when anything differs (diff.go's reflect.DeepEqual), shown in the diff or not (a lifecycle block).
  const diff: TaskDiff = {
    Type: typeOf(old, next, !sameValue(old, next)),
    Name: name,
    Fields: fields.length ? fields : null,
    Objects: objects.length ? objects : null,
    Annotations: null,
  };
  if (diff.Type === 'Added') diff.Annotations = ['forces create'];
  else if (diff.Type === 'Deleted') diff.Annotations = ['forces destroy'];
  else if (diff.Type === 'Edited')
    diff.Annotations = [
      taskChangeKind(diff) === 'destructive' ? 'forces create/destroy update' : 'forces in-place update',
    ];
  return diff;
}

function groupDiff(old: TaskGroup | undefined, next: TaskGroup | undefined): TaskGroupDiff {
  const name = (old ?? next)!.Name;
  const { fields, objects } = ownChanges(
    (old as Obj) ?? null,
    (next as Obj) ?? null,
    GROUP_IGNORED,
    GROUP_OBJECTS,
  );
  // scheduler/annotate.go annotateCountChange: a missing count is 0.
  for (const field of fields) {
    if (field.Name !== 'Count' || field.Type === 'None') continue;
    const before = Number(field.Old || 0);
    const after = Number(field.New || 0);
    if (before !== after) field.Annotations = [after > before ? 'forces create' : 'forces destroy'];
  }
  const taskNames = [...new Set([...(old?.Tasks ?? []), ...(next?.Tasks ?? [])].map((t) => t.Name))].sort();
  const tasks = taskNames.map((t) =>
    taskDiff(
      old?.Tasks?.find((x) => x.Name === t),
      next?.Tasks?.find((x) => x.Name === t),
    ),
  );
  return {
    Type: typeOf(old, next, !sameValue(old, next)),
    Name: name,
    Fields: fields.length ? fields : null,
    Objects: objects.length ? objects : null,
    Tasks: tasks,
    Updates: null,
  };
}

/** old null: the whole job is Added. */
export function diffJobs(old: Job | null, next: Job): JobDiff {
  const { fields, objects } = ownChanges((old as Obj) ?? null, next as Obj, JOB_IGNORED, JOB_OBJECTS);
  const groupNames = [
    ...new Set([...(old?.TaskGroups ?? []), ...(next.TaskGroups ?? [])].map((g) => g.Name)),
  ].sort();
  const groups = groupNames.map((g) =>
    groupDiff(
      old?.TaskGroups?.find((x) => x.Name === g),
      next.TaskGroups?.find((x) => x.Name === g),
    ),
  );
  const changed =
    fields.some((f) => f.Type !== 'None') || objects.length > 0 || groups.some((g) => g.Type !== 'None');
  return {
    Type: typeOf(old, next, changed),
    ID: String(next.ID),
    Fields: fields.length ? fields : null,
    Objects: objects.length ? objects : null,
    TaskGroups: groups,
  };
}
