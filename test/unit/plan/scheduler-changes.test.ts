import type { NomadClient } from '../../../src/nomad/client.js';
import type { DesiredUpdates, Job, JobDiff } from '../../../src/nomad/types.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { stamp } from '../../../src/plan/ownership.js';
import { settings } from '../../support/plan-env.js';
import { warningsOf } from '../../support/plan-changes.js';
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
  allocations: ReadonlyArray<{
    TaskGroup: string;
    ClientStatus: string;
    JobVersion: number;
    DesiredStatus?: string;
  }> = [],
): NomadClient {
  const live: Job = {
    ...stamp(serviceJob('web', extra), 'drover.stack', 'shop'),
    Namespace: 'default',
    JobModifyIndex: 40,
    Version: 3,
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
      allocations: async () => ({ body: allocations }),
    },
  } as unknown as NomadClient;
}

/** Registered with ACLs on: the live job carries the registering token's accessor, which Job.Plan never stamps. */
const ACL_STAMP = { NomadTokenID: '5b0e3c1d-0000-4000-8000-000000000001' } as Partial<Job>;

async function planOf(client: NomadClient, extra: Partial<Job> = {}) {
  const plan = await buildPlan({
    client,
    desired: { job: { jobs: [{ job: serviceJob('web', extra) }] } },
    settings: settings(),
  });
  return plan.changes[0]!;
}

const quietDiff = (fields: JobDiff['Fields']): JobDiff => ({
  Type: fields ? 'Edited' : 'None',
  ID: 'web',
  Fields: fields,
  Objects: null,
  TaskGroups: [{ Type: 'None', Name: 'web', Fields: null, Objects: null, Tasks: [], Updates: null }],
});

describe("Nomad's scheduler annotations decide whether a job is a no-op", () => {
  it('is an update, with the counts, when a field changes and allocations would be replaced', async () => {
    const change = await planOf(
      nomadAnswering(
        quietDiff([{ Type: 'Edited', Name: 'Priority', Old: '50', New: '60', Annotations: null }]),
        { web: updates({ DestructiveUpdate: 2 }) },
        ACL_STAMP,
      ),
    );
    expect(change).toMatchObject({ action: 'update', annotations: { web: { DestructiveUpdate: 2 } } });
  });

  it('stays a no-op with ACLs on, where Nomad plans an unchanged job as a new version and updates in place', async () => {
    const change = await planOf(
      nomadAnswering(quietDiff(null), { web: updates({ InPlaceUpdate: 3 }) }, ACL_STAMP),
    );
    expect(change).toMatchObject({
      action: 'noop',
      notes: [],
      annotations: { web: { InPlaceUpdate: 0, Ignore: 3 } },
    });
  });

  it('stays a no-op for an unchanged system job, whose Place counts every node it keeps', async () => {
    const system = { Type: 'system' } as Partial<Job>;
    for (const counts of [
      { Place: 2, Ignore: 2 },
      { Place: 2, InPlaceUpdate: 2 },
    ]) {
      const change = await planOf(
        nomadAnswering(quietDiff(null), { web: updates(counts) }, { ...system, ...ACL_STAMP }),
        system,
      );
      expect(change).toMatchObject({ action: 'noop', annotations: { web: { Place: 0, Ignore: 2 } } });
    }
  });

  it('is an update when a system job has a node without its allocation (Place beyond what it keeps)', async () => {
    const system = { Type: 'system' } as Partial<Job>;
    const change = await planOf(
      nomadAnswering(quietDiff(null), { web: updates({ Place: 3, Ignore: 2 }) }, system),
      system,
    );
    expect(change.action).toBe('update');
    expect(warningsOf(change)[0]).toBe(
      'No field shown changes, but Nomad would in group "web" place 1 allocation.',
    );
  });

  it('stays a no-op for a completed batch job with ACLs on, whose plan places its completed allocations again', async () => {
    const batch = { Type: 'batch', ...ACL_STAMP } as Partial<Job>;
    const done = { TaskGroup: 'web', ClientStatus: 'complete', JobVersion: 3 };
    const change = await planOf(
      nomadAnswering(quietDiff(null), { web: updates({ Place: 2, Ignore: 2 }) }, batch, [done, done]),
      batch,
    );
    expect(change).toMatchObject({ action: 'noop', annotations: { web: { Place: 0, Ignore: 2 } } });
  });

  it('places again only what did not complete at the live version (a lost batch allocation)', async () => {
    const batch = { Type: 'batch', ...ACL_STAMP } as Partial<Job>;
    const change = await planOf(
      nomadAnswering(quietDiff(null), { web: updates({ Place: 2, Ignore: 1 }) }, batch, [
        { TaskGroup: 'web', ClientStatus: 'complete', JobVersion: 3 },
        { TaskGroup: 'web', ClientStatus: 'complete', JobVersion: 2 },
      ]),
      batch,
    );
    expect(change.action).toBe('update');
    expect(warningsOf(change)[0]).toBe(
      'No field shown changes, but Nomad would in group "web" place 1 allocation.',
    );
  });

  it("stays a no-op with ACLs on while canaries wait: Nomad's plan of a new version stops them and starts others", async () => {
    const running = (JobVersion: number) => ({
      TaskGroup: 'web',
      ClientStatus: 'running',
      DesiredStatus: 'run',
      JobVersion,
    });
    const change = await planOf(
      nomadAnswering(
        quietDiff(null),
        { web: updates({ Stop: 1, Canary: 1, Ignore: 2 }) },
        { ...ACL_STAMP, TaskGroups: [{ ...serviceJob('web').TaskGroups![0]!, Count: 2 }] },
        [running(2), running(2), running(3)],
      ),
      { TaskGroups: [{ ...serviceJob('web').TaskGroups![0]!, Count: 2 }] },
    );
    expect(change).toMatchObject({
      action: 'noop',
      annotations: { web: { Stop: 0, Canary: 0, Place: 0, Ignore: 3 } },
    });
  });

  it('places what is missing with ACLs on, counted from the allocations (one lost of two)', async () => {
    const change = await planOf(
      nomadAnswering(
        quietDiff(null),
        { web: updates({ Place: 1, InPlaceUpdate: 1 }) },
        { ...ACL_STAMP, TaskGroups: [{ ...serviceJob('web').TaskGroups![0]!, Count: 2 }] },
        [
          { TaskGroup: 'web', ClientStatus: 'running', DesiredStatus: 'run', JobVersion: 3 },
          { TaskGroup: 'web', ClientStatus: 'lost', DesiredStatus: 'stop', JobVersion: 3 },
        ],
      ),
      { TaskGroups: [{ ...serviceJob('web').TaskGroups![0]!, Count: 2 }] },
    );
    expect(change.action).toBe('update');
    expect(warningsOf(change)[0]).toBe(
      'No field shown changes, but Nomad would in group "web" place 1 allocation.',
    );
  });

  it('is an update when Nomad would place allocations for an unchanged spec (lost or failed ones)', async () => {
    const plan = await buildPlan({
      client: nomadAnswering(quietDiff(null), { web: updates({ Place: 1, Ignore: 1 }) }),
      desired: { job: { jobs: [{ job: serviceJob('web') }] } },
      settings: settings(),
    });
    expect(plan.changes[0]!.action).toBe('update');
    expect(warningsOf(plan.changes[0])[0]).toBe(
      'No field shown changes, but Nomad would in group "web" place 1 allocation.',
    );
  });

  it('stays a no-op when Nomad would leave every allocation alone', async () => {
    const plan = await buildPlan({
      client: nomadAnswering(quietDiff(null), { web: updates({ Ignore: 2 }) }),
      desired: { job: { jobs: [{ job: serviceJob('web') }] } },
      settings: settings(),
    });
    expect(plan.changes[0]).toMatchObject({ action: 'noop', notes: [] });
  });

  it("stays a no-op for a periodic job, whose registration Nomad never evaluates (a real agent reports 'place 1')", async () => {
    const periodic = { Periodic: { Enabled: true, Spec: '0 3 * * *', SpecType: 'cron' } } as Partial<Job>;
    const plan = await buildPlan({
      client: nomadAnswering(quietDiff(null), { web: updates({ Place: 1 }) }, periodic),
      desired: { job: { jobs: [{ job: serviceJob('web', periodic) }] } },
      settings: settings(),
    });
    expect(plan.changes[0]).toMatchObject({ action: 'noop', notes: [] });
  });
});
