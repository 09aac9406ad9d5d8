import type { Allocation } from '../../src/nomad/types.js';
import {
  batchJob,
  runFor,
  serviceJob,
  startSimulatedNomad,
  withImage,
  type SimulatedNomad,
} from '../support/simulated-nomad.js';

describe('simulator: scheduler, clients and deployments', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  const allocs = async (job: string) => (await env.nomad.jobs.allocations(job)).body;
  const latest = async (job: string) => (await env.nomad.jobs.latestDeployment(job)).body!;
  const full = async (id: string) => (await env.nomad.allocations.read(id)).body as Allocation;
  const update = async (job: ReturnType<typeof serviceJob>) => {
    const current = (await env.nomad.jobs.read(job.ID!)).body;
    return env.nomad.jobs.register({ Job: job, EnforceIndex: true, JobModifyIndex: current.JobModifyIndex });
  };

  it('moves a first deployment through pending → running → healthy → successful on the clock', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    expect((await env.nomad.jobs.read('web')).body.Status).toBe('pending');
    env.sim.advance(50);
    expect((await allocs('web')).map((a) => a.ClientStatus)).toEqual(['pending', 'pending']);
    expect((await latest('web')).TaskGroups.web).toMatchObject({
      DesiredTotal: 2,
      PlacedAllocs: 2,
      HealthyAllocs: 0,
    });
    env.sim.advance(1000);
    expect((await allocs('web')).map((a) => a.ClientStatus)).toEqual(['running', 'running']);
    expect((await env.nomad.jobs.read('web')).body.Status).toBe('running');
    env.sim.advance(10_000);
    expect((await latest('web')).Status).toBe('successful');
    expect((await env.nomad.jobs.read('web')).body.Stable).toBe(true);
  });

  it('rolls a destructive update max_parallel at a time', async () => {
    const job = serviceJob('web', {}, { Count: 3, Update: { MaxParallel: 1, MinHealthyTime: 5e9 } });
    await env.nomad.jobs.register({ Job: job });
    runFor(env.sim, 20_000);
    await update(withImage(job, 'example/app:2.0'));
    let maxInFlight = 0;
    for (let t = 0; t < 60_000; t += 250) {
      env.sim.advance(250);
      const live = (await allocs('web')).filter((a) => a.DesiredStatus === 'run' && a.JobVersion === 1);
      maxInFlight = Math.max(maxInFlight, live.filter((a) => a.DeploymentStatus?.Healthy !== true).length);
    }
    expect(maxInFlight).toBe(1);
    const final = await allocs('web');
    expect(
      final
        .filter((a) => a.DesiredStatus === 'run')
        .map((a) => [a.Name, a.JobVersion])
        .sort(),
    ).toEqual([
      ['web.web[0]', 1],
      ['web.web[1]', 1],
      ['web.web[2]', 1],
    ]);
    expect(
      final
        .filter((a) => a.JobVersion === 0)
        .every((a) => a.DesiredStatus === 'stop' && a.ClientStatus === 'complete'),
    ).toBe(true);
    expect(final.find((a) => a.JobVersion === 0)!.DesiredDescription).toBe(
      'alloc is being updated due to job update',
    );
    expect((await latest('web')).Status).toBe('successful');
  });

  it('updates in place when only the update strategy changes: no new allocations', async () => {
    const job = serviceJob('web');
    await env.nomad.jobs.register({ Job: job });
    runFor(env.sim, 20_000);
    const before = (await allocs('web')).map((a) => a.ID).sort();
    await update({
      ...job,
      TaskGroups: [
        { ...job.TaskGroups![0]!, Tasks: [{ ...job.TaskGroups![0]!.Tasks![0]!, KillTimeout: 20e9 }] },
      ],
    });
    runFor(env.sim, 20_000);
    const after = await allocs('web');
    expect(after.map((a) => a.ID).sort()).toEqual(before);
    expect(after.every((a) => a.JobVersion === 1)).toBe(true);
    expect((await latest('web')).JobVersion).toBe(1);
  });

  it('fails a deployment whose task cannot start, with the task events a client writes', async () => {
    const job = serviceJob('web');
    await env.nomad.jobs.register({ Job: job });
    runFor(env.sim, 20_000);
    env.sim.script('web', {
      kind: 'driver-failure',
      version: 1,
      message: 'Failed to pull `example/app:bad`: manifest unknown',
      stderr: ['pull failed'],
    });
    await update(withImage(job, 'example/app:bad'));
    runFor(env.sim, 5_000);
    const deployment = await latest('web');
    expect(deployment).toMatchObject({
      JobVersion: 1,
      Status: 'failed',
      StatusDescription: 'Failed due to unhealthy allocations',
    });
    const failed = (await allocs('web')).find((a) => a.JobVersion === 1)!;
    expect(failed).toMatchObject({ ClientStatus: 'failed', ClientDescription: 'Failed tasks' });
    const events = (await full(failed.ID)).TaskStates!.app!.Events!;
    expect(events.map((e) => [e.Type, e.DisplayMessage])).toEqual([
      ['Received', 'Task received by client'],
      ['Driver Failure', 'Failed to pull `example/app:bad`: manifest unknown'],
      ['Not Restarting', 'Error was unrecoverable'],
    ]);
    expect((await env.nomad.clientFs.cat(failed.ID, 'alloc/logs/app.stderr.0')).toString()).toBe(
      'pull failed\n',
    );
    // Rolling stopped: the old version still serves.
    expect((await allocs('web')).filter((a) => a.JobVersion === 0 && a.DesiredStatus === 'run')).toHaveLength(
      1,
    );
  });

  it('auto-reverts to the last stable version and rolls that out', async () => {
    const job = serviceJob('web', {}, { Update: { AutoRevert: true } });
    await env.nomad.jobs.register({ Job: job });
    runFor(env.sim, 20_000);
    env.sim.script('web', { kind: 'crash-loop', version: 1, exitCode: 137 });
    await update(withImage(job, 'example/app:crashy'));
    runFor(env.sim, 120_000, 1000);
    const deployments = (await env.nomad.jobs.deployments('web')).body;
    expect(deployments.map((d) => [d.JobVersion, d.Status, d.StatusDescription])).toEqual([
      [2, 'successful', 'Deployment completed successfully'],
      [1, 'failed', 'Failed due to unhealthy allocations - rolling back to job version 0'],
      [0, 'successful', 'Deployment completed successfully'],
    ]);
    const current = (await env.nomad.jobs.read('web')).body;
    expect(current.Version).toBe(2);
    expect(current.TaskGroups![0]!.Tasks![0]!.Config).toEqual({ image: 'example/app:1.0' });
    const crashed = (await allocs('web')).find((a) => a.JobVersion === 1 && a.ClientStatus === 'failed')!;
    const events = (await full(crashed.ID)).TaskStates!.app!;
    expect(events.Restarts).toBe(2);
    expect(events.Events!.at(-1)).toMatchObject({
      Type: 'Not Restarting',
      DisplayMessage: 'Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"',
    });
    expect(events.Events!.filter((e) => e.Type === 'Terminated').map((e) => e.DisplayMessage)).toEqual([
      'Exit Code: 137',
      'Exit Code: 137',
      'Exit Code: 137',
    ]);
  });

  it('says so when there is no stable version to revert to', async () => {
    env.sim.script('web', { kind: 'unhealthy' });
    await env.nomad.jobs.register({
      Job: serviceJob('web', {}, { Update: { AutoRevert: true, HealthyDeadline: 60e9 } }),
    });
    runFor(env.sim, 70_000, 1000);
    expect((await latest('web')).StatusDescription).toBe(
      'Failed due to unhealthy allocations - no stable job version to auto revert to',
    );
  });

  it('fails a deployment that makes no progress by its progress deadline', async () => {
    const job = serviceJob('web', {}, { Update: { ProgressDeadline: 30e9 } });
    await env.nomad.jobs.register({ Job: job });
    runFor(env.sim, 20_000);
    env.sim.script('web', { kind: 'unplaceable-resources', version: 1 });
    await update(withImage(job, 'example/app:2.0'));
    runFor(env.sim, 29_000, 1000);
    expect((await latest('web')).Status).toBe('running');
    runFor(env.sim, 2_000, 1000);
    expect(await latest('web')).toMatchObject({
      Status: 'failed',
      StatusDescription: 'Failed due to progress deadline',
    });
  });

  it('leaves an unplaceable group queued behind a blocked evaluation with FailedTGAllocs', async () => {
    env.sim.script('web', { kind: 'unplaceable-constraint' });
    const { EvalID } = await env.nomad.jobs.register({ Job: serviceJob('web') });
    env.sim.advance(100);
    const evaluation = (await env.nomad.evaluations.read(EvalID)).body;
    expect(evaluation.Status).toBe('complete');
    expect(evaluation.FailedTGAllocs?.web).toMatchObject({
      NodesFiltered: 3,
      ConstraintFiltered: { '${attr.kernel.name} = windows': 3 },
    });
    const blocked = (await env.nomad.evaluations.read(evaluation.BlockedEval!)).body;
    expect(blocked).toMatchObject({
      Status: 'blocked',
      StatusDescription: 'created to place remaining allocations',
      QueuedAllocations: { web: 2 },
    });
    expect((await env.nomad.jobs.summary('web')).body.Summary.web!.Queued).toBe(2);
    expect(await allocs('web')).toEqual([]);
    // The deployment exists with nothing placed; its progress deadline decides (and the job counts as running).
    expect((await latest('web')).TaskGroups.web).toMatchObject({ PlacedAllocs: 0, DesiredTotal: 2 });
    expect((await env.nomad.jobs.read('web')).body.Status).toBe('running');
  });

  it('waits for manual promotion of canaries, or promotes them itself with auto_promote', async () => {
    const manual = serviceJob('web', {}, { Update: { Canary: 1 } });
    const auto = serviceJob('api', {}, { Update: { Canary: 1, AutoPromote: true } });
    await env.nomad.jobs.register({ Job: manual });
    await env.nomad.jobs.register({ Job: auto });
    runFor(env.sim, 20_000);
    await update(withImage(manual, 'example/app:2.0'));
    await update(withImage(auto, 'example/app:2.0'));
    runFor(env.sim, 15_000);
    const waiting = await latest('web');
    expect(waiting).toMatchObject({
      Status: 'running',
      StatusDescription: 'Deployment is running but requires manual promotion',
    });
    expect(waiting.TaskGroups.web).toMatchObject({ DesiredCanaries: 1, Promoted: false, HealthyAllocs: 1 });
    expect(
      (await allocs('web'))
        .filter((a) => a.DesiredStatus === 'run')
        .map((a) => a.JobVersion)
        .sort(),
    ).toEqual([0, 0, 1]);
    // Planned meanwhile, as Nomad 2.0.5 plans it (checked on the agent): the waiting canary is ignored when the
    // job is unchanged, and replaced by a new one when it changes again.
    const stored = (await env.nomad.jobs.read('web')).body;
    const unchanged = await env.nomad.jobs.plan(stored);
    expect(unchanged.Annotations!.DesiredTGUpdates!.web).toMatchObject({ Ignore: 3, Stop: 0, Canary: 0 });
    const changed = await env.nomad.jobs.plan(withImage(stored, 'example/app:3.0'));
    expect(changed.Annotations!.DesiredTGUpdates!.web).toMatchObject({ Ignore: 2, Stop: 1, Canary: 1 });
    runFor(env.sim, 60_000);
    expect((await latest('api')).Status).toBe('successful');
    expect((await latest('api')).TaskGroups.web!.Promoted).toBe(true);
  });

  it('cancels a running deployment when a newer version is registered', async () => {
    const job = serviceJob('web');
    await env.nomad.jobs.register({ Job: job });
    env.sim.advance(100);
    const first = await latest('web');
    await update(withImage(job, 'example/app:2.0'));
    env.sim.advance(100);
    expect((await env.nomad.deployments.read(first.ID)).body).toMatchObject({
      Status: 'cancelled',
      StatusDescription: 'Cancelled due to newer version of job',
    });
  });

  it('stops a job: allocations stop, the deployment is cancelled, the job goes dead', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    env.sim.advance(2000);
    await env.nomad.jobs.deregister('web');
    runFor(env.sim, 2_000);
    expect(
      (await allocs('web')).every((a) => a.DesiredStatus === 'stop' && a.ClientStatus === 'complete'),
    ).toBe(true);
    expect(await latest('web')).toMatchObject({
      Status: 'cancelled',
      StatusDescription: 'Cancelled because job is stopped',
    });
    expect((await env.nomad.jobs.read('web')).body.Status).toBe('dead');
    const killed = await full((await allocs('web'))[0]!.ID);
    expect(killed.TaskStates!.app!.Events!.map((e) => e.Type).slice(-3)).toEqual([
      'Killing',
      'Terminated',
      'Killed',
    ]);
  });

  it('runs batch jobs to completion, and fails them on a non-zero exit after their restarts', async () => {
    await env.nomad.jobs.register({ Job: batchJob('ok') });
    env.sim.script('bad', { kind: 'exit-code', exitCode: 3, stderr: ['relation "users" does not exist'] });
    await env.nomad.jobs.register({
      Job: batchJob('bad', {
        TaskGroups: [{ ...batchJob('bad').TaskGroups![0]!, RestartPolicy: { Attempts: 1, Delay: 1e9 } }],
      }),
    });
    runFor(env.sim, 20_000);
    const [ok] = await allocs('ok');
    expect(ok).toMatchObject({ ClientStatus: 'complete', ClientDescription: 'All tasks have completed' });
    expect((await env.nomad.jobs.read('ok')).body.Status).toBe('dead');
    expect(await latest('ok')).toBeNull();
    const [bad] = await allocs('bad');
    expect(bad!.ClientStatus).toBe('failed');
    const state = (await full(bad!.ID)).TaskStates!.migrate!;
    expect(state.Events!.filter((e) => e.Type === 'Terminated').map((e) => e.DisplayMessage)).toEqual([
      'Exit Code: 3',
      'Exit Code: 3',
    ]);
    expect(state.Events!.at(-1)!.DisplayMessage).toBe(
      'Exceeded allowed attempts 1 in interval 24h0m0s and mode is "fail"',
    );
    expect((await env.nomad.clientFs.logsPlain(bad!.ID, 'migrate', { type: 'stderr' })).toString()).toContain(
      'relation "users" does not exist',
    );
  });

  it('places one allocation of a system job on every node, without a deployment', async () => {
    await env.nomad.jobs.register({ Job: { ...serviceJob('agent'), Type: 'system' } });
    runFor(env.sim, 5_000);
    const placed = await allocs('agent');
    expect(new Set(placed.map((a) => a.NodeID)).size).toBe(3);
    expect(placed.every((a) => a.ClientStatus === 'running')).toBe(true);
    expect(await latest('agent')).toBeNull();
  });

  it('rewrites the job with a new ModifyIndex when its status changes, waking blocking reads', async () => {
    const registered = await env.nomad.jobs.register({ Job: serviceJob('web') });
    const before = (await env.nomad.jobs.read('web')).body;
    expect(before.ModifyIndex).toBe(registered.JobModifyIndex);
    const watch = env.nomad.watch((q) => env.nomad.jobs.read('web', q), {
      wait: '10s',
      startIndex: before.ModifyIndex,
    });
    const next = watch.next();
    env.sim.advance(1100);
    const changed = await next;
    expect(changed.value.Status).toBe('running');
    expect(changed.value.ModifyIndex).toBeGreaterThan(before.ModifyIndex!);
    expect(changed.value.JobModifyIndex).toBe(before.JobModifyIndex);
  });
});
