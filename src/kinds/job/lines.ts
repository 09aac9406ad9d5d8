/**
 * A job's change as lines for the renderers: its heading and symbol, then what its action shows: a promote its
 * deployment, a revert its versions and diff, a registration its diff (group → task → fields and nested objects,
 * with the scheduler's counts per group), or a new job's groups in short when the plan carries no full spec.
 */
import { fieldLines, type ChangeLine } from '../change-lines.js';
import type { DesiredUpdates, FieldDiff, JobDiff, ObjectDiff } from '../../nomad/types.js';
import { appendAll } from '../../util/append-all.js';
import type { JobChange, JobRegistration } from './change.js';

export function jobLines(change: JobChange, planNamespace: string): ChangeLine[] {
  const { name, namespace } = change.address;
  const lines: ChangeLine[] = [
    {
      type: 'heading',
      kind: 'job',
      name,
      ...(namespace === planNamespace ? {} : { namespace }),
      action: change.action,
      wave: change.wave,
      computedLocally: change.action !== 'promote' && change.action !== 'delete' && change.computedLocally,
    },
    {
      type: 'symbol',
      kind: 'job',
      name,
      action: change.action,
      ...(change.file ? { file: change.file } : {}),
    },
  ];
  switch (change.action) {
    case 'delete':
      break;
    case 'promote':
      lines.push({ type: 'promote', deploymentId: change.deploymentId });
      break;
    case 'revert':
      lines.push({
        type: 'revert',
        fromVersion: change.revert.fromVersion,
        toVersion: change.revert.toVersion,
      });
      appendAll(lines, diffLines(change.diff));
      break;
    default:
      if (change.action === 'create' && !change.diff) appendAll(lines, newGroupLines(change));
      else if (change.diff) appendAll(lines, diffLines(change.diff, change.annotations));
      for (const [group, counts] of Object.entries(change.preservedCounts ?? {}))
        lines.push({ type: 'preserved-count', group, live: counts.live, file: counts.file });
  }
  return lines;
}

function newGroupLines(change: JobRegistration): ChangeLine[] {
  return (change.job.TaskGroups ?? []).map((group) => ({
    type: 'new-group',
    name: group.Name ?? '',
    count: group.Count ?? 1,
    tasks: (group.Tasks ?? []).map((task) => task.Name ?? ''),
    ...scheduler(change.annotations, group.Name ?? ''),
  }));
}

function scheduler(
  annotations: Readonly<Record<string, DesiredUpdates>> | undefined,
  group: string,
): { scheduler?: DesiredUpdates } {
  const counts = annotations?.[group];
  return counts ? { scheduler: counts } : {};
}

function diffLines(diff: JobDiff, annotations?: Readonly<Record<string, DesiredUpdates>>): ChangeLine[] {
  const out = fieldLines(diff.Fields, 0);
  appendAll(out, objectLines(diff.Objects, 0));
  for (const group of diff.TaskGroups ?? []) {
    if (group.Type === 'None') continue;
    out.push({ type: 'group', diff: group.Type, name: group.Name, ...scheduler(annotations, group.Name) });
    appendAll(out, fieldLines(group.Fields, 1));
    appendAll(out, objectLines(group.Objects, 1));
    for (const task of group.Tasks ?? []) {
      if (task.Type === 'None') continue;
      out.push({ type: 'task', diff: task.Type, name: task.Name, annotations: task.Annotations ?? [] });
      appendAll(out, fieldLines(task.Fields, 2));
      appendAll(out, objectLines(task.Objects, 2));
    }
  }
  return out;
}

function objectLines(objects: readonly ObjectDiff[] | null, depth: number): ChangeLine[] {
  const out: ChangeLine[] = [];
  for (const object of pairEdits(objects ?? [])) {
    if (object.Type === 'None') continue;
    out.push({ type: 'object', depth, diff: object.Type, name: object.Name });
    appendAll(out, fieldLines(object.Fields, depth + 1, object.Type !== 'Edited'));
    appendAll(out, objectLines(object.Objects, depth + 1));
    out.push({ type: 'object-end', depth });
  }
  return out;
}

/**
 * Nomad diffs some lists of objects as sets (an edited template is one Deleted and one Added object); a lone
 * Deleted/Added pair of one name is shown as one edited object with only what changed.
 */
function pairEdits(objects: readonly ObjectDiff[]): ObjectDiff[] {
  const out: ObjectDiff[] = [];
  for (const object of objects) {
    const same = objects.filter((o) => o.Name === object.Name && o.Type !== 'None');
    if (same.length === 2 && same.some((o) => o.Type === 'Added') && same.some((o) => o.Type === 'Deleted')) {
      if (object.Type !== 'Deleted') continue;
      const added = same.find((o) => o.Type === 'Added')!;
      const before = new Map((object.Fields ?? []).map((f) => [f.Name, f.Old]));
      const after = new Map((added.Fields ?? []).map((f) => [f.Name, f.New]));
      const fields: FieldDiff[] = [...new Set([...before.keys(), ...after.keys()])].sort().flatMap((name) => {
        const old = before.get(name) ?? '';
        const next = after.get(name) ?? '';
        return old === next
          ? []
          : [
              {
                Type: old === '' ? 'Added' : next === '' ? 'Deleted' : 'Edited',
                Name: name,
                Old: old,
                New: next,
                Annotations: null,
              } as FieldDiff,
            ];
      });
      out.push({ Type: 'Edited', Name: object.Name, Fields: fields, Objects: null });
      continue;
    }
    out.push(object);
  }
  return out;
}
