/**
 * The plan for machines: a versioned document (schema/plan.schema.json). Field names are snake_case and stable;
 * sensitive values are masked as in every rendering.
 */
import {
  ACTIONS,
  countByAction,
  hasChanges,
  type JobDiff,
  type ObjectDiff,
  type Plan,
} from '../plan/model.js';
import { maskField } from './mask.js';

export const PLAN_FORMAT_VERSION = '1';

function maskObjects(
  objects: readonly ObjectDiff[] | null,
  path: readonly string[],
  patterns: readonly string[],
): ObjectDiff[] | null {
  if (!objects) return null;
  return objects.map((o) => ({
    ...o,
    Fields:
      o.Fields?.map((f) => ({
        ...f,
        Old: maskField([...path, o.Name], f.Name, f.Old, patterns),
        New: maskField([...path, o.Name], f.Name, f.New, patterns),
      })) ?? null,
    Objects: maskObjects(o.Objects, [...path, o.Name], patterns),
  }));
}

function maskDiff(diff: JobDiff, patterns: readonly string[]): JobDiff {
  const fields = (list: JobDiff['Fields']) =>
    list?.map((f) => ({
      ...f,
      Old: maskField([], f.Name, f.Old, patterns),
      New: maskField([], f.Name, f.New, patterns),
    })) ?? null;
  return {
    ...diff,
    Fields: fields(diff.Fields),
    Objects: maskObjects(diff.Objects, [], patterns),
    TaskGroups:
      diff.TaskGroups?.map((g) => ({
        ...g,
        Fields: fields(g.Fields),
        Objects: maskObjects(g.Objects, [], patterns),
        Tasks:
          g.Tasks?.map((t) => ({
            ...t,
            Fields: fields(t.Fields),
            Objects: maskObjects(t.Objects, [], patterns),
          })) ?? null,
      })) ?? null,
  };
}

export function renderPlanJson(
  plan: Plan,
  options: { showSensitive: boolean; droverVersion: string },
): unknown {
  const patterns = options.showSensitive ? [] : plan.settings.maskPatterns;
  const counts = countByAction(plan);
  return {
    format_version: PLAN_FORMAT_VERSION,
    drover_version: options.droverVersion,
    created_at: plan.createdAt,
    settings: {
      address: plan.settings.address,
      namespace: plan.settings.namespace,
      region: plan.settings.region ?? null,
      stack: plan.settings.stack ?? null,
      stamp_key: plan.settings.stampKey,
      prune: plan.settings.prune,
      preserve_counts: plan.settings.preserveCounts,
      targets: plan.settings.targets,
    },
    changes: plan.changes.map((c) => ({
      id: c.id,
      namespace: c.namespace,
      action: c.action,
      wave: c.wave + 1,
      file: c.file ?? null,
      job_modify_index: c.jobModifyIndex,
      diff: c.diff ? maskDiff(c.diff, patterns) : null,
      annotations: c.annotations ?? null,
      placement_failures: c.placementFailures ?? null,
      preserved_counts: c.preservedCounts ?? null,
      warnings: c.warnings,
      ignored_fields: c.ignoredFields,
      computed_locally: c.computedLocally,
    })),
    summary: { ...Object.fromEntries(ACTIONS.map((a) => [a, counts[a]])), has_changes: hasChanges(plan) },
  };
}
