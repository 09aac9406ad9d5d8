import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planRollback } from '../../../src/actions/rollback-job.js';
import { revertOf } from '../../support/plan-changes.js';
import { deployed } from '../../support/plan-env.js';
import {
  serviceJob,
  startSimulatedNomad,
  withImage,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

describe('planRollback: what reverting a job changes', () => {
  let env: SimulatedNomad;
  let cwd: string;
  beforeEach(async () => {
    env = await startSimulatedNomad();
    cwd = mkdtempSync(join(tmpdir(), 'drover-rollback-plan-'));
    writeFileSync(join(cwd, 'drover.hcl'), 'stack = "shop"\n');
    await deployed(env, [withImage(serviceJob('web'), 'example/app:1')]);
    await deployed(env, [withImage(serviceJob('web'), 'example/app:2')]);
  });
  afterEach(() => env.close());

  const imageField = (plan: Awaited<ReturnType<typeof planRollback>>) =>
    revertOf(plan.changes[0]).diff.TaskGroups![0]!.Tasks![0]!.Objects!.find((o) => o.Name === 'Config')!
      .Fields![0];

  it("shows Nomad's diff of the current version against the target", async () => {
    const plan = await planRollback({ connect: () => env.nomad, cwd, env: {}, job: 'web', toVersion: 0 });
    expect(plan.changes[0]).toMatchObject({
      action: 'revert',
      revert: { fromVersion: 1, toVersion: 0 },
      computedLocally: false,
    });
    expect(imageField(plan)).toMatchObject({ Type: 'Edited', Old: 'example/app:2', New: 'example/app:1' });
  });

  it('diffs the two versions itself when Nomad ignores diff_version (before 1.9), never showing the wrong pair', async () => {
    const versions = env.nomad.jobs.versions.bind(env.nomad.jobs);
    env.nomad.jobs.versions = (id, options = {}) => versions(id, { ...options, diffVersion: undefined });
    const plan = await planRollback({ connect: () => env.nomad, cwd, env: {}, job: 'web', toVersion: 0 });
    expect(revertOf(plan.changes[0]).computedLocally).toBe(true);
    const fields = revertOf(plan.changes[0]).diff.TaskGroups![0]!.Tasks![0]!.Fields!;
    expect(fields).toContainEqual({
      Type: 'Edited',
      Name: 'Config[image]',
      Old: 'example/app:2',
      New: 'example/app:1',
      Annotations: null,
    });
  });
});
