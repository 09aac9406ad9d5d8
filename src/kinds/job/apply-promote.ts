/** A promote change: the job must be as planned; then its waiting deployment is promoted and followed. */
import type { ChangeResult } from '../../apply/types.js';
import { promoteDeployment } from '../../watch/watch-job.js';
import type { JobPromotion } from './change.js';
import { StepRecord, type JobStepContext } from './job-step.js';
import { changedSincePlan } from './stale.js';

export async function promoteJob(change: JobPromotion, context: JobStepContext): Promise<ChangeResult> {
  const { options, bound } = context;
  const { name: id, namespace } = change.address;
  const step = new StepRecord(change, context);
  step.seen = { deploymentId: change.deploymentId };
  try {
    const { body: live } = await options.client.jobs.find(id, { namespace, signal: bound.signal });
    if (live?.JobModifyIndex !== change.jobModifyIndex)
      return step.stale(
        changedSincePlan(
          change,
          live ? `modify index ${change.jobModifyIndex} → ${live.JobModifyIndex}` : 'it is gone',
        ),
      );
    const watched = await promoteDeployment({
      client: options.client,
      id,
      deploymentId: change.deploymentId,
      namespace,
      rollback: options.rollback,
      signal: bound.signal,
      source: context.source,
      emit: step.onWatch,
    });
    return step.watched(watched);
  } catch (error) {
    return step.failed(error);
  }
}
