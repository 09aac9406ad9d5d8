/**
 * Jobs, the first kind: planned through Nomad's plan endpoint, registered in the waves their depends_on make,
 * followed through evaluations, deployments and allocations to the end.
 */
import { EventFeed } from '../../watch/event-feed.js';
import { blockingQueries } from '../../watch/state-source.js';
import type { Kind, KindRun } from '../kind.js';
import { deleteJob } from './apply-delete.js';
import { promoteJob } from './apply-promote.js';
import { registerJob } from './apply-register.js';
import type { JobChange } from './change.js';
import type { JobsDesired } from './desired.js';
import type { JobStepContext } from './job-step.js';
import { planJobs } from './plan-jobs.js';
import { staleJobChanges } from './stale.js';

export const jobKind: Kind<'job', JobChange, JobsDesired> = {
  name: 'job',
  after: ['node-pool', 'namespace'],
  plan: planJobs,
  staleChanges: staleJobChanges,
  open(options, changes): KindRun<JobChange> {
    // One event-stream connection follows every job of the apply (blocking queries when it cannot be had).
    const feed =
      options.watchWith === 'blocking' || options.detach
        ? undefined
        : new EventFeed({
            client: options.client,
            jobs: changes
              .filter((c) => c.action !== 'noop')
              .map((c) => ({ id: c.address.name, namespace: c.address.namespace })),
            logger: options.logger,
            wait: options.wait,
          });
    const source = feed ?? blockingQueries(options.client, options.wait);
    return {
      apply(change, bound, emit) {
        const context: JobStepContext = { options, source, bound, emit };
        switch (change.action) {
          case 'promote':
            return promoteJob(change, context);
          case 'delete':
            return deleteJob(change, context);
          case 'noop':
            throw new Error('a noop change is not carried out');
          default:
            return registerJob(change, context);
        }
      },
      close: async () => feed?.close(),
    };
  },
};
