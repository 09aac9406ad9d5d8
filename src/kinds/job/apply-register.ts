/**
 * Registers a job (or reverts it to an earlier version) enforcing what the plan saw (JobModifyIndex, or the
 * version for a revert), then follows its evaluation and deployment to the end.
 */
import {
  NomadEnforceIndexError,
  NomadEnforceVersionError,
  NomadPermissionError,
} from '../../nomad/errors.js';
import { watchJob } from '../../watch/watch-job.js';
import type { ChangeResult } from '../../apply/types.js';
import type { JobRegistration, JobRevert } from './change.js';
import { StepRecord, type JobStepContext } from './job-step.js';
import { changedSincePlan } from './stale.js';

export async function registerJob(
  change: JobRegistration | JobRevert,
  context: JobStepContext,
): Promise<ChangeResult> {
  const { options } = context;
  const { client } = options;
  const { signal } = context.bound;
  const { name: id, namespace } = change.address;
  const step = new StepRecord(change, context);
  try {
    const response =
      change.action === 'revert'
        ? await client.jobs.revert(id, change.revert.toVersion, {
            namespace,
            signal,
            enforcePriorVersion: change.revert.fromVersion,
          })
        : await client.jobs.register(
            {
              Job: change.job,
              EnforceIndex: true,
              JobModifyIndex: change.jobModifyIndex,
              ...(change.submission ? { Submission: change.submission } : {}),
            },
            { namespace, signal },
          );
    context.emit({ type: 'registered', address: change.address, evalId: response.EvalID });
    step.written = { jobModifyIndex: response.JobModifyIndex };
    if (options.detach) {
      const version = (await client.jobs.read(id, { namespace, signal })).body.Version ?? 0;
      return step.result('registered', `registered as version ${version}`, { version });
    }
    const watched = await watchJob({
      client,
      job: change.job,
      namespace,
      evalId: response.EvalID,
      evalCreateIndex: response.EvalCreateIndex,
      autoPromote: options.autoPromote,
      rollback: options.rollback,
      signal,
      source: context.source,
      emit: step.onWatch,
    });
    return step.watched(watched);
  } catch (error) {
    if (error instanceof NomadEnforceIndexError) {
      const now =
        error.actualIndex === null
          ? error.reason === 'exists'
            ? 'it exists now'
            : 'it is gone'
          : `modify index ${error.expectedIndex} → ${error.actualIndex}`;
      return step.stale(changedSincePlan(change, now));
    }
    if (error instanceof NomadEnforceVersionError && change.action === 'revert')
      return step.stale(
        `job ${id} changed since the plan (version ${change.revert.fromVersion} → ${error.actualVersion}); not reverted, run drover rollback again`,
      );
    // A refusal names the capability the token lacks, as it does when the plan is refused.
    return step.failed(error, error instanceof NomadPermissionError ? error.hint : undefined);
  }
}
