import {
  NomadEnforceVersionError,
  NomadNotFoundError,
  NomadServerError,
  NomadValidationError,
} from '../../../src/nomad/errors.js';
import {
  batchJob,
  runFor,
  serviceJob,
  startSimulatedNomad,
  withImage,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

describe('JobsApi against the simulator', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  describe('list', () => {
    beforeEach(async () => {
      env.sim.createNamespace('shop');
      await env.nomad.jobs.register({ Job: serviceJob('web', { Meta: { 'drover.stack': 'shop' } }) });
      await env.nomad.jobs.register({ Job: serviceJob('worker') });
      await env.nomad.jobs.register(
        { Job: serviceJob('api', { Meta: { 'drover.stack': 'shop' } }) },
        { namespace: 'shop' },
      );
    });

    it('lists one namespace sorted by ID, or every namespace with "*"', async () => {
      expect((await env.nomad.jobs.list()).body.map((j) => j.ID)).toEqual(['web', 'worker']);
      const all = (await env.nomad.jobs.list({ namespace: '*' })).body;
      expect(all.map((j) => `${j.Namespace}/${j.ID}`)).toEqual(['shop/api', 'default/web', 'default/worker']);
    });

    it('filters by prefix and by a go-bexpr expression on Meta, which ?meta=true includes', async () => {
      expect((await env.nomad.jobs.list({ prefix: 'wo' })).body.map((j) => j.ID)).toEqual(['worker']);
      const owned = await env.nomad.jobs.list({
        namespace: '*',
        meta: true,
        filter: 'Meta["drover.stack"] == "shop"',
      });
      expect(owned.body.map((j) => j.ID)).toEqual(['api', 'web']);
      expect(owned.body[0]!.Meta).toEqual({ 'drover.stack': 'shop' });
      expect((await env.nomad.jobs.list()).body[0]).not.toHaveProperty('Meta');
    });

    it('rejects a malformed filter with 400', async () => {
      await expect(env.nomad.jobs.list({ filter: 'Meta[' })).rejects.toBeInstanceOf(NomadValidationError);
    });

    it('pages with per_page and next_token, and listAll follows the pages', async () => {
      const first = await env.nomad.jobs.list({ namespace: '*', perPage: 2 });
      expect(first.body).toHaveLength(2);
      expect(first.meta.nextToken).toBe('default.worker');
      const second = await env.nomad.jobs.list({
        namespace: '*',
        perPage: 2,
        nextToken: first.meta.nextToken,
      });
      expect(second.body.map((j) => j.ID)).toEqual(['worker']);
      expect(second.meta.nextToken).toBeUndefined();
      expect((await env.nomad.jobs.listAll({ namespace: '*', perPage: 1 })).map((j) => j.ID)).toEqual([
        'api',
        'web',
        'worker',
      ]);
    });
  });

  it('registers a job with its submission and reads the server copy with defaults filled in', async () => {
    const response = await env.nomad.jobs.register({
      Job: serviceJob('web'),
      Submission: { Source: 'job "web" {}', Format: 'hcl2', VariableFlags: { image: 'app' } },
    });
    expect(response.EvalID).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.Warnings).toBe('');
    const { body: job, meta } = await env.nomad.jobs.read('web');
    expect(meta.index).toBe(job.ModifyIndex);
    expect(job).toMatchObject({
      Region: 'global',
      Namespace: 'default',
      Datacenters: ['*'],
      NodePool: 'default',
      Priority: 50,
      Version: 0,
      Status: 'pending',
      JobModifyIndex: response.JobModifyIndex,
    });
    expect(job.TaskGroups![0]!.Tasks![0]!.LogConfig).toEqual({
      MaxFiles: 10,
      MaxFileSizeMB: 10,
      Disabled: false,
    });
    const submission = (await env.nomad.jobs.submission('web', 0)).body;
    expect(submission).toMatchObject({
      Source: 'job "web" {}',
      Format: 'hcl2',
      VariableFlags: { image: 'app' },
      JobID: 'web',
      Version: 0,
    });
    await expect(env.nomad.jobs.submission('web', 3)).rejects.toMatchObject({
      status: 404,
      body: 'job source not found',
    });
  });

  it('registering an unchanged job keeps the version and still creates an evaluation', async () => {
    const first = await env.nomad.jobs.register({ Job: serviceJob('web') });
    const again = await env.nomad.jobs.register({ Job: serviceJob('web') });
    expect(again.EvalID).not.toBe(first.EvalID);
    expect((await env.nomad.jobs.read('web')).body.Version).toBe(0);
  });

  it('reports Nomad validation failures as 500 multierror text', async () => {
    const error = await env.nomad.jobs.register({ Job: { ID: 'bad', TaskGroups: [] } }).catch((e) => e);
    expect(error).toBeInstanceOf(NomadServerError);
    expect(error.body).toBe('1 error occurred:\n\t* Missing job task groups\n\n');
    const validation = await env.nomad.jobs.validate({
      ID: 'bad',
      TaskGroups: [{ Name: 'g', Tasks: [{ Name: 't' }] }],
    });
    expect(validation.ValidationErrors).toEqual([
      'Task group g validation failed: 1 error occurred:\n\t* Task t validation failed: 1 error occurred:\n\t* Missing task driver\n\n\n\n',
    ]);
    expect((await env.nomad.jobs.validate(serviceJob('ok'))).ValidationErrors).toBeNull();
  });

  it('stops, starts and purges a job; stopping an unknown job answers empty fields', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    const stopped = await env.nomad.jobs.deregister('web');
    expect(stopped.EvalID).not.toBe('');
    expect((await env.nomad.jobs.read('web')).body).toMatchObject({ Stop: true, Version: 1 });
    await env.nomad.jobs.start('web');
    expect((await env.nomad.jobs.read('web')).body).toMatchObject({ Stop: false, Version: 2 });
    await env.nomad.jobs.deregister('web', { purge: true });
    await expect(env.nomad.jobs.read('web')).rejects.toBeInstanceOf(NomadNotFoundError);
    expect(await env.nomad.jobs.deregister('ghost')).toMatchObject({ EvalID: '', JobModifyIndex: 0 });
  });

  it('plans with a diff and scheduler annotations, storing nothing', async () => {
    const created = await env.nomad.jobs.plan(serviceJob('web'));
    expect(created.Diff?.Type).toBe('Added');
    expect(created.JobModifyIndex).toBe(0);
    expect(created.Annotations?.DesiredTGUpdates?.web).toMatchObject({ Place: 2 });
    await expect(env.nomad.jobs.read('web')).rejects.toBeInstanceOf(NomadNotFoundError);

    await env.nomad.jobs.register({ Job: serviceJob('web') });
    runFor(env.sim, 20_000);
    const current = (await env.nomad.jobs.read('web')).body;
    const update = await env.nomad.jobs.plan(withImage(serviceJob('web'), 'example/app:2.0'));
    expect(update.JobModifyIndex).toBe(current.JobModifyIndex);
    const task = update.Diff!.TaskGroups![0]!.Tasks![0]!;
    expect(task.Annotations).toEqual(['forces create/destroy update']);
    expect(task.Objects![0]).toMatchObject({
      Name: 'Config',
      Type: 'Edited',
      Fields: [{ Name: 'image', Old: 'example/app:1.0', New: 'example/app:2.0', Type: 'Edited' }],
    });
    expect(update.Annotations!.DesiredTGUpdates!.web).toMatchObject({ DestructiveUpdate: 1, Ignore: 1 });
    expect(update.Diff!.TaskGroups![0]!.Updates).toEqual({ 'create/destroy update': 1, ignore: 1 });

    const none = await env.nomad.jobs.plan(serviceJob('web'));
    expect(none.Diff!.Type).toBe('None');
  });

  it("plan reports placement failures with Nomad's metrics", async () => {
    env.sim.script('web', { kind: 'unplaceable-resources' });
    const plan = await env.nomad.jobs.plan(serviceJob('web'));
    expect(plan.FailedTGAllocs?.web).toMatchObject({
      NodesEvaluated: 3,
      NodesExhausted: 3,
      DimensionExhausted: { memory: 3 },
      CoalescedFailures: 1,
    });
    expect(plan.CreatedEvals?.[0]).toMatchObject({
      Status: 'blocked',
      StatusDescription: 'created to place remaining allocations',
    });
  });

  it('plan refuses a job whose ID does not match the URL', async () => {
    const error = await env.nomad.jobs.plan({ Name: 'x' }).catch((e) => e);
    expect(error).toBeInstanceOf(NomadValidationError);
  });

  it('keeps versions, diffs them, reverts and marks versions stable', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    await env.nomad.jobs.register({ Job: withImage(serviceJob('web'), 'example/app:2.0') });
    const versions = (await env.nomad.jobs.versions('web', { diffs: true })).body;
    expect(versions.Versions.map((v) => v.Version)).toEqual([1, 0]);
    expect(versions.Diffs).toHaveLength(1);
    expect(versions.Diffs![0]!.Type).toBe('Edited');

    await env.nomad.jobs.setStable('web', 0, true);
    expect((await env.nomad.jobs.versions('web')).body.Versions[1]!.Stable).toBe(true);

    await env.nomad.jobs.revert('web', 0);
    const reverted = (await env.nomad.jobs.read('web')).body;
    expect(reverted.Version).toBe(2);
    expect(reverted.TaskGroups![0]!.Tasks![0]!.Config).toEqual({ image: 'example/app:1.0' });
    await expect(env.nomad.jobs.revert('web', 2)).rejects.toMatchObject({
      body: "can't revert to current version",
    });
    const moved = env.nomad.jobs.revert('web', 1, { enforcePriorVersion: 1 });
    await expect(moved).rejects.toBeInstanceOf(NomadEnforceVersionError);
    await expect(moved).rejects.toMatchObject({
      body: 'Current job has version 2; enforcing version 1',
      actualVersion: 2,
      expectedVersion: 1,
    });
    await expect(env.nomad.jobs.versions('ghost')).rejects.toMatchObject({
      status: 404,
      body: 'job versions not found',
    });
  });

  it('lists allocations, evaluations, deployments and the summary of a rollout', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    expect((await env.nomad.jobs.latestDeployment('web')).body).toBeNull();
    runFor(env.sim, 20_000);
    const allocs = (await env.nomad.jobs.allocations('web')).body;
    expect(allocs.map((a) => a.Name).sort()).toEqual(['web.web[0]', 'web.web[1]']);
    expect(allocs.every((a) => a.ClientStatus === 'running' && a.DeploymentStatus?.Healthy === true)).toBe(
      true,
    );
    const evals = (await env.nomad.jobs.evaluations('web')).body;
    expect(evals[0]).toMatchObject({ TriggeredBy: 'job-register', Status: 'complete' });
    const deployments = (await env.nomad.jobs.deployments('web')).body;
    expect(deployments).toHaveLength(1);
    expect((await env.nomad.jobs.latestDeployment('web')).body).toMatchObject({
      Status: 'successful',
      StatusDescription: 'Deployment completed successfully',
    });
    expect((await env.nomad.jobs.summary('web')).body.Summary.web).toMatchObject({ Running: 2, Starting: 0 });
    expect((await env.nomad.jobs.read('web')).body).toMatchObject({ Status: 'running', Stable: true });
    await expect(env.nomad.jobs.summary('ghost')).rejects.toBeInstanceOf(NomadNotFoundError);
  });

  it('scales a group and reports scale status; scaling is refused during a deployment', async () => {
    await env.nomad.jobs.register({ Job: serviceJob('web') });
    env.sim.advance(100);
    await expect(env.nomad.jobs.scale('web', { Count: 3, Target: { Group: 'web' } })).rejects.toMatchObject({
      status: 400,
      body: 'job scaling blocked due to active deployment',
    });
    runFor(env.sim, 20_000);
    await env.nomad.jobs.scale('web', { Count: 3, Target: { Group: 'web' }, Message: 'more' });
    runFor(env.sim, 20_000);
    const status = (await env.nomad.jobs.scaleStatus('web')).body;
    expect(status.TaskGroups.web).toMatchObject({ Desired: 3, Running: 3 });
    await expect(env.nomad.jobs.scale('web', { Count: 1, Target: { Group: 'nope' } })).rejects.toBeInstanceOf(
      NomadValidationError,
    );
  });

  it('dispatches a parameterized job and forces a periodic one', async () => {
    await env.nomad.jobs.register({
      Job: batchJob('report', { ParameterizedJob: { Payload: 'optional', MetaRequired: null } }),
    });
    const dispatched = await env.nomad.jobs.dispatch('report', {
      payload: Buffer.from('hello'),
      meta: { day: 'mon' },
    });
    expect(dispatched.DispatchedJobID).toMatch(/^report\/dispatch-\d+-[0-9a-f]{8}$/);
    const child = (await env.nomad.jobs.read(dispatched.DispatchedJobID)).body;
    expect(child).toMatchObject({ ParentID: 'report', Dispatched: true, Meta: { day: 'mon' } });
    await expect(env.nomad.jobs.dispatch('ghost')).rejects.toBeInstanceOf(NomadServerError);

    await env.nomad.jobs.register({
      Job: batchJob('nightly', { Periodic: { Spec: '0 3 * * *', SpecType: 'cron' } }),
    });
    const forced = await env.nomad.jobs.forcePeriodic('nightly');
    expect(forced.EvalID).not.toBe('');
    expect((await env.nomad.jobs.list({ prefix: 'nightly/periodic-' })).body).toHaveLength(1);
    await expect(env.nomad.jobs.forcePeriodic('report')).rejects.toMatchObject({
      body: "can't force launch non-periodic job",
    });
  });

  it("reaches Nomad's parse endpoint (error paths only: the simulator has no HCL parser)", async () => {
    await expect(env.nomad.jobs.parse({ jobHCL: '' })).rejects.toMatchObject({
      status: 400,
      body: 'Job spec is empty',
    });
    const sent = await env.nomad.jobs.parse({ jobHCL: 'job "x" {}' }).catch((e) => e);
    expect(sent).toBeInstanceOf(NomadValidationError);
    expect(sent.body).toMatch(/^Failed to parse job: /);
  });
});
