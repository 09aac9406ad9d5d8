/**
 * Deletes a job of the stack: read again right before (still this stack's, unchanged since the plan), stopped and
 * followed until its allocations stopped, then purged when asked.
 */
import type { ChangeResult } from '../../apply/types.js';
import { watchStopped } from '../../watch/watch-job.js';
import type { JobDelete } from './change.js';
import { StepRecord, type JobStepContext } from './job-step.js';
import { deleteRefusal } from './stale.js';

export async function deleteJob(change: JobDelete, context: JobStepContext): Promise<ChangeResult> {
  const { options, bound } = context;
  const { client } = options;
  const { name: id, namespace } = change.address;
  const where = { namespace, signal: bound.signal };
  const step = new StepRecord(change, context);
  try {
    const { body: now } = await client.jobs.find(id, where);
    const refusal = deleteRefusal(change, now, options.plan.settings);
    if (refusal) return step.stale(refusal);
    const purge = options.purge ?? options.plan.settings.purge ?? false;
    context.emit({ type: 'deleting', address: change.address, purge });
    // A purged job's allocations vanish from Nomad at once while their tasks may still be stopping on their
    // clients, so a purge is sent only after a stop has been followed to its end (unless --detach).
    const purgeAtOnce = Boolean(purge && options.detach);
    const stop = await client.jobs.deregister(id, { ...where, purge: purgeAtOnce });
    step.written = { jobModifyIndex: stop.JobModifyIndex };
    if (!options.detach) {
      await watchStopped(context.source, id, namespace, bound.signal, step.onWatch);
      if (purge) {
        // Between the stop and the purge, someone may have registered the job again: then it is not purged.
        const { body: stopped } = await client.jobs.find(id, where);
        if (stopped && !(stopped.Stop && stopped.JobModifyIndex === stop.JobModifyIndex))
          return step.result(
            'failed',
            `job ${id} changed while it was stopping (modify index ${stop.JobModifyIndex} → ${stopped.JobModifyIndex}); stopped, not purged`,
            { stale: true },
          );
        const purged = await client.jobs.deregister(id, { ...where, purge: true });
        step.written = { jobModifyIndex: purged.JobModifyIndex };
      }
    }
    return step.result(options.detach ? 'registered' : 'succeeded', purge ? 'purged' : 'stopped');
  } catch (error) {
    return step.failed(error);
  }
}
