/**
 * Whether a job file means the live job, compared the way the planner compares: Nomad's plan endpoint diffs the
 * file's job against what it holds (drover adding the blocks Nomad's diff leaves out), with the fields that change
 * by themselves and drover's stamp set aside. A token that may not plan gets drover's own diff against the live
 * job instead, of the fields the file sets. A block Nomad calls edited without naming a field that changed is no
 * difference: it says so of a scaling policy registered from the very same file.
 */
import { NomadPermissionError } from '../nomad/errors.js';
import type { NomadClient } from '../nomad/client.js';
import type { Job } from '../nomad/types.js';
import { withBlindSpots } from '../plan/blind-spots.js';
import { localDiff } from '../plan/local-diff.js';
import { changedFields, removeNoise } from '../plan/noise.js';

/** The fields a plan of `job` would change on `live` ("Meta[team]", "TaskGroups[web].Count"); empty when none. */
export async function liveDifferences(
  client: NomadClient,
  job: Job,
  live: Job,
  stampKey: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const namespace = String(job.Namespace ?? 'default');
  if (namespace !== live.Namespace || job.ID !== live.ID)
    return [
      `Namespace (the file's job is ${namespace}/${String(job.ID)}, not ${String(live.Namespace)}/${String(live.ID)})`,
    ];
  const desired = { ...job, Namespace: namespace };
  let diff;
  try {
    const planned = await client.jobs.plan(desired, { namespace, signal });
    diff = planned.Diff ? withBlindSpots(planned.Diff, live, desired) : undefined;
  } catch (error) {
    if (!(error instanceof NomadPermissionError)) throw error;
    diff = localDiff(live, desired, true);
  }
  if (!diff) return [];
  const clean = removeNoise(diff, stampKey).diff;
  if (clean.Type === 'None') return [];
  const names = new Set<string>();
  for (const group of clean.TaskGroups ?? []) {
    if (group.Type === 'Added' || group.Type === 'Deleted')
      names.add(`group "${group.Name}" (${group.Type.toLowerCase()})`);
    for (const task of group.Tasks ?? [])
      if (task.Type === 'Added' || task.Type === 'Deleted')
        names.add(`task "${group.Name}/${task.Name}" (${task.Type.toLowerCase()})`);
  }
  for (const field of changedFields(clean)) names.add(field.Name);
  // Nomad marks a block edited when its free-form map holds the same numbers in another Go type (a stored
  // int64 against a sent float64), naming no field: the planner shows no field change for it, nor does import.
  return [...names];
}
