import { NomadPermissionError } from '../../../src/nomad/errors.js';
import { planForDisplay } from '../../../src/plan/mask.js';
import { renderPlanHuman } from '../../../src/render/plan-human.js';
import {
  batchJob,
  runFor,
  serviceJob,
  startSimulatedNomad,
  withImage,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';
import { deployed, planWith } from '../../support/plan-env.js';
import { jobOf, keyOf, registration, warningsOf } from '../../support/plan-changes.js';

describe('buildPlan against the simulator', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  const summary = (plan: Awaited<ReturnType<typeof planWith>>) =>
    plan.changes.map((c) => `${c.wave + 1} ${c.action} ${keyOf(c)}`);

  it("creates a job Nomad does not have, with the scheduler's placements", async () => {
    const plan = await planWith(env, [serviceJob('web')]);
    expect(summary(plan)).toEqual(['1 create default/web']);
    const [web] = plan.changes;
    expect(web).toMatchObject({
      jobModifyIndex: 0,
      computedLocally: false,
      annotations: { web: { Place: 2 } },
    });
    expect(registration(web).job.Meta).toEqual({ 'drover.stack': 'shop' });
  });

  it('finds nothing to do for a job that matches, in at most two requests', async () => {
    await deployed(env, [serviceJob('web')]);
    runFor(env.sim, 20_000);
    const before = env.sim.requests.length;
    const plan = await planWith(env, [serviceJob('web')]);
    expect(summary(plan)).toEqual(['1 noop default/web']);
    expect(env.sim.requests.slice(before)).toEqual(['GET /v1/job/web', 'PUT /v1/job/web/plan']);
    expect(jobOf(plan.changes[0]).jobModifyIndex).toBe(
      (await env.nomad.jobs.read('web')).body.JobModifyIndex,
    );
  });

  it("updates a changed job, with Nomad's diff and annotations; the stamp is not a change", async () => {
    await deployed(env, [serviceJob('web')]);
    runFor(env.sim, 20_000);
    const plan = await planWith(env, [withImage(serviceJob('web'), 'example/app:2.0')]);
    const [change] = plan.changes;
    expect(change).toMatchObject({
      action: 'update',
      annotations: { web: { DestructiveUpdate: 1, Ignore: 1 } },
    });
    expect(registration(change).diff!.TaskGroups![0]!.Tasks![0]!.Objects![0]!.Fields).toEqual([
      { Type: 'Edited', Name: 'image', Old: 'example/app:1.0', New: 'example/app:2.0', Annotations: null },
    ]);
  });

  it('starts a stopped job and adopts one without the stamp (with a warning)', async () => {
    await deployed(env, [serviceJob('stopped')]);
    await env.nomad.jobs.deregister('stopped');
    await deployed(env, [serviceJob('legacy')], '');
    const plan = await planWith(env, [serviceJob('stopped'), serviceJob('legacy')]);
    expect(summary(plan)).toEqual(['1 adopt default/legacy', '1 start default/stopped']);
    expect(warningsOf(plan.changes[0])[0]).toBe(
      'drover takes this job over by adding meta "drover.stack" = "shop"; Nomad replaces its allocations for a meta change.',
    );
    expect(registration(plan.changes[0]).ignoredFields).toBe(1);
  });

  it('refuses a job another stack owns', async () => {
    await deployed(env, [serviceJob('web')], 'other');
    await expect(planWith(env, [serviceJob('web')])).rejects.toThrow(
      'job default/web belongs to stack "other", not "shop"',
    );
  });

  describe('prune', () => {
    beforeEach(async () => {
      env.sim.createNamespace('batch');
      await deployed(env, [
        serviceJob('keep'),
        serviceJob('gone'),
        serviceJob('gone-too', { Meta: { 'drover.depends_on': 'gone' } }),
      ]);
      await env.nomad.jobs.register(
        { Job: { ...batchJob('report'), Meta: { 'drover.stack': 'shop' } } },
        { namespace: 'batch' },
      );
      await deployed(env, [serviceJob('not-mine')], '');
      await deployed(env, [serviceJob('theirs')], 'other');
      await deployed(env, [{ ...batchJob('nightly/periodic-1'), ParentID: 'nightly' }]);
      runFor(env.sim, 20_000);
    });

    it("deletes only this stack's stamped jobs that no file declares, dependents first, across namespaces", async () => {
      const plan = await planWith(env, [serviceJob('keep')], { prune: true });
      // gone-too depends on gone, so it goes first; report depends on nothing and goes with the last wave.
      expect(summary(plan)).toEqual([
        '1 noop default/keep',
        '2 delete default/gone-too',
        '3 delete default/gone',
        '3 delete batch/report',
      ]);
      // What the graph of the plan draws its arrows from: gone-too is deleted before gone.
      expect(plan.changes.map((c) => jobOf(c).dependsOn)).toEqual([
        undefined,
        ['gone'],
        undefined,
        undefined,
      ]);
      expect(env.sim.requests.filter((r) => r === 'GET /v1/jobs')).toHaveLength(1);
    });

    it('needs a stack, and refuses to delete everything unless told so dangerously', async () => {
      await expect(planWith(env, [serviceJob('keep')], { prune: true, stack: undefined })).rejects.toThrow(
        'prune needs a stack name',
      );
      await expect(planWith(env, [], { prune: true })).rejects.toThrow(
        'no job file declares any job, so prune would delete every job of stack "shop"',
      );
      const everything = await planWith(env, [], { prune: true }, { dangerouslyAllowEmptyPrune: true });
      expect(everything.changes.map((c) => c.address.name).sort()).toEqual([
        'gone',
        'gone-too',
        'keep',
        'report',
      ]);
    });
  });

  it('orders jobs in waves by depends_on, pre-deploy batch jobs first, and names a cycle', async () => {
    const migrate = { ...batchJob('migrate'), Meta: { 'drover.phase': 'pre' } };
    const plan = await planWith(env, [
      { job: serviceJob('api'), dependsOn: ['redis'] },
      { job: serviceJob('web', { Meta: { 'drover.depends_on': 'api' } }) },
      { job: serviceJob('redis') },
      { job: migrate },
    ]);
    expect(summary(plan)).toEqual([
      '1 create default/migrate',
      '2 create default/redis',
      '3 create default/api',
      '4 create default/web',
    ]);
    // Each change keeps the depends_on its wave came from (drover.hcl's and its meta's), for the plan's graph.
    expect(plan.changes.map((c) => jobOf(c).dependsOn)).toEqual([undefined, undefined, ['redis'], ['api']]);
    await expect(
      planWith(env, [
        { job: serviceJob('a'), dependsOn: ['b'] },
        { job: serviceJob('b'), dependsOn: ['c'] },
        { job: serviceJob('c'), dependsOn: ['a'] },
      ]),
    ).rejects.toThrow('dependency cycle: a → b → c → a');
  });

  it('plans only --target jobs, and names an unknown target', async () => {
    const plan = await planWith(env, [serviceJob('a'), serviceJob('b')], { targets: ['b'] });
    expect(summary(plan)).toEqual(['1 create default/b']);
    await expect(planWith(env, [serviceJob('a')], { targets: ['zzz'] })).rejects.toThrow(
      '--target zzz: no job file declares this job',
    );
  });

  it('preserves live counts with --preserve-counts and says so', async () => {
    await deployed(env, [serviceJob('web', {}, { Count: 7 })]);
    runFor(env.sim, 20_000);
    const plan = await planWith(env, [serviceJob('web')], { preserveCounts: true });
    expect(plan.changes[0]).toMatchObject({ action: 'noop', preservedCounts: { web: { live: 7, file: 2 } } });
    expect(registration(plan.changes[0]).job.TaskGroups![0]!.Count).toBe(7);
    const shown = renderPlanHuman(
      planForDisplay(
        { ...plan, changes: plan.changes.map((c) => ({ ...registration(c), action: 'update' as const })) },
        { showSensitive: false },
      ),
      { color: false },
    );
    expect(shown).toContain('      group "web": count 7 (live, preserved; file says 2)');
    const without = await planWith(env, [serviceJob('web')]);
    expect(without.changes[0]).toMatchObject({ action: 'update', annotations: { web: { Stop: 5 } } });
  });

  it('warns about groups Nomad cannot place, with its reasons', async () => {
    env.sim.script('big', { kind: 'unplaceable-resources' });
    const plan = await planWith(env, [serviceJob('big')]);
    expect(warningsOf(plan.changes[0])).toEqual([
      'Group "web" cannot be placed: memory exhausted on 3 nodes.',
    ]);
  });

  describe('read-only tokens', () => {
    it('falls back to a local diff against the last submission when the plan endpoint says 403', async () => {
      const management = env.sim.enableAcl();
      const admin = env.client({ token: management.SecretID });
      await admin.jobs.register({
        Job: { ...serviceJob('web'), Meta: { 'drover.stack': 'shop' } },
        Submission: { Source: 'job "web" {}', Format: 'hcl2' },
      });
      const reader = env.sim.createToken({ namespaces: { default: { policy: 'read' } } });
      const readOnly = { ...env, nomad: env.client({ token: reader.SecretID }) };
      const reparsed = withImage(serviceJob('web'), 'example/app:1.0');
      const plan = await planWith(
        readOnly,
        [withImage(serviceJob('web'), 'example/app:3.0')],
        {},
        { reparseSubmission: () => reparsed },
      );
      const [change] = plan.changes;
      expect(change).toMatchObject({ action: 'update', computedLocally: true });
      expect(warningsOf(change)[0]).toContain('this diff was computed locally');
      expect(registration(change).diff!.TaskGroups![0]!.Tasks![0]!.Fields).toEqual([
        {
          Type: 'Edited',
          Name: 'Config[image]',
          Old: 'example/app:1.0',
          New: 'example/app:3.0',
          Annotations: null,
        },
      ]);
    });

    it('with --read-only it never calls the plan endpoint; without a submission it compares what the file sets', async () => {
      await deployed(env, [serviceJob('web')]);
      const before = env.sim.requests.length;
      const plan = await planWith(env, [serviceJob('web', { Priority: 70 })], {}, { readOnly: true });
      expect(env.sim.requests.slice(before).some((r) => r.endsWith('/plan'))).toBe(false);
      expect(plan.changes[0]).toMatchObject({ action: 'update', computedLocally: true });
      expect(registration(plan.changes[0]).diff!.Fields).toEqual([
        { Type: 'Edited', Name: 'Priority', Old: '50', New: '70', Annotations: null },
      ]);
    });

    it('with --read-only a new job is shown in full from what its file sets, computed locally', async () => {
      const plan = await planWith(
        env,
        [withImage(serviceJob('fresh'), 'example/fresh:1')],
        {},
        { readOnly: true },
      );
      const [change] = plan.changes;
      expect(change).toMatchObject({ action: 'create', computedLocally: true });
      expect(registration(change).diff).toMatchObject({ Type: 'Added', ID: 'fresh' });
      const group = registration(change).diff!.TaskGroups![0]!;
      expect(group.Type).toBe('Added');
      expect(group.Tasks![0]!.Type).toBe('Added');
      expect(group.Tasks![0]!.Fields).toContainEqual({
        Type: 'Added',
        Name: 'Config[image]',
        Old: '',
        New: 'example/fresh:1',
        Annotations: null,
      });
      expect(group.Tasks![0]!.Fields!.every((f) => f.Type === 'Added')).toBe(true);
    });

    it('other errors from the plan endpoint still fail the plan', async () => {
      env.sim.addFault({ kind: 'status', status: 500, body: 'rpc error: boom', path: '/plan$' });
      await expect(planWith(env, [serviceJob('web')])).rejects.not.toBeInstanceOf(NomadPermissionError);
    });
  });
});
