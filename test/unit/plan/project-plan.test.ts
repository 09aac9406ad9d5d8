import type { Action } from '../../../src/plan/model.js';
import {
  parsePlanFile,
  parseSavedProject,
  serializePlan,
  serializeProjectPlan,
} from '../../../src/plan/plan-file.js';
import {
  countAcross,
  onePart,
  projectHasChanges,
  rolloutStages,
  singlePlan,
  type ClusterPart,
  type ProjectPlan,
} from '../../../src/plan/project-plan.js';
import { clusterPlan } from '../../support/plan-changes.js';

const part = (cluster: string, after: string[], actions: Record<string, Action>): ClusterPart => ({
  cluster,
  after,
  plan: clusterPlan(cluster, actions),
});

const THREE: ProjectPlan = {
  parts: [
    part('staging', [], { web: 'update', tester: 'create' }),
    part('prod-eu', ['staging'], { web: 'update' }),
    part('prod-us', ['staging'], { web: 'noop' }),
  ],
};

describe('a project plan over clusters', () => {
  it('rolls out in stages by after: staging, then both prods together', () => {
    expect(rolloutStages(THREE)).toEqual([['staging'], ['prod-eu', 'prod-us']]);
  });

  it('does not wait for a cluster --cluster left out', () => {
    expect(rolloutStages({ parts: [THREE.parts[1]!] })).toEqual([['prod-eu']]);
  });

  it('chains stages through several levels', () => {
    const chain: ProjectPlan = {
      parts: [part('c', ['b'], {}), part('b', ['a'], {}), part('a', [], {}), part('d', [], {})],
    };
    expect(rolloutStages(chain)).toEqual([['a', 'd'], ['b'], ['c']]);
  });

  it('counts across clusters; a failed cluster counts nothing and the rest still count', () => {
    expect(countAcross(THREE)).toMatchObject({ create: 1, update: 2, noop: 1, delete: 0 });
    const failed: ProjectPlan = {
      parts: [
        THREE.parts[0],
        {
          cluster: 'prod-eu',
          after: [],
          address: 'http://eu:4646',
          failure: { message: 'refused', code: 'nomad_unreachable' },
        },
      ],
    };
    expect(countAcross(failed)).toMatchObject({ create: 1, update: 1 });
    expect(projectHasChanges(failed)).toBe(true);
  });

  it('has no changes when no cluster has any', () => {
    expect(projectHasChanges({ parts: [part('a', [], { web: 'noop' }), part('b', [], {})] })).toBe(false);
  });

  it('is one plan only without cluster blocks', () => {
    expect(singlePlan(onePart(clusterPlan('default', { web: 'create' })))).toBeDefined();
    expect(singlePlan(onePart(clusterPlan('staging', { web: 'create' })))).toBeUndefined();
    expect(singlePlan(THREE)).toBeUndefined();
  });
});

describe('saved plans over clusters', () => {
  it("keep every cluster's plan, checked whole", () => {
    const text = serializeProjectPlan(THREE, '0.1.0');
    expect(parseSavedProject(text, 'plan.json').project).toEqual(THREE);
    expect(() =>
      parseSavedProject(text.replace('http://prod-eu.test', 'http://evil.test'), 'plan.json'),
    ).toThrow(
      'plan.json is not a usable plan: its checksum does not match: the file was changed after drover wrote it',
    );
  });

  it('are refused when a cluster could not be planned', () => {
    const failed: ProjectPlan = {
      parts: [
        THREE.parts[0],
        {
          cluster: 'prod-eu',
          after: [],
          address: 'http://eu:4646',
          failure: { message: 'refused', code: 'nomad_unreachable' },
        },
      ],
    };
    expect(() => serializeProjectPlan(failed, '0.1.0')).toThrow(
      'the plan was not saved: cluster "prod-eu" could not be planned',
    );
  });

  it('of one Nomad are written and read as before', () => {
    const plan = clusterPlan('default', { web: 'create' });
    expect(serializeProjectPlan(onePart(plan), '0.1.0')).toBe(serializePlan(plan, '0.1.0'));
    expect(parseSavedProject(serializePlan(plan, '0.1.0'), 'p.json').project).toEqual(onePart(plan));
  });

  it('of several clusters are not read as one plan', () => {
    expect(() => parsePlanFile(serializeProjectPlan(THREE, '0.1.0'), 'plan.json')).toThrow(
      'plan.json holds the plans of 3 clusters, not one',
    );
  });
});
