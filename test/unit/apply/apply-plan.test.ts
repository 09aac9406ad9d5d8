import { applyPlan, type ApplyEvent, type ApplyOptions } from '../../../src/apply/apply-plan.js';
import type { Plan } from '../../../src/plan/model.js';
import { registerJob } from '../../simulator/job-operations.js';
import { drive } from '../../support/drive.js';
import { jobOf, registration } from '../../support/plan-changes.js';
import { deployed, planWith } from '../../support/plan-env.js';
import {
  batchJob,
  runFor,
  serviceJob,
  startSimulatedNomad,
  withImage,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

describe.each(['blocking', 'events'] as const)(
  'applyPlan against the simulator, watching with %s',
  (watchWith) => {
    let env: SimulatedNomad;
    beforeEach(async () => {
      env = await startSimulatedNomad();
    });
    afterEach(() => env.close());

    async function apply(plan: Plan, options: Partial<ApplyOptions> = {}, maxSimMs = 600_000) {
      const events: ApplyEvent[] = [];
      const result = await drive(
        env.sim,
        applyPlan({
          client: env.nomad,
          plan,
          wait: '10s',
          watchWith,
          emit: (e) => events.push(e),
          ...options,
        }),
        { maxSimMs },
      );
      return { ...result, events, outcomes: result.results.map((r) => `${r.address.name}: ${r.outcome}`) };
    }

    it('rolls out a new job and waits for its deployment to succeed', async () => {
      const result = await apply(await planWith(env, [serviceJob('web')]));
      expect(result.ok).toBe(true);
      expect(result.results[0]).toMatchObject({
        address: { kind: 'job', namespace: 'default', name: 'web' },
        action: 'create',
        outcome: 'succeeded',
        message: 'Deployment completed successfully',
        version: 0,
      });
      expect(result.results[0]!.deploymentId).toMatch(/^[0-9a-f-]{36}$/);
      expect((await env.nomad.jobs.read('web')).body.Meta).toEqual({ 'drover.stack': 'shop' });
      const kinds = result.events.map((e) => (e.type === 'watch' ? `watch:${e.event.type}` : e.type));
      expect(kinds).toEqual(
        expect.arrayContaining(['wave', 'registered', 'watch:evaluation', 'watch:deployment', 'finished']),
      );
    });

    it('reports a failed deployment with the task events and the stderr tail', async () => {
      env.sim.script('web', {
        kind: 'driver-failure',
        message: 'Failed to pull `example/app:1.0`: manifest unknown',
        stderr: ['pulling image', 'error: manifest unknown'],
      });
      const result = await apply(await planWith(env, [serviceJob('web')]));
      expect(result.ok).toBe(false);
      const [web] = result.results;
      expect(web).toMatchObject({ outcome: 'failed', message: 'Failed due to unhealthy allocations' });
      expect(web!.explanation.join('\n')).toMatch(
        /allocation [0-9a-f]{8} \(web\.web\[\d\]\) failed:\n {2}task "app": driver failure: Failed to pull `example\/app:1\.0`: manifest unknown; not restarting: Error was unrecoverable\n {2}last stderr lines of "app":\n {4}pulling image\n {4}error: manifest unknown/,
      );
    });

    it('stops waiting for a group Nomad cannot place, with its reasons', async () => {
      env.sim.script('web', { kind: 'unplaceable-resources' });
      const result = await apply(await planWith(env, [serviceJob('web')]));
      expect(result.results[0]).toMatchObject({
        outcome: 'failed',
        message: 'placement failed for group web',
      });
      expect(result.results[0]!.explanation).toEqual([
        'group "web" could not be placed (2 allocations): memory exhausted on 3 nodes',
      ]);
    });

    it('stops at promotion-ready for canaries, or promotes them with autoPromote', async () => {
      const job = serviceJob('web', {}, { Update: { Canary: 1 } });
      await deployed(env, [job]);
      runFor(env.sim, 20_000);
      const waiting = await apply(await planWith(env, [withImage(job, 'example/app:2.0')]));
      expect(waiting.ok).toBe(true);
      expect(waiting.results[0]).toMatchObject({ outcome: 'promotion-ready' });
      expect(waiting.results[0]!.message).toBe(
        `canaries are healthy and wait for promotion: nomad deployment promote ${waiting.results[0]!.deploymentId}`,
      );

      const promoted = await apply(await planWith(env, [withImage(job, 'example/app:3.0')]), {
        autoPromote: true,
      });
      expect(promoted.results[0]).toMatchObject({ outcome: 'succeeded' });
      expect(promoted.events.some((e) => e.type === 'watch' && e.event.type === 'promoting')).toBe(true);
    });

    it('a promote change promotes the waiting deployment, unless the job changed since the plan', async () => {
      const job = serviceJob('web', {}, { Update: { Canary: 1 } });
      await deployed(env, [job]);
      runFor(env.sim, 20_000);
      const waiting = await apply(await planWith(env, [withImage(job, 'example/app:2.0')]));
      const deploymentId = waiting.results[0]!.deploymentId!;
      const unchanged = await planWith(env, [withImage(job, 'example/app:2.0')]);
      const noop = registration(unchanged.changes[0]);
      expect(noop.action).toBe('noop');
      const promotePlan = (jobModifyIndex: number): Plan => ({
        ...unchanged,
        changes: [{ ...noop, action: 'promote', deploymentId, jobModifyIndex }],
      });
      const stale = await apply(promotePlan(noop.jobModifyIndex - 1));
      expect(stale.ok).toBe(false);
      expect(stale.results[0]).toMatchObject({
        outcome: 'failed',
        stale: true,
        message: `job web changed since the plan (modify index ${noop.jobModifyIndex - 1} → ${noop.jobModifyIndex}); not promoted; run plan again`,
      });
      expect((await env.nomad.deployments.read(deploymentId)).body.Status).toBe('running');

      const promoted = await apply(promotePlan(noop.jobModifyIndex));
      expect(promoted.results[0]).toMatchObject({
        action: 'promote',
        outcome: 'succeeded',
        version: 1,
        deploymentId,
      });
      expect(promoted.events.some((e) => e.type === 'watch' && e.event.type === 'promoting')).toBe(true);
      expect((await env.nomad.deployments.read(deploymentId)).body.Status).toBe('successful');
    });

    it('a revert change reverts enforcing the planned version; a job that moved on since is not reverted', async () => {
      const job = serviceJob('web');
      await deployed(env, [job]);
      runFor(env.sim, 20_000);
      await deployed(env, [withImage(job, 'example/app:2.0')]);
      runFor(env.sim, 20_000);
      const unchanged = await planWith(env, [withImage(job, 'example/app:2.0')]);
      const noop = unchanged.changes[0]!;
      const first = (await env.nomad.jobs.versions('web')).body.Versions.find((v) => v.Version === 0)!;
      const revertPlan = (fromVersion: number): Plan => ({
        ...unchanged,
        changes: [
          {
            ...registration(noop),
            action: 'revert',
            job: first,
            revert: { fromVersion, toVersion: 0 },
            diff: { Type: 'None', ID: 'web', Fields: null, Objects: null, TaskGroups: null },
          },
        ],
      });
      const stale = await apply(revertPlan(0));
      expect(stale.results[0]).toMatchObject({
        outcome: 'failed',
        stale: true,
        message: 'job web changed since the plan (version 0 → 1); not reverted, run drover rollback again',
      });
      expect((await env.nomad.jobs.read('web')).body.Version).toBe(1);

      const reverted = await apply(revertPlan(1));
      expect(reverted.results[0]).toMatchObject({ action: 'revert', outcome: 'succeeded', version: 2 });
      const live = (await env.nomad.jobs.read('web')).body;
      expect(live.TaskGroups![0]!.Tasks![0]!.Config).toEqual(first.TaskGroups![0]!.Tasks![0]!.Config);
    });

    it('follows an auto-revert Nomad performs and reports the apply as failed', async () => {
      const job = serviceJob('web', {}, { Update: { AutoRevert: true } });
      await deployed(env, [job]);
      runFor(env.sim, 20_000);
      env.sim.script('web', {
        kind: 'crash-loop',
        version: 1,
        exitCode: 2,
        stderr: ['panic: config missing'],
      });
      const result = await apply(await planWith(env, [withImage(job, 'example/app:bad')]));
      expect(result.results[0]).toMatchObject({ outcome: 'failed' });
      expect(result.results[0]!.message).toBe(
        'deployment failed (Failed due to unhealthy allocations - rolling back to job version 0); reverted to version 0, whose deployment succeeded',
      );
      expect(result.events).toContainEqual({
        type: 'watch',
        address: { cluster: 'default', kind: 'job', namespace: 'default', name: 'web' },
        event: { type: 'reverting', job: 'web', toVersion: 0, by: 'nomad' },
      });
      expect(result.results[0]!.explanation.join('\n')).toContain('exited with code 2');
    });

    it('rolls back itself with rollback when the job has no auto_revert', async () => {
      await deployed(env, [serviceJob('web')]);
      runFor(env.sim, 20_000);
      env.sim.script('web', { kind: 'driver-failure', version: 1 });
      const result = await apply(await planWith(env, [withImage(serviceJob('web'), 'example/app:bad')]), {
        rollback: true,
      });
      expect(result.results[0]!.message).toMatch(/reverted to version 0, whose deployment succeeded$/);
      expect(result.events).toContainEqual({
        type: 'watch',
        address: { cluster: 'default', kind: 'job', namespace: 'default', name: 'web' },
        event: { type: 'reverting', job: 'web', toVersion: 0, by: 'drover' },
      });
      expect((await env.nomad.jobs.read('web')).body.TaskGroups![0]!.Tasks![0]!.Config).toEqual({
        image: 'example/app:1.0',
      });
    });

    it('times out a wave that does not finish, and runs nothing after it', async () => {
      env.sim.script('slow', { kind: 'unhealthy' });
      const plan = await planWith(env, [
        { job: serviceJob('slow') },
        { job: serviceJob('after'), dependsOn: ['slow'] },
      ]);
      const result = await applyPlan({ client: env.nomad, plan, timeoutMs: 300, wait: '10s', watchWith });
      expect(result.results.map((r) => `${r.address.name}: ${r.outcome}`)).toEqual([
        'slow: timeout',
        'after: not-run',
      ]);
      expect(result.results[0]!.message).toBe('still not done after 300ms (Nomad carries on)');
      expect(result.results[1]!.message).toBe('not started: slow did not succeed');
    });

    it('bounds nothing with a timeout of 0 (--timeout 0s): a wave longer than any small bound still succeeds', async () => {
      const result = await apply(await planWith(env, [serviceJob('patient')]), { timeoutMs: 0 });
      expect(result.outcomes).toEqual(['patient: succeeded']);
    });

    it('runs batch jobs to completion; their exit codes decide', async () => {
      env.sim.script('bad-migration', {
        kind: 'exit-code',
        exitCode: 3,
        stderr: ['ERROR: relation "users" already exists'],
      });
      const result = await apply(
        await planWith(env, [
          batchJob('migration'),
          batchJob('bad-migration', {
            TaskGroups: [{ ...batchJob('x').TaskGroups![0]!, RestartPolicy: { Attempts: 0 } }],
          }),
        ]),
      );
      expect(result.outcomes).toEqual(['bad-migration: failed', 'migration: succeeded']);
      expect(result.results[0]!.explanation.join('\n')).toContain('exited with code 3');
      expect(result.results[0]!.explanation.join('\n')).toContain('ERROR: relation "users" already exists');
    });

    it('waits for a system job on every node', async () => {
      const result = await apply(await planWith(env, [{ ...serviceJob('agent'), Type: 'system' }]));
      expect(result.results[0]).toMatchObject({ outcome: 'succeeded', message: '3/3 running' });
    });

    it('runs and watches a job purged and created again', async () => {
      const jobs = [
        { ...serviceJob('agent'), Type: 'system' },
        batchJob('migration', { Meta: { 'drover.phase': 'pre' } }),
        serviceJob('web'),
      ];
      expect((await apply(await planWith(env, jobs))).ok).toBe(true);
      const destroy = await planWith(env, [], { prune: true }, { dangerouslyAllowEmptyPrune: true });
      expect((await apply(destroy, { purge: true })).ok).toBe(true);
      const again = await apply(await planWith(env, jobs));
      expect(again.results.map((r) => `${r.address.name}: ${r.outcome} (${r.message})`)).toEqual([
        'migration: succeeded (1/1 complete)',
        'agent: succeeded (3/3 running)',
        'web: succeeded (Deployment completed successfully)',
      ]);
      // Nomad 2.0.5 forgets a purged job's allocations at once: only the new incarnation's are listed.
      expect((await env.nomad.jobs.allocations('agent', { all: true })).body).toHaveLength(3);
    });

    it('refuses a job that changed since the plan, in one line, and starts nothing after it', async () => {
      await deployed(env, [serviceJob('api')]);
      const plan = await planWith(env, [
        { job: withImage(serviceJob('api'), 'example/app:2.0') },
        { job: serviceJob('web'), dependsOn: ['api'] },
      ]);
      const seen = jobOf(plan.changes[0]).jobModifyIndex;
      await deployed(env, [withImage(serviceJob('api'), 'example/app:hotfix')]);
      const now = (await env.nomad.jobs.read('api')).body.JobModifyIndex;
      const result = await apply(plan);
      expect(result.outcomes).toEqual(['api: failed', 'web: not-run']);
      expect(result.results[0]!.message).toBe(
        `job api changed since the plan (modify index ${seen} → ${now}); run plan again`,
      );
      await expect(env.nomad.jobs.read('web')).rejects.toThrow();
    });

    it('refuses a plan whose later wave went stale before its first write: wave 1 is not written either', async () => {
      await deployed(env, [serviceJob('db'), serviceJob('gone'), serviceJob('old')]);
      const plan = await planWith(
        env,
        [
          { job: withImage(serviceJob('db'), 'example/app:2.0') },
          { job: withImage(serviceJob('api'), 'example/app:2.0'), dependsOn: ['db'] },
        ],
        { prune: true },
      );
      expect(plan.changes.map((c) => `${c.address.name} ${c.action} ${c.wave}`)).toEqual([
        'db update 0',
        'api create 1',
        'gone delete 2',
        'old delete 2',
      ]);
      // Meanwhile: someone creates api, and old is taken out of the stack.
      await deployed(env, [serviceJob('api')], 'other');
      await env.nomad.jobs.register({ Job: serviceJob('old') });
      const before = (await env.nomad.jobs.read('db')).body.Version;
      const result = await apply(plan);
      expect(result.outcomes).toEqual(['db: not-run', 'api: failed', 'gone: not-run', 'old: failed']);
      expect(result.results.map((r) => r.message)).toEqual([
        'not started: the plan is stale',
        'job api changed since the plan (it exists now); run plan again',
        'not deleted: the plan is stale',
        'job old does not belong to stack "shop" (it has no stamp); not deleted',
      ]);
      expect((await env.nomad.jobs.read('db')).body.Version).toBe(before);
      expect((await env.nomad.jobs.read('gone')).body.Stop).toBe(false);
    });

    it('names the capability a token lacks when Nomad refuses a registration mid-wave', async () => {
      const management = env.sim.enableAcl().SecretID;
      const reader = env.sim.createToken({ namespaces: { default: { policy: 'read' } } }).SecretID;
      const plan = await planWith(
        env,
        [serviceJob('web')],
        {},
        { client: env.client({ token: management }) },
      );
      const result = await apply(plan, { client: env.client({ token: reader }) });
      expect(result.outcomes).toEqual(['web: failed']);
      expect(result.results[0]!.message).toBe(
        `Permission denied for namespace "default" at ${env.sim.address}: the token from the client's settings probably lacks the "submit-job" capability, or is not a token this cluster knows (Nomad says the same for both).`,
      );
    });

    it('after a 500 in a wave, runs no later wave and no delete, and says what happened to each job', async () => {
      await deployed(env, [serviceJob('obsolete')]);
      env.sim.addFault({
        kind: 'status',
        status: 500,
        body: 'rpc error: raft apply failed',
        method: 'PUT',
        path: '^/v1/jobs$',
        times: 1,
      });
      const plan = await planWith(
        env,
        [{ job: serviceJob('a') }, { job: serviceJob('b'), dependsOn: ['a'] }],
        {
          prune: true,
        },
      );
      const result = await apply(plan);
      expect(result.outcomes).toEqual(['a: failed', 'b: not-run', 'obsolete: not-run']);
      expect(result.results[0]!.message).toBe('PUT /v1/jobs: Nomad said: rpc error: raft apply failed');
      expect(result.results[2]!.message).toBe('not deleted: a did not succeed');
      expect((await env.nomad.jobs.read('obsolete')).body.Stop).toBe(false);
    });

    it('with --parallelism 1, starts no other job of the wave once one failed', async () => {
      env.sim.addFault({
        kind: 'status',
        status: 500,
        body: 'rpc error: raft apply failed',
        method: 'PUT',
        path: '^/v1/jobs$',
        times: 1,
      });
      const plan = await planWith(env, [serviceJob('a'), serviceJob('b'), serviceJob('c')]);
      const result = await apply(plan, { parallelism: 1 });
      expect(result.results.map((r) => `${r.address.name}: ${r.outcome} (${r.message})`)).toEqual([
        'a: failed (PUT /v1/jobs: Nomad said: rpc error: raft apply failed)',
        'b: not-run (not started: a did not succeed)',
        'c: not-run (not started: a did not succeed)',
      ]);
      await expect(env.nomad.jobs.read('b')).rejects.toThrow();
    });

    it('re-checks each delete: a job re-stamped, unstamped or changed since the plan is not deleted', async () => {
      await deployed(env, [serviceJob('restamped'), serviceJob('unstamped'), serviceJob('changed')]);
      runFor(env.sim, 20_000);
      const plan = await planWith(env, [serviceJob('keep')], { prune: true });
      expect(plan.changes.filter((c) => c.action === 'delete').map((c) => c.address.name)).toEqual([
        'changed',
        'restamped',
        'unstamped',
      ]);
      await deployed(env, [serviceJob('restamped')], 'other');
      await deployed(env, [serviceJob('unstamped')], '');
      await deployed(env, [withImage(serviceJob('changed'), 'example/app:2.0')]);
      for (const id of ['changed', 'restamped', 'unstamped']) {
        const single = { ...plan, changes: plan.changes.filter((c) => c.address.name === id) };
        const result = await apply(single);
        expect(result.results.find((r) => r.address.name === id)).toMatchObject({ outcome: 'failed' });
        expect((await env.nomad.jobs.read(id)).body.Stop).toBe(false);
        expect(result.results.find((r) => r.address.name === id)!.message).toMatch(
          {
            changed:
              /^job changed changed since the plan \(modify index \d+ → \d+\); not deleted, run plan again$/,
            restamped:
              /^job restamped does not belong to stack "shop" \(its stamp says "other"\); not deleted$/,
            unstamped: /^job unstamped does not belong to stack "shop" \(it has no stamp\); not deleted$/,
          }[id]!,
        );
      }
    });

    it('resumes watching after a dropped connection', async () => {
      env.sim.addFault(
        watchWith === 'events'
          ? { kind: 'drop', path: '^/v1/event/stream', times: 2, afterMs: 5 }
          : { kind: 'drop', blockingOnly: true, times: 2, afterMs: 5 },
      );
      const result = await apply(await planWith(env, [serviceJob('web')]));
      expect(result.results[0]).toMatchObject({ outcome: 'succeeded' });
    });

    it('stops waiting on Ctrl-C (abort): Nomad carries on, and every job says where it stands', async () => {
      const controller = new AbortController();
      const plan = await planWith(env, [
        { job: serviceJob('a') },
        { job: serviceJob('b'), dependsOn: ['a'] },
      ]);
      const pending = applyPlan({
        client: env.nomad,
        plan,
        signal: controller.signal,
        wait: '10s',
        watchWith,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.abort();
      const result = await pending;
      expect(result.cancelled).toBe(true);
      expect(result.results.map((r) => `${r.address.name}: ${r.outcome} (${r.message})`)).toEqual([
        'a: cancelled (stopped waiting (Nomad carries on))',
        'b: not-run (cancelled before it started)',
      ]);
      expect((await env.nomad.jobs.read('a')).body.ID).toBe('a');
    });

    it('deletes independent jobs of one wave at once, up to parallelism, each bounded by the wave timeout', async () => {
      await deployed(env, [serviceJob('a'), serviceJob('b'), serviceJob('c')]);
      runFor(env.sim, 20_000);
      const destroy = await planWith(env, [], { prune: true }, { dangerouslyAllowEmptyPrune: true });
      const result = await apply(destroy, { parallelism: 3 });
      expect(result.outcomes).toEqual(['a: succeeded', 'b: succeeded', 'c: succeeded']);
      const order = result.events
        .filter((e) => e.type === 'deleting' || e.type === 'finished')
        .map((e) => e.type);
      expect(order).toEqual(['deleting', 'deleting', 'deleting', 'finished', 'finished', 'finished']);

      await deployed(env, [serviceJob('slow')]);
      runFor(env.sim, 20_000);
      env.sim.setTimings({ stopMs: 3_600_000 });
      const stuck = await apply(
        await planWith(env, [], { prune: true }, { dangerouslyAllowEmptyPrune: true }),
        { timeoutMs: 300 },
        2_000,
      );
      expect(stuck.results.find((r) => r.address.name === 'slow')).toMatchObject({
        outcome: 'timeout',
        message: 'still not done after 300ms (Nomad carries on)',
      });
    });

    it('deletes after every registration succeeded, dependents first, and waits for the allocations to stop', async () => {
      await deployed(env, [serviceJob('db'), serviceJob('api', { Meta: { 'drover.depends_on': 'db' } })]);
      runFor(env.sim, 20_000);
      const plan = await planWith(env, [serviceJob('web')], { prune: true });
      const result = await apply(plan, { purge: true });
      expect(result.outcomes).toEqual(['web: succeeded', 'api: succeeded', 'db: succeeded']);
      expect(
        result.events
          .filter((e) => e.type === 'deleting')
          .map((e) => (e.type === 'deleting' ? e.address.name : '')),
      ).toEqual(['api', 'db']);
      await expect(env.nomad.jobs.read('db')).rejects.toThrow('job not found');
      expect((await env.nomad.jobs.allocations('db')).body).toEqual([]);
    });

    it.each([false, true])(
      'waits for tasks that take their kill timeout before it reports a job deleted (purge: %s)',
      async (purge) => {
        const slow = serviceJob('slow', {}, { Count: 2 });
        slow.TaskGroups![0]!.Tasks![0]!.KillTimeout = 8e9;
        await deployed(env, [slow]);
        runFor(env.sim, 20_000);
        env.sim.script('slow', { kind: 'slow-stop' });
        const at: Record<string, number> = {};
        const result = await apply(
          await planWith(env, [], { prune: true }, { dangerouslyAllowEmptyPrune: true }),
          {
            purge,
            emit: (event) => {
              if (event.type === 'deleting' || event.type === 'finished')
                at[event.type] = env.sim.clock.now();
            },
          },
        );
        expect(result.outcomes).toEqual(['slow: succeeded']);
        expect(at.finished! - at.deleting!).toBeGreaterThanOrEqual(8_000);
        if (purge) await expect(env.nomad.jobs.read('slow')).rejects.toThrow('job not found');
        else
          expect((await env.nomad.jobs.allocations('slow')).body.map((a) => a.ClientStatus)).toEqual([
            'complete',
            'complete',
          ]);
      },
    );

    it('stops but does not purge a job registered again while it was stopping', async () => {
      await deployed(env, [serviceJob('again')]);
      runFor(env.sim, 20_000);
      let registeredAgain = false;
      const result = await apply(
        await planWith(env, [], { prune: true }, { dangerouslyAllowEmptyPrune: true }),
        {
          purge: true,
          emit: (event) => {
            if (
              !registeredAgain &&
              event.type === 'watch' &&
              event.event.type === 'allocations' &&
              event.event.message === 'all allocations stopped'
            ) {
              registeredAgain = true;
              registerJob(env.sim.ctx, serviceJob('again', { Meta: { owner: 'someone else' } }), 'default');
            }
          },
        },
      );
      expect(registeredAgain).toBe(true);
      expect(result.results[0]).toMatchObject({
        outcome: 'failed',
        message: expect.stringMatching(
          /^job again changed while it was stopping \(modify index \d+ → \d+\); stopped, not purged$/,
        ),
      });
      expect((await env.nomad.jobs.read('again')).body.Meta).toEqual({ owner: 'someone else' });
    });
  },
);
