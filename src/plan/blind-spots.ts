/**
 * What Nomad's plan endpoint leaves out of its diff: structs/diff.go compares no spread block (job or group) and
 * no task lifecycle, restart, scaling or CSI plugin block, so a changed spread weight is a group "edited" with
 * nothing in it, and `nomad job plan` shows an in-place update without saying of what. drover compares those
 * blocks itself, against the live job, and adds what changed to Nomad's diff, each field marked as its own.
 * Fields are compared as the file sets them; a block the file drops that the live job has is deleted whole.
 */
import type { FieldDiff, Job, JobDiff, TaskDiff, TaskGroupDiff } from '../nomad/types.js';
import { changedFields } from './local-diff.js';

export const NOT_IN_NOMADS_DIFF = "not in Nomad's diff";

const JOB_BLIND_SPOTS = ['Spreads'];
const GROUP_BLIND_SPOTS = ['Spreads'];
const TASK_BLIND_SPOTS = ['Lifecycle', 'ScalingPolicies', 'CSIPluginConfig'];

type Obj = Record<string, unknown>;

/** `diff` (Nomad's, of `live` against `desired`) with the changes it cannot show added. */
export function withBlindSpots(diff: JobDiff, live: Job, desired: Job): JobDiff {
  const groups = (diff.TaskGroups ?? []).map((group) => {
    const before = findByName(live.TaskGroups, group.Name);
    const after = findByName(desired.TaskGroups, group.Name);
    if (!before || !after) return group;
    const tasks = (group.Tasks ?? []).map((task) => {
      const beforeTask = findByName(before.Tasks, task.Name);
      const afterTask = findByName(after.Tasks, task.Name);
      if (!beforeTask || !afterTask) return task;
      // Nomad gives a task without a restart block its group's: that is what the live task carries.
      const restart = { RestartPolicy: afterTask.RestartPolicy ?? after.RestartPolicy };
      return withFields(task, [
        ...blindFields(beforeTask, afterTask, TASK_BLIND_SPOTS),
        ...blindFields(beforeTask, restart, ['RestartPolicy'], false),
      ]);
    });
    const edited = withFields({ ...group, Tasks: tasks }, blindFields(before, after, GROUP_BLIND_SPOTS));
    return tasks.some((t) => t.Type === 'Edited') ? markEdited(edited) : edited;
  });
  const job = withFields({ ...diff, TaskGroups: groups }, blindFields(live, desired, JOB_BLIND_SPOTS));
  return groups.some((g) => g.Type === 'Edited') ? markEdited(job) : job;
}

function findByName(list: unknown, name: string): Obj | undefined {
  return (list as Obj[] | null | undefined)?.find((item) => item.Name === name);
}

/**
 * The blocks' fields that changed. Compared with the live job (which carries the server's defaults), only what
 * the file sets counts, unless the file drops a block the live job has (`canDrop`): then all of it is deleted.
 */
function blindFields(before: object, after: object, keys: readonly string[], canDrop = true): FieldDiff[] {
  const [from, to] = [before as Obj, after as Obj];
  return keys.flatMap((key) => {
    const dropped = canDrop && isEmpty(to[key]) && !isEmpty(from[key]);
    return changedFields({ [key]: from[key] }, { [key]: to[key] }, new Set(), !dropped).map((field) => ({
      ...field,
      Annotations: [NOT_IN_NOMADS_DIFF],
    }));
  });
}

const isEmpty = (value: unknown) =>
  value === null || value === undefined || (Array.isArray(value) && value.length === 0);

function withFields<T extends JobDiff | TaskGroupDiff | TaskDiff>(diff: T, fields: FieldDiff[]): T {
  if (fields.length === 0 || (diff.Type !== 'Edited' && diff.Type !== 'None')) return diff;
  return markEdited({ ...diff, Fields: [...(diff.Fields ?? []), ...fields] });
}

function markEdited<T extends JobDiff | TaskGroupDiff | TaskDiff>(diff: T): T {
  return diff.Type === 'None' ? { ...diff, Type: 'Edited' } : diff;
}
