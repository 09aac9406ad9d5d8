import type { Action } from '../../../src/plan/model.js';
import type { ClusterPart, ProjectPlan } from '../../../src/plan/project-plan.js';
import {
  projectForDisplay,
  renderProjectHuman,
  renderProjectJson,
  renderProjectMarkdown,
} from '../../../src/render/project-plan.js';
import { clusterPlan } from '../../support/plan-changes.js';
import { validatePlanDocument } from '../../support/plan-schema.js';

const part = (cluster: string, after: string[], actions: Record<string, Action>): ClusterPart => ({
  cluster,
  after,
  plan: clusterPlan(cluster, actions),
});

const PROJECT: ProjectPlan = {
  parts: [
    part('staging', [], { web: 'update', tester: 'create' }),
    part('prod-eu', ['staging'], { web: 'update' }),
    {
      cluster: 'prod-us',
      after: ['staging'],
      address: 'https://us.example:4646',
      failure: {
        message:
          'cannot reach Nomad at https://us.example:4646 (from cluster "prod-us" in drover.hcl): connection refused',
        hint: 'Is Nomad running there?',
        code: 'nomad_unreachable',
      },
    },
  ],
};
const shown = projectForDisplay(PROJECT, { showSensitive: false });

describe('a project plan for people', () => {
  it('prints a section per cluster, the one that failed with why, the totals and the rollout order', () => {
    expect(renderProjectHuman(shown, { color: false })).toBe(
      [
        'drover plan (stack shop, 3 clusters: staging, prod-eu, prod-us, project drover.hcl)',
        '',
        'cluster staging (stack shop, namespace default, http://staging.test:4646, project drover.hcl)',
        '',
        '  # web will be updated  [wave 1]',
        '  ~ job "web"',
        '',
        '  # tester will be created  [wave 1]',
        '  + job "tester"',
        '',
        'Plan: 1 to create, 1 to update, 0 to delete.',
        '',
        'cluster prod-eu (stack shop, namespace default, http://prod-eu.test:4646, project drover.hcl)',
        '',
        '  # web will be updated  [wave 1]',
        '  ~ job "web"',
        '',
        'Plan: 0 to create, 1 to update, 0 to delete.',
        '',
        'cluster prod-us (https://us.example:4646): not planned',
        '  ! cannot reach Nomad at https://us.example:4646 (from cluster "prod-us" in drover.hcl): connection refused',
        '    Is Nomad running there?',
        '',
        'Across 2 clusters: 1 to create, 2 to update, 0 to delete. 1 cluster not planned: prod-us.',
        'Rollout: staging, then prod-eu and prod-us (together).',
      ].join('\n'),
    );
  });

  it('says when no cluster changes', () => {
    const quiet: ProjectPlan = { parts: [part('a', [], { web: 'noop' }), part('b', ['a'], { web: 'noop' })] };
    const text = renderProjectHuman(projectForDisplay(quiet, { showSensitive: false }), { color: false });
    expect(text.split('\n').slice(-2)).toEqual([
      'Across 2 clusters: 0 to create, 0 to update, 0 to delete. 2 unchanged.',
      'Rollout: a, then b.',
    ]);
    expect(text.match(/No changes\. Nomad matches the job files\./g)).toHaveLength(2);
  });
});

describe('a project plan for a pull request', () => {
  const markdown = renderProjectMarkdown(shown);

  it('starts with the clusters, the rollout, the one not planned and a row per cluster', () => {
    expect(markdown.split('\n').slice(0, 11)).toEqual([
      '### drover plan',
      '',
      'Stack `shop`, clusters `staging`, `prod-eu`, `prod-us`, project `drover.hcl`. Rollout: staging, then prod-eu and prod-us (together).',
      '',
      '> [!CAUTION]',
      '> - Cluster `prod-us` could not be planned: cannot reach Nomad at https://us.example:4646 (from cluster "prod-us" in drover.hcl): connection refused',
      '',
      '| cluster | create | update | start | adopt | delete | unchanged |',
      '|---|---:|---:|---:|---:|---:|---:|',
      '| `staging` | 1 | 1 | 0 | 0 | 0 | 0 |',
      '| `prod-eu` | 0 | 1 | 0 | 0 | 0 | 0 |',
    ]);
  });

  it('then gives each cluster its own section, and ends with the totals', () => {
    expect(markdown.match(/^#### Cluster `[^`]+`$/gm)).toEqual([
      '#### Cluster `staging`',
      '#### Cluster `prod-eu`',
    ]);
    expect(markdown.trimEnd().split('\n').at(-1)).toBe(
      'Across 2 clusters: 1 to create, 2 to update, 0 to delete. 1 cluster not planned: prod-us.',
    );
  });

  it("stays within the comment's limit, every cluster keeping its share", () => {
    const big = (cluster: string, after: string[]) =>
      part(
        cluster,
        after,
        Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`job-${i}`, 'update' as const])),
      );
    const many: ProjectPlan = {
      parts: [big('staging', []), big('prod-eu', ['staging']), big('prod-us', ['staging'])],
    };
    const text = renderProjectMarkdown(projectForDisplay(many, { showSensitive: false }), { limit: 30_000 });
    expect(text.length).toBeLessThanOrEqual(30_000);
    for (const cluster of ['staging', 'prod-eu', 'prod-us']) {
      const section = text.split(`#### Cluster \`${cluster}\``)[1]!.split('#### Cluster')[0]!;
      expect(section).toMatch(/<b>job-0<\/b>/);
      expect(section).toMatch(/more jobs not shown/);
    }
  });
});

describe('a project plan for machines', () => {
  const document = renderProjectJson(shown, { droverVersion: '0.1.0' }) as {
    clusters: Array<{
      name: string;
      plan: { changes: Array<{ address: { cluster: string } }> } | null;
      error: unknown;
    }>;
    rollout: string[][];
    summary: Record<string, unknown>;
  };

  it('matches the checked-in schema', () => {
    expect(validatePlanDocument(document)).toEqual([]);
  });

  it("carries each cluster's plan, the cluster in every change's address, the failure, the stages and the totals", () => {
    expect(
      document.clusters.map((c) => [c.name, c.plan?.changes.map((ch) => ch.address.cluster) ?? null]),
    ).toEqual([
      ['staging', ['staging', 'staging']],
      ['prod-eu', ['prod-eu']],
      ['prod-us', null],
    ]);
    expect(document.clusters[2]!.error).toEqual({
      message:
        'cannot reach Nomad at https://us.example:4646 (from cluster "prod-us" in drover.hcl): connection refused',
      hint: 'Is Nomad running there?',
      code: 'nomad_unreachable',
    });
    expect(document.rollout).toEqual([['staging'], ['prod-eu', 'prod-us']]);
    expect(document.summary).toMatchObject({
      create: 1,
      update: 2,
      has_changes: true,
      failed_clusters: ['prod-us'],
    });
  });
});
