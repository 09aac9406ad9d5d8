import { join } from 'node:path';
import * as drover from '../../src/index.js';
import { ROOT, startSimulatorProcess } from '../support/cli.js';

/** The package's entry point (src/index.ts, shipped as dist/index.js for `import … from 'drover'`), as README shows. */
describe('drover as a library', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
  });
  afterAll(() => sim.stop());

  it('plans examples/, renders the plan, applies it and destroys it without the CLI', async () => {
    const client = new drover.NomadClient({ address: sim.address });
    try {
      const { plan } = await drover.planJobs({ client, paths: ['examples/'], cwd: ROOT, env: {} });
      expect(drover.countByAction(plan)).toMatchObject({ create: 6, update: 0, delete: 0 });
      expect(drover.renderPlanHuman(plan, { color: false, showSensitive: false })).toContain(
        '\nPlan: 6 to create, 0 to update, 0 to delete.',
      );
      const finished: string[] = [];
      const result = await drover.applyPlan({
        client,
        plan,
        autoPromote: true,
        emit: (event) => {
          if (event.type === 'finished') finished.push(`${event.result.id}: ${event.result.outcome}`);
        },
      });
      expect(result.ok).toBe(true);
      expect(finished).toHaveLength(6);

      const destroy = await drover.planDestroy({ client, cwd: ROOT, dir: join(ROOT, 'examples'), env: {} });
      expect(destroy.changes.map((c) => `${c.action} ${c.id}`).sort()).toEqual(
        ['api', 'cleanup', 'migrate', 'node-exporter', 'redis', 'web'].map((id) => `delete ${id}`),
      );
      expect((await drover.applyPlan({ client, plan: destroy, purge: true })).ok).toBe(true);
    } finally {
      await client.close();
    }
  }, 60_000);
});
