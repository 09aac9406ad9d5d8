import { jobChange } from '../../support/plan-changes.js';
import { rolloutGraph, stepsOfJobs, stepsOfPlan, type RolloutStep } from '../../../src/graph/rollout.js';
import { topLevel, type Graph } from '../../../src/graph/model.js';
import type { Plan } from '../../../src/plan/model.js';
import { planWith } from '../../support/plan-env.js';
import {
  batchJob,
  serviceJob,
  startSimulatedNomad,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

/** The graph as lines a reader can check at a glance: each wave with its jobs, then each edge. */
function outline(graph: Graph): string[] {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const waves = new Map(graph.groups.map((g) => [g.id, `wave ${g.wave}`]));
  const label = (id: string) => {
    const node = nodes.get(id);
    if (!node) return waves.get(id)!;
    return `${node.name}${node.namespace ? `@${node.namespace}` : ''}${node.action ? `:${node.action}` : ''}`;
  };
  return [
    ...graph.groups.map(
      (g) => `wave ${g.wave}${g.only ? ` (${g.only})` : ''}: ${g.members.map(label).join(', ')}`,
    ),
    ...graph.edges.map((e) => `${label(e.from)} ${e.kind === 'wave' ? '-.->' : '-->'} ${label(e.to)}`),
  ];
}

const step = (id: string, wave: number, more: Partial<RolloutStep> = {}): RolloutStep => ({
  id,
  namespace: 'default',
  wave,
  dependsOn: [],
  preDeploy: false,
  ...more,
});

describe('the rollout graph', () => {
  const migrate = { ...batchJob('migrate'), Meta: { 'drover.phase': 'pre' } };
  const desired = [
    { job: serviceJob('web', { Meta: { 'drover.depends_on': 'api' } }) },
    { job: serviceJob('api'), dependsOn: ['redis'] },
    { job: serviceJob('redis') },
    { job: serviceJob('cleanup') },
    { job: migrate },
  ];

  it('of job files: waves from depends_on (drover.hcl and meta), pre-deploy first, one edge per dependency', () => {
    const graph = rolloutGraph(stepsOfJobs(desired, 'default'), { namespace: 'default' });
    expect(outline(graph)).toEqual([
      'wave 1 (pre-deploy): migrate',
      'wave 2: cleanup, redis',
      'wave 3: api',
      'wave 4: web',
      'wave 1 -.-> wave 2',
      'wave 2 -.-> wave 3',
      'wave 3 -.-> wave 4',
      'redis --> api',
      'api --> web',
    ]);
    expect(topLevel(graph)).toEqual(['wave:1', 'wave:2', 'wave:3', 'wave:4']);
  });

  it('draws a dependency named twice (drover.hcl and meta) once, and none to a job outside the set', () => {
    const graph = rolloutGraph(
      stepsOfJobs(
        [
          { job: serviceJob('api', { Meta: { 'drover.depends_on': 'redis,vault' } }), dependsOn: ['redis'] },
          { job: serviceJob('redis') },
        ],
        'default',
      ),
      { namespace: 'default' },
    );
    expect(outline(graph)).toEqual(['wave 1: redis', 'wave 2: api', 'wave 1 -.-> wave 2', 'redis --> api']);
  });

  it('names the namespace of a job outside the rollout’s, and keeps two same-named jobs apart', () => {
    const graph = rolloutGraph(
      stepsOfJobs([{ job: serviceJob('web') }, { job: serviceJob('web', { Namespace: 'prod' }) }], 'default'),
      { namespace: 'default' },
    );
    expect(outline(graph)).toEqual(['wave 1: web, web@prod']);
    expect(graph.nodes.map((n) => n.id)).toEqual(['job:default/web', 'job:prod/web']);
  });

  it('of a plan: deletes last, each before what it depends on, the actions on the nodes', () => {
    const plan = {
      settings: { namespace: 'default' },
      changes: [
        jobChange('redis', 'noop', { wave: 0 }),
        jobChange('api', 'update', { wave: 1, dependsOn: ['redis'] }),
        jobChange('web', 'delete', { wave: 2, dependsOn: ['cache'] }),
        jobChange('cache', 'delete', { wave: 3 }),
        jobChange('report', 'delete', { wave: 3, namespace: 'batch' }),
      ],
    } as unknown as Plan;
    expect(outline(rolloutGraph(stepsOfPlan(plan), { namespace: 'default' }))).toEqual([
      'wave 1: redis:noop',
      'wave 2: api:update',
      'wave 3 (deletes): web:delete',
      'wave 4 (deletes): cache:delete, report@batch:delete',
      'wave 1 -.-> wave 2',
      'wave 2 -.-> wave 3',
      'wave 3 -.-> wave 4',
      'redis:noop --> api:update',
      'web:delete --> cache:delete',
    ]);
  });

  it('keeps an order that runs through a step left out as an edge between the steps drawn', () => {
    // a → b → c → d, with b and c unchanged: a still comes before d.
    const steps = [
      step('a', 0, { action: 'update' }),
      step('b', 1, { dependsOn: ['a'], action: 'noop' }),
      step('c', 2, { dependsOn: ['b'], action: 'noop' }),
      step('d', 3, { dependsOn: ['c', 'b'], action: 'create' }),
      step('e', 3, { dependsOn: ['c'], action: 'noop' }),
    ];
    const graph = rolloutGraph(steps, { namespace: 'default', shown: (s) => s.action !== 'noop' });
    expect(outline(graph)).toEqual([
      'wave 1: a:update',
      'wave 4: d:create',
      'wave 1 -.-> wave 4',
      'a:update --> d:create',
    ]);
  });

  it('does not loop on a cycle in a hand-made plan', () => {
    const steps = [step('a', 0, { dependsOn: ['b'] }), step('b', 0, { dependsOn: ['a'] })];
    expect(outline(rolloutGraph(steps, { namespace: 'default', shown: (s) => s.id === 'a' }))).toEqual([
      'wave 1: a',
    ]);
  });

  describe('against the simulator', () => {
    let env: SimulatedNomad;
    beforeEach(async () => {
      env = await startSimulatedNomad();
    });
    afterEach(() => env.close());

    it("is the same from the job files as from drover's plan of them, less the actions", async () => {
      const plan = await planWith(env, desired);
      const planned = rolloutGraph(stepsOfPlan(plan), { namespace: 'default' });
      const offline = rolloutGraph(stepsOfJobs(desired, 'default'), { namespace: 'default' });
      expect(planned.nodes.map((n) => n.action)).toEqual(Array(5).fill('create'));
      expect({ ...planned, nodes: planned.nodes.map(({ action: _action, ...node }) => node) }).toEqual(
        offline,
      );
    });
  });
});
