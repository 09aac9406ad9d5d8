/** Reading plan changes in tests: narrowed to the member a test expects, notes in the words users see. */
import {
  jobAddress,
  type JobChange,
  type JobRegistration,
  type JobRevert,
} from '../../src/kinds/job/change.js';
import type { Job } from '../../src/nomad/types.js';
import type { Action, Change, Plan } from '../../src/plan/model.js';
import { describeNote } from '../../src/render/change-notes.js';

/** The change as a registration (create, update, start, adopt, noop); fails the test otherwise. */
export function registration(change: Change | undefined): JobRegistration {
  if (
    !change ||
    change.kind !== 'job' ||
    change.action === 'promote' ||
    change.action === 'delete' ||
    change.action === 'revert'
  )
    throw new Error(`expected a registration, got ${change ? change.action : 'no change'}`);
  return change;
}

export function revertOf(change: Change | undefined): JobRevert {
  if (change?.kind !== 'job' || change.action !== 'revert')
    throw new Error(`expected a revert, got ${change?.action ?? 'no change'}`);
  return change;
}

/** What the plan says about the change, as its renderings word it. */
export function warningsOf(change: Change | undefined): string[] {
  return (change?.notes ?? []).map(describeNote);
}

/** `namespace/name` of a change (a namespace's own change has none before the slash). */
export function keyOf(change: Change): string {
  return `${change.address.namespace ?? ''}/${change.address.name}`;
}

/** The change as a job's; fails the test otherwise. */
export function jobOf(change: Change | undefined): JobChange {
  if (change?.kind !== 'job') throw new Error(`expected a job change, got ${change?.kind ?? 'no change'}`);
  return change;
}

/** A job change of this action, with what its member needs and nothing more (a registration an empty job). */
export function jobChange(
  id: string,
  action: Action,
  options: { wave?: number; dependsOn?: string[]; namespace?: string; job?: Job } = {},
): JobChange {
  const base = {
    kind: 'job' as const,
    address: jobAddress('default', options.namespace ?? 'default', id),
    wave: options.wave ?? 0,
    ...(options.dependsOn ? { dependsOn: options.dependsOn } : {}),
    jobModifyIndex: 7,
    notes: [],
  };
  const job = options.job ?? { ID: id, Name: id, Type: 'service', TaskGroups: [] };
  switch (action) {
    case 'delete':
      return { ...base, action };
    case 'promote':
      return { ...base, action, deploymentId: '0d9b3f7e-0000-4000-8000-000000000001' };
    case 'revert':
      return {
        ...base,
        action,
        job,
        revert: { fromVersion: 2, toVersion: 1 },
        diff: { Type: 'None', ID: id, Fields: null, Objects: null, TaskGroups: null },
        ignoredFields: 0,
        computedLocally: false,
      };
    default:
      return { ...base, action, job, ignoredFields: 0, computedLocally: false };
  }
}

/** One cluster's plan of job changes (id → action), as a project's part. */
export function clusterPlan(cluster: string, actions: Record<string, Action>): Plan {
  return {
    settings: {
      cluster,
      address: `http://${cluster}.test:4646`,
      namespace: 'default',
      stack: 'shop',
      projectFile: 'drover.hcl',
      stampKey: 'drover.stack',
      prune: false,
      preserveCounts: false,
      targets: [],
      maskPatterns: ['token'],
    },
    changes: Object.entries(actions).map(([id, action]) => ({
      ...jobChange(id, action),
      address: jobAddress(cluster, 'default', id),
    })),
    createdAt: '2026-12-07T10:00:00.000Z',
  };
}
