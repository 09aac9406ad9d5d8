/**
 * Ownership: drover stamps every job it registers with meta `<stampKey> = <stack>` (default key drover.stack).
 * Prune only ever deletes jobs carrying this stack's stamp.
 */
import type { NomadClient } from '../nomad/client.js';
import type { Job, JobListStub } from '../nomad/types.js';

export const DEFAULT_STAMP_KEY = 'drover.stack';

export function stamp(job: Job, key: string, stack: string): Job {
  return { ...job, Meta: { ...(job.Meta ?? {}), [key]: stack } };
}

export function ownerOf(job: Pick<Job, 'Meta'>, key: string): string | undefined {
  return job.Meta?.[key] ?? undefined;
}

/** A go-bexpr filter selecting the jobs of a stack, for one list request across namespaces. */
export function ownedFilter(key: string, stack: string): string {
  return `Meta[${JSON.stringify(key)}] == ${JSON.stringify(stack)}`;
}

/** The stack's jobs in every namespace (with their meta), in one list request. */
export function listStackJobs(
  client: NomadClient,
  key: string,
  stack: string,
  signal?: AbortSignal,
): Promise<JobListStub[]> {
  return client.jobs.listAll({ namespace: '*', meta: true, filter: ownedFilter(key, stack), signal });
}
