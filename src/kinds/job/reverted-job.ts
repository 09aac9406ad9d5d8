/**
 * The job a revert registers: Nomad's revert registers an earlier version's spec again as a new version, setting
 * its status, version, indexes and submit time itself. A rollback's change holds the spec as it will be
 * registered, as a registration holds the job file's, so that a check reads the same fields of both.
 */
import type { Job } from '../../nomad/types.js';

const SET_BY_NOMAD = [
  'Status',
  'StatusDescription',
  'Stable',
  'Version',
  'VersionTag',
  'SubmitTime',
  'CreateIndex',
  'ModifyIndex',
  'JobModifyIndex',
  'NomadTokenID',
] as const;

export function revertedJob(version: Job): Job {
  const job: Record<string, unknown> = { ...version };
  for (const field of SET_BY_NOMAD) delete job[field];
  return job as Job;
}
