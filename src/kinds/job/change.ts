/**
 * A job's changes, one member per action, each carrying exactly what its action needs: a registration its job and
 * what Nomad's plan says it does, a promote its deployment, a revert its versions, a delete its index only.
 */
import type { AllocMetric, DesiredUpdates, Job, JobDiff, JobSubmissionInput } from '../../nomad/types.js';
import type { Address } from '../address.js';
import type { ChangeNote } from '../../plan/notes.js';

export type JobAddress = Address<'job'> & { readonly namespace: string };

export function jobAddress(cluster: string, namespace: string, id: string): JobAddress {
  return { cluster, kind: 'job', namespace, name: id };
}

interface JobChangeBase {
  readonly kind: 'job';
  readonly address: JobAddress;
  /** 0-based, over the whole plan; deletes come after every registration wave. */
  readonly wave: number;
  /**
   * The jobs it depends on (drover.hcl and its meta), as the waves were worked out from them; absent when none.
   * A delete's are the jobs it is deleted before.
   */
  readonly dependsOn?: readonly string[];
  /** The file it came from. */
  readonly file?: string;
  /** The JobModifyIndex seen when planning: the write enforces it (0 for a create). */
  readonly jobModifyIndex: number;
  readonly notes: readonly ChangeNote[];
}

/** What registering a job does, as Nomad's plan endpoint (or drover's local diff) says. */
export interface PlannedRegistration {
  /** Field-level differences. */
  readonly diff?: JobDiff;
  /** Scheduler annotations per group. */
  readonly annotations?: Readonly<Record<string, DesiredUpdates>>;
  /** Groups Nomad could not place, with its metrics. */
  readonly placementFailures?: Readonly<Record<string, AllocMetric>>;
  /** Groups whose live count was kept (--preserve-counts): group → { live, file }. */
  readonly preservedCounts?: Readonly<Record<string, { readonly live: number; readonly file: number }>>;
  /** Changes hidden as noise (drover's stamp, server-filled fields). */
  readonly ignoredFields: number;
  /** The diff was computed by drover (read-only token or --read-only), not by Nomad's plan endpoint. */
  readonly computedLocally: boolean;
}

/** The job file registered: created, updated, started again, adopted by the stack, or left as it is. */
export interface JobRegistration extends JobChangeBase, PlannedRegistration {
  readonly action: 'create' | 'update' | 'start' | 'adopt' | 'noop';
  /** The job drover registers, stamped with the stack. */
  readonly job: Job;
  /** What Nomad keeps as the job's source. */
  readonly submission?: JobSubmissionInput;
}

/** An unchanged job whose deployment's canaries are healthy and wait: the deployment is promoted. */
export interface JobPromotion extends JobChangeBase {
  readonly action: 'promote';
  readonly deploymentId: string;
}

/** drover rollback: the job goes back to an earlier version's spec (Nomad registers it as a new version). */
export interface JobRevert extends JobChangeBase {
  readonly action: 'revert';
  /** The version it goes back to, as Nomad registers it again (reverted-job.ts). */
  readonly job: Job;
  /** The version it is at, planned against (the revert enforces it), and the one it goes back to. */
  readonly revert: { readonly fromVersion: number; readonly toVersion: number };
  readonly diff: JobDiff;
  readonly ignoredFields: number;
  readonly computedLocally: boolean;
}

/** A job of the stack no file declares any more (prune, destroy): stopped, or purged. */
export interface JobDelete extends JobChangeBase {
  readonly action: 'delete';
}

export type JobChange = JobRegistration | JobPromotion | JobRevert | JobDelete;

/** The job a change registers, when it registers one (what checks see of it). */
export function specOf(change: JobChange): Job | undefined {
  switch (change.action) {
    case 'promote':
    case 'delete':
      return undefined;
    default:
      return change.job;
  }
}
