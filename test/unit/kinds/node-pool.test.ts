import { applyPlan } from '../../../src/apply/apply-plan.js';
import type { NodePoolSpec } from '../../../src/nomad/endpoints/node-pools.js';
import type { Job } from '../../../src/nomad/types.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { planForDisplay } from '../../../src/plan/mask.js';
import type { Plan, PlanSettings } from '../../../src/plan/model.js';
import { renderPlanHuman } from '../../../src/render/plan-human.js';
import { renderPlanJson } from '../../../src/render/plan-json.js';
import { keyOf, warningsOf } from '../../support/plan-changes.js';
import { settings } from '../../support/plan-env.js';
import { validatePlanDocument } from '../../support/plan-schema.js';
import {
  runFor,
  serviceJob,
  startSimulatedNomad,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

describe('node pools planned and applied beside jobs', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  const general: NodePoolSpec = {
    Name: 'general',
    Description: 'Nodes for everyone',
    Meta: { tier: 'shared' },
  };

  const plan = (
    pools: readonly NodePoolSpec[],
    jobs: readonly Job[] = [],
    overrides: Partial<PlanSettings> = {},
  ) =>
    buildPlan({
      client: env.nomad,
      desired: {
        'node-pool': { objects: pools.map((spec) => ({ spec, file: 'drover.hcl' })) },
        job: { jobs: jobs.map((job) => ({ job })), dangerouslyAllowEmptyPrune: true },
      },
      settings: settings(overrides),
    });

  const apply = async (planned: Plan) => {
    const running = applyPlan({ client: env.nomad, plan: planned, watchWith: 'blocking', wait: '50ms' });
    const ticking = setInterval(() => runFor(env.sim, 2_000), 5);
    try {
      return await running;
    } finally {
      clearInterval(ticking);
    }
  };

  const summary = (planned: Plan) =>
    planned.changes.map((c) => `${c.wave + 1} ${c.action} ${c.kind} ${keyOf(c)}`);

  it('creates a pool before the job placed in it; the default TTL Nomad fills is no change on the next plan', async () => {
    const job = serviceJob('api', { NodePool: 'general' });
    const first = await plan([general], [job]);
    expect(summary(first)).toEqual(['1 create node-pool /general', '2 create job default/api']);
    expect(warningsOf(first.changes[1])).toEqual([
      'node pool "general" is created by this plan first, so Nomad could not plan the job in it: this diff was computed locally.',
    ]);
    const text = renderPlanHuman(planForDisplay(first, { showSensitive: false }), { color: false });
    expect(text).toContain(
      '  # node pool "general" will be created  [wave 1]\n  + node pool "general"  drover.hcl\n',
    );
    expect(text).toContain('      + Description: "Nodes for everyone"');
    expect(text.split('\n').at(-1)).toBe(
      'Plan: 2 to create, 0 to update, 0 to delete (node pools: 1 to create; jobs: 1 to create).',
    );
    const result = await apply(first);
    expect(result.ok).toBe(true);
    expect((await env.nomad.nodePools.read('general')).body).toMatchObject({
      Description: 'Nodes for everyone',
      Meta: { tier: 'shared', 'drover.stack': 'shop' },
    });
    expect(summary(await plan([general], [job]))).toEqual([
      '1 noop node-pool /general',
      '2 noop job default/api',
    ]);
  });

  it('adopts an existing pool by stamping it, saying so in its own words', async () => {
    await env.nomad.nodePools.write({ Name: 'general', Description: 'Nodes for everyone' });
    const adopting = await plan([{ Name: 'general', Description: 'Nodes for everyone' }]);
    expect(summary(adopting)).toEqual(['1 adopt node-pool /general']);
    expect(warningsOf(adopting.changes[0])).toEqual([
      'drover takes this node pool over by adding meta "drover.stack" = "shop".',
    ]);
    expect((await apply(adopting)).ok).toBe(true);
    expect((await env.nomad.nodePools.read('general')).body.Meta).toEqual({ 'drover.stack': 'shop' });
  });

  it('refuses to change a built-in pool, naming the block to remove', async () => {
    await expect(plan([{ Name: 'default', Description: 'mine' }])).rejects.toThrow(
      'node pool "default" is built into Nomad, which refuses to change it (drover.hcl)',
    );
  });

  it('prunes a pool of the stack no file declares once nothing runs in it, and refuses while a job of another does', async () => {
    await apply(await plan([general]));
    await env.nomad.jobs.register({ Job: serviceJob('foreign', { NodePool: 'general' }) });
    await expect(plan([], [], { prune: true })).rejects.toThrow(
      'node pool "general" would be deleted, but it still holds job foreign',
    );
    await env.nomad.jobs.deregister('foreign', { purge: true });
    const pruning = await plan([], [], { prune: true });
    expect(summary(pruning)).toEqual(['1 delete node-pool /general']);
    expect((await apply(pruning)).ok).toBe(true);
    expect((await env.nomad.nodePools.find('general')).body).toBeNull();
  });

  it('renders as JSON that validates against the schema', async () => {
    const planned = await plan([general]);
    const document = renderPlanJson(planForDisplay(planned, { showSensitive: false }), {
      droverVersion: '0.0.0',
    });
    expect(validatePlanDocument(document)).toEqual([]);
  });
});
