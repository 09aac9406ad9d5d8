import type { Job } from '../../src/nomad/types.js';
import type { DesiredJob, JobsDesired } from '../../src/kinds/job/desired.js';
import { buildPlan, type BuildPlanOptions } from '../../src/plan/build-plan.js';
import type { PlanSettings } from '../../src/plan/model.js';
import { stamp } from '../../src/plan/ownership.js';
import type { SimulatedNomad } from './simulated-nomad.js';

export const settings = (overrides: Partial<PlanSettings> = {}): PlanSettings => ({
  cluster: 'default',
  address: 'http://nomad.test:4646',
  namespace: 'default',
  stack: 'shop',
  stampKey: 'drover.stack',
  prune: false,
  preserveCounts: false,
  targets: [],
  maskPatterns: ['token', 'secret', 'password', 'key', 'auth'],
  ...overrides,
});

export function planWith(
  env: SimulatedNomad,
  desired: ReadonlyArray<Job | DesiredJob>,
  overrides: Partial<PlanSettings> = {},
  options: Partial<Omit<BuildPlanOptions, 'desired'>> & Omit<JobsDesired, 'jobs'> = {},
) {
  const { dependsOn, dangerouslyAllowEmptyPrune, reparseSubmission, ...rest } = options;
  return buildPlan({
    client: env.nomad,
    desired: {
      job: {
        jobs: desired.map((d) => ('job' in d ? (d as DesiredJob) : { job: d as Job })),
        dependsOn,
        dangerouslyAllowEmptyPrune,
        reparseSubmission,
      },
    },
    settings: settings(overrides),
    now: () => new Date('2026-11-22T12:00:00Z'),
    ...rest,
  });
}

/** Registers jobs as drover would (stamped for the stack). */
export async function deployed(env: SimulatedNomad, jobs: readonly Job[], stack = 'shop'): Promise<void> {
  for (const job of jobs)
    await env.nomad.jobs.register({ Job: stack ? stamp(job, 'drover.stack', stack) : job });
}
