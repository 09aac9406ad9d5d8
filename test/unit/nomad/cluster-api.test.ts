import { NomadNotFoundError, NomadServerError } from '../../../src/nomad/errors.js';
import {
  runFor,
  serviceJob,
  startSimulatedNomad,
  withImage,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

describe('evaluations, deployments, allocations, agent', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  it('reads an evaluation (zero fields omitted), lists evaluations and their allocations', async () => {
    const { EvalID } = await env.nomad.jobs.register({ Job: serviceJob('web') });
    const pending = (await env.nomad.evaluations.read(EvalID)).body;
    expect(pending).toMatchObject({
      ID: EvalID,
      Status: 'pending',
      TriggeredBy: 'job-register',
      JobID: 'web',
      Type: 'service',
    });
    expect(pending).not.toHaveProperty('BlockedEval');
    env.sim.advance(100);
    expect((await env.nomad.evaluations.read(EvalID)).body.Status).toBe('complete');
    expect((await env.nomad.evaluations.list({ job: 'web' })).body.map((e) => e.ID)).toEqual([EvalID]);
    expect((await env.nomad.evaluations.allocations(EvalID)).body).toHaveLength(2);
    await expect(env.nomad.evaluations.read('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
      status: 404,
      body: 'eval not found',
    });
  });

  it('reads deployments and their allocations; fails and pauses them; refuses to promote without canaries ready', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    env.sim.advance(100);
    const deployment = (await env.nomad.jobs.latestDeployment('web')).body!;
    expect((await env.nomad.deployments.read(deployment.ID)).body.Status).toBe('running');
    expect((await env.nomad.deployments.list()).body.map((d) => d.ID)).toEqual([deployment.ID]);
    expect((await env.nomad.deployments.allocations(deployment.ID)).body).toHaveLength(2);

    const paused = await env.nomad.deployments.pause(deployment.ID, true);
    expect(paused.DeploymentModifyIndex).toBeGreaterThan(0);
    expect((await env.nomad.deployments.read(deployment.ID)).body).toMatchObject({
      Status: 'paused',
      StatusDescription: 'Deployment is paused',
    });
    await env.nomad.deployments.pause(deployment.ID, false);

    const failed = await env.nomad.deployments.fail(deployment.ID);
    expect(failed.RevertedJobVersion).toBeNull();
    expect((await env.nomad.deployments.read(deployment.ID)).body).toMatchObject({
      Status: 'failed',
      StatusDescription: 'Deployment marked as failed',
    });
    await expect(env.nomad.deployments.promote(deployment.ID)).rejects.toMatchObject({
      status: 500,
      body: "can't promote terminal deployment",
    });
    await expect(env.nomad.deployments.read('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(
      NomadNotFoundError,
    );
  });

  it('promotes canaries only once they are healthy', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web', {}, { Update: { Canary: 1, MaxParallel: 1 } }) });
    runFor(env.sim, 20_000);
    const current = (await env.nomad.jobs.read('web')).body;
    await env.nomad.jobs.register({
      Job: withImage(serviceJob('web', {}, { Update: { Canary: 1, MaxParallel: 1 } }), 'example/app:2.0'),
      EnforceIndex: true,
      JobModifyIndex: current.JobModifyIndex,
    });
    env.sim.advance(100);
    const deployment = (await env.nomad.jobs.latestDeployment('web')).body!;
    const early = await env.nomad.deployments.promote(deployment.ID).catch((e) => e);
    expect(early).toBeInstanceOf(NomadServerError);
    expect(early.body).toBe('1 error occurred:\n\t* Task group "web" has 0/1 healthy allocations\n\n');
    runFor(env.sim, 12_000);
    expect((await env.nomad.deployments.read(deployment.ID)).body.StatusDescription).toBe(
      'Deployment is running but requires manual promotion',
    );
    const promoted = await env.nomad.deployments.promote(deployment.ID, ['web']);
    expect(promoted.EvalID).not.toBe('');
    runFor(env.sim, 60_000);
    expect((await env.nomad.deployments.read(deployment.ID)).body.Status).toBe('successful');
  });

  it('reads, lists, stops and restarts allocations', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    runFor(env.sim, 20_000);
    const [stub] = (await env.nomad.allocations.list({ filter: 'TaskGroup == "web"' })).body;
    const alloc = (await env.nomad.allocations.read(stub!.ID)).body;
    expect(alloc).toMatchObject({
      ID: stub!.ID,
      JobID: 'web',
      ClientStatus: 'running',
      DesiredStatus: 'run',
    });
    expect(alloc.Job?.ID).toBe('web');
    expect(alloc.TaskStates?.app?.Events?.map((e) => e.Type)).toEqual(['Received', 'Task Setup', 'Started']);
    expect((await env.nomad.allocations.list({ taskStates: false })).body[0]!.TaskStates).toBeNull();

    await env.nomad.allocations.restart(stub!.ID, { task: 'app' });
    const restarted = (await env.nomad.allocations.read(stub!.ID)).body;
    expect(restarted.TaskStates?.app?.Restarts).toBe(1);
    expect(restarted.TaskStates?.app?.Events?.map((e) => e.Type)).toContain('Restart Signaled');

    const stop = await env.nomad.allocations.stop(stub!.ID);
    expect(stop.EvalID).not.toBe('');
    runFor(env.sim, 2_000);
    expect((await env.nomad.allocations.read(stub!.ID)).body).toMatchObject({
      DesiredStatus: 'stop',
      ClientStatus: 'complete',
    });
    // The follow-up evaluation replaced it.
    const live = (await env.nomad.jobs.allocations('web')).body.filter((a) => a.DesiredStatus === 'run');
    expect(live).toHaveLength(2);
    await expect(env.nomad.allocations.read('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
      body: 'alloc not found',
    });
    await expect(env.nomad.allocations.stop('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
      body: 'allocation not found',
    });
  });

  it('reads allocation stats and garbage-collects a stopped allocation', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    runFor(env.sim, 20_000);
    const [stub] = (await env.nomad.jobs.allocations('web')).body;
    const stats = (await env.nomad.allocations.stats(stub!.ID)).body;
    expect(stats.Tasks.app!.ResourceUsage.MemoryStats.RSS).toBeGreaterThan(0);
    expect(stats.ResourceUsage.CpuStats.Percent).toBeGreaterThan(0);
    await env.nomad.allocations.stop(stub!.ID);
    runFor(env.sim, 2_000);
    await env.nomad.allocations.gc(stub!.ID);
    await expect(env.nomad.clientFs.ls(stub!.ID)).rejects.toMatchObject({ status: 404 });
  });

  it('checks connectivity: agent self and the leader', async () => {
    const self = await env.nomad.agent.self();
    expect(self.config).toMatchObject({ Region: 'global', Datacenter: 'dc1' });
    expect(await env.nomad.agent.leader()).toBe('127.0.0.1:4647');
  });

  it('refuses a deployment write whose body names another deployment', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    env.sim.advance(100);
    const deployment = (await env.nomad.jobs.latestDeployment('web')).body!;
    const response = await fetch(`${env.sim.address}/v1/deployment/pause/${deployment.ID}`, {
      method: 'POST',
      body: JSON.stringify({ DeploymentID: 'other', Pause: true }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('Deployment ID does not match');
    await expect(env.nomad.deployments.pause('nope', true)).rejects.toBeInstanceOf(NomadServerError);
  });
});
