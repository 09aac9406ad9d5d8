/** TaskGroup.Validate (nomad/structs, v2.0.5): the group's own fields, its policies, volumes, networks and scaling. */
import type { Findings } from './findings.js';
import { networkRules } from './networks.js';
import { placementRules } from './placement.js';
import {
  DEFAULT_DISK_MB,
  groupUpdate,
  migrateRules,
  MIGRATE_DEFAULTS,
  rescheduleDefaults,
  rescheduleRules,
  restartDefaults,
  restartRules,
  updateRules,
} from './policies.js';
import { groupServiceRules } from './services.js';
import { taskRules } from './task.js';
import { volumeRules } from './volumes.js';
import { flag, int, jobType, numberOf, object, objects, text, withDefaults, type Obj } from './values.js';

/** The group's count as Nomad reads it: unset is the scaling minimum, else 1. */
export const groupCount = (group: Obj): number =>
  numberOf(group, 'Count') ?? numberOf(object(group, 'Scaling'), 'Min') ?? 1;

export function groupRules(group: Obj, job: Obj, f: Findings): void {
  const type = jobType(job);
  const name = text(group, 'Name');
  if (name.includes('\0')) f.add('Task group name contains null character', 'Name');
  const count = groupCount(group);
  if (count < 0) f.add("Task group count can't be negative", 'Count');
  disconnectRules(group, type, f);
  const maxRun = numberOf(group, 'MaxRunDuration');
  if (maxRun !== undefined) {
    if (maxRun <= 0) f.add('MaxRunDuration must be greater than zero', 'MaxRunDuration');
    if (type !== 'batch' && type !== 'sysbatch')
      f.add(`Job type "${type}" does not allow max_run_duration`, 'MaxRunDuration');
  }
  placementRules(group, type, f);
  policyRules(group, job, type, f);
  const names = new Map<string, number>();
  let leaders = 0;
  objects(group, 'Tasks').forEach((task, i) => {
    const taskName = text(task, 'Name');
    const first = names.get(taskName);
    if (first !== undefined)
      f.in(task).add(`Task ${i + 1} redefines '${taskName}' from task ${first + 1}`, 'Name');
    else names.set(taskName, i);
    if (flag(task, 'Leader')) leaders++;
  });
  if (leaders > 1) f.add('Only one task may be marked as leader', 'Tasks');
  volumeRules(group, type, count, f);
  networkRules(group, f);
  groupServiceRules(group, job, f);
  scalingRules(group, count, f);
  for (const task of objects(group, 'Tasks'))
    taskRules(task, group, job, f.in(task, `task "${text(task, 'Name')}"`));
}

function disconnectRules(group: Obj, type: string, f: Findings): void {
  const disconnect = object(group, 'Disconnect');
  if (!disconnect) return;
  const at = f.in(disconnect);
  const stopAfter = numberOf(disconnect, 'StopOnClientAfter');
  if (stopAfter !== undefined) {
    if (stopAfter < 0) at.add('stop_after cannot be a negative duration', 'StopOnClientAfter');
    if (type !== 'service' && type !== 'batch')
      at.add('stop_after can only be used with service or batch job types', 'StopOnClientAfter');
  }
  const lostAfter = int(disconnect, 'LostAfter');
  if (lostAfter < 0) at.add('lost_after cannot be a negative duration', 'LostAfter');
  if (stopAfter !== undefined && lostAfter !== 0)
    at.add('Disconnect cannot be configured with both lost_after and stop_after', 'LostAfter');
  const reconcile = text(disconnect, 'Reconcile');
  if (!['', 'best_score', 'longest_running', 'keep_original', 'keep_replacement'].includes(reconcile))
    at.add(`reconcile option is invalid: ${reconcile}`, 'Reconcile');
}

/** Restart, reschedule, ephemeral disk, update and migrate: the group's over the job's over Nomad's defaults. */
function policyRules(group: Obj, job: Obj, type: string, f: Findings): void {
  const restart = object(group, 'RestartPolicy');
  restartRules(withDefaults(restartDefaults(type), restart), f.in(restart));

  const jobReschedule = object(job, 'Reschedule');
  const reschedule = object(group, 'ReschedulePolicy');
  if (type === 'system' || type === 'sysbatch') {
    if (reschedule || jobReschedule)
      f.in(reschedule ?? jobReschedule).add('System or sysbatch jobs should not have a reschedule policy');
  } else
    rescheduleRules(
      withDefaults(rescheduleDefaults(type), jobReschedule, reschedule),
      f.over([jobReschedule, reschedule]),
    );

  const disk = object(group, 'EphemeralDisk');
  const size = numberOf(disk, 'SizeMB') ?? DEFAULT_DISK_MB;
  if (size < 10) f.in(disk).add(`minimum DiskMB value is 10; got ${size}`, 'SizeMB');

  const update = groupUpdate(group, job, type);
  const rollsOut = type === 'service' || type === 'system';
  if (update && !rollsOut) f.in(update.layers.at(-1)).add(`Job type "${type}" does not allow update block`);
  if (update) updateRules(update.merged, f.over(update.layers));

  const jobMigrate = object(job, 'Migrate');
  const migrate = object(group, 'Migrate');
  if (type === 'service')
    migrateRules(withDefaults(MIGRATE_DEFAULTS, jobMigrate, migrate), f.over([jobMigrate, migrate]));
  else if (migrate || jobMigrate)
    f.in(migrate ?? jobMigrate).add(`Job type "${type}" does not allow migrate block`);
}

function scalingRules(group: Obj, count: number, f: Findings): void {
  const scaling = object(group, 'Scaling');
  if (!scaling) return;
  const at = f.in(scaling);
  const max = numberOf(scaling, 'Max') ?? 0;
  const min = numberOf(scaling, 'Min') ?? count;
  if (max < 0) at.add('Scaling policy invalid: maximum count must be specified and non-negative', 'Max');
  else if (max < min)
    at.add('Scaling policy invalid: maximum count must not be less than minimum count', 'Max');
  if (min < 0) at.add('Scaling policy invalid: minimum count must be specified and non-negative', 'Min');
  if (max < count)
    at.add(
      'Scaling policy invalid: task group count must not be greater than maximum count in scaling policy',
      'Max',
    );
  if (count < min)
    at.add(
      'Scaling policy invalid: task group count must not be less than minimum count in scaling policy',
      'Min',
    );
}
