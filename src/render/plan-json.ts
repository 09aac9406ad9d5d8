/**
 * The plan for machines: a versioned document (schema/plan.schema.json). Field names are snake_case and stable;
 * values arrive masked (plan/mask.ts).
 */
import type { DisplayPlan } from '../plan/mask.js';
import { ACTIONS, countByAction, hasChanges } from '../plan/model.js';

export const PLAN_FORMAT_VERSION = '1';

export function renderPlanJson(plan: DisplayPlan, options: { droverVersion: string }): unknown {
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
      project_file: plan.settings.projectFile ?? null,
      stamp_key: plan.settings.stampKey,
      prune: plan.settings.prune,
      preserve_counts: plan.settings.preserveCounts,
      targets: plan.settings.targets,
      purge: plan.settings.purge ?? false,
      destroy: plan.settings.destroy ?? false,
    },
    changes: plan.changes.map((c) => ({
      id: c.id,
      namespace: c.namespace,
      action: c.action,
      wave: c.wave + 1,
      file: c.file ?? null,
      job_modify_index: c.jobModifyIndex,
      diff: c.diff ?? null,
      annotations: c.annotations ?? null,
      placement_failures: c.placementFailures ?? null,
      preserved_counts: c.preservedCounts ?? null,
      warnings: c.warnings,
      ignored_fields: c.ignoredFields,
      computed_locally: c.computedLocally,
      ...(c.deploymentId ? { deployment_id: c.deploymentId } : {}),
      ...(c.revert ? { revert: { from_version: c.revert.fromVersion, to_version: c.revert.toVersion } } : {}),
    })),
    notes: plan.notes ?? [],
    summary: { ...Object.fromEntries(ACTIONS.map((a) => [a, counts[a]])), has_changes: hasChanges(plan) },
  };
}
