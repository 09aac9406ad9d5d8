import type { NomadClient } from '../../../src/nomad/client.js';
import type { DesiredUpdates, Job, JobDiff } from '../../../src/nomad/types.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { stamp } from '../../../src/plan/ownership.js';
import { settings } from '../../support/plan-env.js';
import { serviceJob } from '../../support/simulated-nomad.js';

const updates = (counts: Partial<DesiredUpdates>): DesiredUpdates => ({
  Ignore: 0,
  Place: 0,
  Migrate: 0,
  Stop: 0,
  InPlaceUpdate: 0,
  DestructiveUpdate: 0,
  Canary: 0,
  Preemptions: 0,
  ...counts,
});

/** A Nomad whose plan endpoint answers with this diff and these scheduler annotations for a live job. */
function nomadAnswering(
  diff: JobDiff,
  annotations: Record<string, DesiredUpdates>,
  extra: Partial<Job> = {},
): NomadClient {
  const live: Job = {
    ...stamp(serviceJob('web', extra), 'drover.stack', 'shop'),
    Namespace: 'default',
    JobModifyIndex: 40,
  };
  return {
    address: 'http://nomad.test:4646',
    jobs: {
      find: async () => ({ body: live }),
      plan: async () => ({
        Diff: diff,
        Annotations: { DesiredTGUpdates: annotations, PreemptedAllocs: null },
        FailedTGAllocs: null,
        JobModifyIndex: 40,
        Warnings: '',
      }),
    },
  } as unknown as NomadClient;
}

const quietDiff = (fields: JobDiff['Fields']): JobDiff => ({
  Type: fields ? 'Edited' : 'None',
  ID: 'web',
  Fields: fields,
  Objects: null,
  TaskGroups: [{ Type: 'None', Name: 'web', Fields: null, Objects: null, Tasks: [], Updates: null }],
});

describe("Nomad's scheduler annotations decide whether a job is a no-op", () => {
  it('is an update, with the counts and the reason, when allocations would be replaced behind a hidden field', async () => {
    const plan = await buildPlan({
      client: nomadAnswering(
        quietDiff([{ Type: 'Edited', Name: 'VaultToken', Old: 'a', New: 'b', Annotations: null }]),
        { web: updates({ DestructiveUpdate: 2 }) },
      ),
      desired: [{ job: serviceJob('web') }],
      settings: settings(),
    });
    expect(plan.changes[0]).toMatchObject({
      action: 'update',
      annotations: { web: { DestructiveUpdate: 2 } },
    });
    expect(plan.changes[0]!.warnings).toEqual([
      'No field shown changes, but Nomad would in group "web" replace 2 allocations (fields drover hides changed: VaultToken).',
    ]);
  });

  it('is an update when Nomad would place allocations for an unchanged spec (lost or failed ones)', async () => {
    const plan = await buildPlan({
      client: nomadAnswering(quietDiff(null), { web: updates({ Place: 1, Ignore: 1 }) }),
      desired: [{ job: serviceJob('web') }],
      settings: settings(),
    });
    expect(plan.changes[0]!.action).toBe('update');
    expect(plan.changes[0]!.warnings[0]).toBe(
      'No field shown changes, but Nomad would in group "web" place 1 allocation.',
    );
  });

  it('stays a no-op when Nomad would leave every allocation alone', async () => {
    const plan = await buildPlan({
      client: nomadAnswering(quietDiff(null), { web: updates({ Ignore: 2 }) }),
      desired: [{ job: serviceJob('web') }],
      settings: settings(),
    });
    expect(plan.changes[0]).toMatchObject({ action: 'noop', warnings: [] });
  });

  it("stays a no-op for a periodic job, whose registration Nomad never evaluates (a real agent reports 'place 1')", async () => {
    const periodic = { Periodic: { Enabled: true, Spec: '0 3 * * *', SpecType: 'cron' } } as Partial<Job>;
    const plan = await buildPlan({
      client: nomadAnswering(quietDiff(null), { web: updates({ Place: 1 }) }, periodic),
      desired: [{ job: serviceJob('web', periodic) }],
      settings: settings(),
    });
    expect(plan.changes[0]).toMatchObject({ action: 'noop', warnings: [] });
  });
});
