/**
 * The plan for machines: a versioned document (schema/plan.schema.json). Field names are snake_case and stable;
 * values arrive masked (plan/mask.ts). Version 2 keys every change on its address.
 */
import type { DisplayPlan } from '../plan/mask.js';
import { ACTIONS, countByAction, hasChanges, type Change } from '../plan/model.js';
import type { JobChange } from '../kinds/job/change.js';
import { describeNote, describeStackNote } from './change-notes.js';
import { checksJson } from './check-results.js';

export const PLAN_FORMAT_VERSION = '2';

export function renderPlanJson(plan: DisplayPlan, options: { droverVersion: string }): unknown {
  const counts = countByAction(plan);
  return {
    format_version: PLAN_FORMAT_VERSION,
    drover_version: options.droverVersion,
    created_at: plan.createdAt,
    settings: {
      cluster: plan.settings.cluster,
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
    changes: plan.changes.map(changeJson),
    unseen: (plan.unseen ?? []).map((u) => ({ kind: u.kind, needs: u.needs })),
    notes: (plan.notes ?? []).map((note) => describeStackNote(note, plan.settings.namespace)),
    drift: (plan.drift ?? []).map((d) => ({
      address: {
        cluster: d.address.cluster,
        kind: d.address.kind,
        namespace: d.address.namespace ?? null,
        name: d.address.name,
      },
      change: d.change,
      message: d.message,
    })),
    checks: checksJson(plan.checks),
    summary: { ...Object.fromEntries(ACTIONS.map((a) => [a, counts[a]])), has_changes: hasChanges(plan) },
  };
}

function changeJson(change: Change): unknown {
  const { address } = change;
  const shared = {
    address: {
      cluster: address.cluster,
      kind: address.kind,
      namespace: address.namespace ?? null,
      name: address.name,
    },
    action: change.action,
    wave: change.wave + 1,
    file: change.file ?? null,
    notes: change.notes.map((note) => ({ ...note, message: describeNote(note) })),
  };
  if (change.kind === 'job') return jobChangeJson(change, shared);
  return {
    ...shared,
    modify_index: change.modifyIndex,
    fields: change.action === 'noop' || change.action === 'delete' ? [] : change.fields,
  };
}

function jobChangeJson(change: JobChange, shared: object): unknown {
  const common = { ...shared, job_modify_index: change.jobModifyIndex };
  const none = {
    diff: null,
    annotations: null,
    placement_failures: null,
    preserved_counts: null,
    ignored_fields: 0,
    computed_locally: false,
  };
  switch (change.action) {
    case 'delete':
      return { ...common, ...none };
    case 'promote':
      return { ...common, ...none, deployment_id: change.deploymentId };
    case 'revert':
      return {
        ...common,
        ...none,
        diff: change.diff,
        ignored_fields: change.ignoredFields,
        computed_locally: change.computedLocally,
        revert: { from_version: change.revert.fromVersion, to_version: change.revert.toVersion },
      };
    default:
      return {
        ...common,
        diff: change.diff ?? null,
        annotations: change.annotations ?? null,
        placement_failures: change.placementFailures ?? null,
        preserved_counts: change.preservedCounts ?? null,
        ignored_fields: change.ignoredFields,
        computed_locally: change.computedLocally,
      };
  }
}
