/**
 * Fields that change without the user changing anything, or that drover owns, never show as changes: drover's
 * ownership stamp, NomadTokenID, VaultToken, SubmitTime. They are removed from Nomad's JobDiff and counted.
 */
import type { DiffType, FieldDiff, JobDiff, ObjectDiff } from '../nomad/types.js';
import { appendAll } from '../util/append-all.js';

const NOISE = new Set(['NomadTokenID', 'VaultToken', 'SubmitTime']);

export function removeNoise(
  diff: JobDiff,
  stampKey: string,
): { diff: JobDiff; ignored: number; ignoredNames: string[] } {
  const ignoredNames: string[] = [];
  const stamp = `Meta[${stampKey}]`;
  const keep = (field: FieldDiff) => {
    const noise = field.Type !== 'None' && (NOISE.has(field.Name) || field.Name === stamp);
    if (noise) ignoredNames.push(field.Name);
    return !noise;
  };
  const fields = (diff.Fields ?? []).filter(keep);
  const changed = (list: ReadonlyArray<{ Type: DiffType }> | null) =>
    (list ?? []).some((x) => x.Type !== 'None');
  const anything = changed(fields) || changed(diff.Objects) || changed(diff.TaskGroups);
  return {
    diff: {
      ...diff,
      Type: diff.Type === 'Edited' && !anything ? 'None' : diff.Type,
      Fields: fields.length ? fields : null,
    },
    ignored: ignoredNames.length,
    ignoredNames,
  };
}

/** Every changed field of a diff, flattened, for counting and masking. */
export function changedFields(diff: JobDiff): FieldDiff[] {
  const out: FieldDiff[] = [];
  const objects = (list: readonly ObjectDiff[] | null) => {
    for (const o of list ?? []) {
      appendAll(
        out,
        (o.Fields ?? []).filter((f) => f.Type !== 'None'),
      );
      objects(o.Objects);
    }
  };
  appendAll(
    out,
    (diff.Fields ?? []).filter((f) => f.Type !== 'None'),
  );
  objects(diff.Objects);
  for (const group of diff.TaskGroups ?? []) {
    appendAll(
      out,
      (group.Fields ?? []).filter((f) => f.Type !== 'None'),
    );
    objects(group.Objects);
    for (const task of group.Tasks ?? []) {
      appendAll(
        out,
        (task.Fields ?? []).filter((f) => f.Type !== 'None'),
      );
      objects(task.Objects);
    }
  }
  return out;
}
