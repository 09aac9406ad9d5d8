/**
 * promote and rollback as the checks see them: the plan object of what each is about to do, and the checks of
 * drover.hcl evaluated on it before anything is written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planPromotions } from '../../../src/actions/promote-jobs.js';
import { planRollback } from '../../../src/actions/rollback-job.js';
import { planObject } from '../../../src/checks/plan-object.js';
import { blockingChecks } from '../../../src/plan/check-report.js';
import { planForDisplay } from '../../../src/plan/mask.js';
import type { Plan } from '../../../src/plan/model.js';
import { deployed } from '../../support/plan-env.js';
import {
  runFor,
  serviceJob,
  startSimulatedNomad,
  withImage,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

const RULES = `stack = "shop"

check "no_old_image" {
  condition     = alltrue([for t in plan.tasks : t.image != "example/app:1"])
  error_message = "Version 1 is withdrawn."
}

check "no_promotions" {
  severity      = "warning"
  condition     = length([for c in plan.changes : c if c.action == "promote"]) == 0
  error_message = "Promotions wait for the release manager."
}
`;

type Attributes = Record<string, unknown>;
const changesOf = (plan: Plan) =>
  (planObject(planForDisplay(plan, { showSensitive: false }), plan.createdAt) as Attributes)
    .changes as Attributes[];
const outcomes = (plan: Plan) =>
  Object.fromEntries((plan.checks?.results ?? []).map((r) => [r.name, [r.status, ...r.failing]]));

describe('the checks of promote and rollback', () => {
  let env: SimulatedNomad;
  let cwd: string;
  const canaried = serviceJob('web', {}, { Update: { Canary: 1 } });
  beforeEach(async () => {
    env = await startSimulatedNomad();
    cwd = mkdtempSync(join(tmpdir(), 'drover-command-checks-'));
    writeFileSync(join(cwd, 'drover.hcl'), RULES);
    await deployed(env, [withImage(canaried, 'example/app:1')]);
    runFor(env.sim, 20_000);
    await deployed(env, [withImage(canaried, 'example/app:2')]);
    runFor(env.sim, 20_000);
  });
  afterEach(async () => {
    await env.close();
    rmSync(cwd, { recursive: true, force: true });
  });
  const access = () => ({ connect: () => env.nomad, cwd, env: {} });

  it('rollback: the revert is a change of the job, its changed fields, the version it goes back to as Nomad registers it', async () => {
    const plan = await planRollback({ ...access(), job: 'web', toVersion: 0 });
    const [change] = changesOf(plan);
    expect(change).toMatchObject({
      label: 'job default/web',
      kind: 'job',
      action: 'revert',
      changed: ['TaskGroups[web].Tasks[app].Config.image'],
      replaces: null,
    });
    const desired = change!.desired as Attributes & { TaskGroups: Array<{ Tasks: Array<Attributes> }> };
    expect(desired.TaskGroups[0]!.Tasks[0]!.Config).toEqual({ image: 'example/app:1' });
    // What Nomad sets when it registers the version again is not part of it.
    for (const field of ['Version', 'Stable', 'Status', 'JobModifyIndex', 'SubmitTime'])
      expect(Object.keys(desired)).not.toContain(field);
    expect(outcomes(plan)).toEqual({
      no_old_image: ['failed', 'task default/web/web/app'],
      no_promotions: ['passed'],
    });
    expect(blockingChecks(plan.checks).map((r) => r.name)).toEqual(['no_old_image']);
  });

  it('promote: one promote change per waiting deployment, which replaces allocations and sends no spec', async () => {
    const plan = await planPromotions({ ...access(), jobs: [] });
    expect(changesOf(plan)).toEqual([
      expect.objectContaining({
        label: 'job default/web',
        action: 'promote',
        replaces: true,
        stops: false,
        desired: null,
        changed: [],
      }),
    ]);
    // The spec is the one apply registered and its checks passed: a promote adds no tasks to plan.tasks.
    expect(outcomes(plan)).toEqual({
      no_old_image: ['passed'],
      no_promotions: ['failed', 'job default/web'],
    });
    expect(blockingChecks(plan.checks)).toEqual([]);
  });

  it('--skip-check marks the check skipped: shown, blocking nothing', async () => {
    const plan = await planRollback({ ...access(), job: 'web', toVersion: 0, skipChecks: ['no_old_image'] });
    expect(plan.checks?.results[0]).toMatchObject({ name: 'no_old_image', status: 'failed', skipped: true });
    expect(blockingChecks(plan.checks)).toEqual([]);
  });

  it('a broken check or an unknown --skip-check is refused before any request', async () => {
    writeFileSync(
      join(cwd, 'drover.hcl'),
      `${RULES}\ncheck "typo" {\n  condition     = length(plan.chnages) == 0\n  error_message = "x"\n}\n`,
    );
    const requests = async () =>
      (
        (await (await fetch(`${env.sim.address}/__sim/requests`, { method: 'POST' })).json()) as {
          count: number;
        }
      ).count;
    const before = await requests();
    await expect(planPromotions({ ...access(), jobs: [] })).rejects.toThrow(/did you mean "changes"\?/);
    await expect(planRollback({ ...access(), job: 'web' })).rejects.toThrow(/nothing was sent to Nomad/);
    writeFileSync(join(cwd, 'drover.hcl'), RULES);
    await expect(planRollback({ ...access(), job: 'web', skipChecks: ['no_old_imag'] })).rejects.toThrow(
      '--skip-check no_old_imag: no check of drover.hcl has that name',
    );
    expect(await requests()).toBe(before);
  });
});
