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

/** Scalars flattened to `A.B[0].C` paths (keys of user maps in brackets, `Env[KEY]` as Nomad spells them), skipping the named keys at the top. */
function flatten(
  value: unknown,
  prefix: string,
  skip: ReadonlySet<string>,
  out: Map<string, unknown>,
  inMap = false,
): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, value);
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, new Set(), out, inMap));
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (prefix === '' && skip.has(k)) continue;
      const name = prefix === '' ? k : inMap || !/^[A-Z]/.test(k) ? `${prefix}[${k}]` : `${prefix}.${k}`;
      flatten(v, name, new Set(), out, inMap || USER_MAPS.has(k));
    }
  } else out.set(prefix, value);
  return out;
}

/** The scalar fields that differ between two values, by flattened path; with `onlySet`, only those `after` sets. */
export function changedFields(
  before: unknown,
  after: unknown,
  skip: ReadonlySet<string>,
  onlySet: boolean,
): FieldDiff[] {
  const a = flatten(before ?? {}, '', skip, new Map());
  const b = flatten(after ?? {}, '', skip, new Map());
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: FieldDiff[] = [];
  for (const name of names) {
    const next = b.get(name);
    if (onlySet && (next === null || next === undefined)) continue;
    const old = a.get(name);
    if (
      text(old) === text(next) ||
      ((old === null || old === undefined) && (next === null || next === undefined))
    )
      continue;
    const type: DiffType =
      old === undefined || old === null
        ? 'Added'
        : next === undefined || next === null
          ? 'Deleted'
          : 'Edited';
    out.push({ Type: type, Name: name, Old: text(old), New: text(next), Annotations: null });
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
