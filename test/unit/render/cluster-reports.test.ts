import { exitCodeFor } from '../../../src/cli/exit-code.js';
import type { StackDrift } from '../../../src/drift/detect-drift.js';
import { destroyAfter, rolloutStages } from '../../../src/plan/project-plan.js';
import { renderClusterReports, renderClusterReportsJson } from '../../../src/render/cluster-reports.js';
import type { ClusterReport } from '../../../src/stack/cluster-reports.js';

const read = (cluster: string, report: string): ClusterReport<string> => ({
  cluster,
  address: `http://${cluster}:4646`,
  report,
});
const unread: ClusterReport<string> = {
  cluster: 'prod',
  address: 'http://prod:4646',
  failure: {
    message: 'cannot reach Nomad at http://prod:4646',
    code: 'nomad_unreachable',
    hint: 'Is Nomad running there?',
  },
};

describe('status, history and drift over clusters', () => {
  it('prints a section per cluster in order, without a count line when every cluster was read', () => {
    expect(renderClusterReports([read('staging', 'one'), read('prod', 'two')], (r) => `report ${r}`)).toBe(
      [
        '== cluster staging (http://staging:4646)',
        'report one',
        '',
        '== cluster prod (http://prod:4646)',
        'report two',
      ].join('\n'),
    );
  });

  it('names a cluster not read with why, keeps the others, and counts the clusters not read', () => {
    expect(renderClusterReports([read('staging', 'one'), unread], (r) => r)).toBe(
      [
        '== cluster staging (http://staging:4646)',
        'one',
        '',
        '== cluster prod (http://prod:4646): not read',
        '  ! cannot reach Nomad at http://prod:4646',
        '    Is Nomad running there?',
        '',
        '1 of 2 clusters could not be read: prod.',
      ].join('\n'),
    );
  });

  it('--json: one entry per cluster under the command key, null beside an error', () => {
    expect(renderClusterReportsJson([read('staging', 'one'), unread], 'status')).toEqual({
      clusters: [
        { name: 'staging', address: 'http://staging:4646', status: 'one', error: null },
        {
          name: 'prod',
          address: 'http://prod:4646',
          status: null,
          error: {
            message: 'cannot reach Nomad at http://prod:4646',
            hint: 'Is Nomad running there?',
            code: 'nomad_unreachable',
          },
        },
      ],
    });
  });

  const drift = (drifted: number): StackDrift => ({
    stack: 's',
    namespace: 'default',
    known: 1,
    drifted: Array.from(
      { length: drifted },
      () => ({ id: 'web', namespace: 'default', kind: 'modified', message: 'x' }) as never,
    ),
  });
  const clusters = (...reports: ClusterReport<StackDrift>[]) => ({
    kind: 'clusters' as const,
    clusters: reports,
  });
  const at = (cluster: string, report: StackDrift): ClusterReport<StackDrift> => ({
    cluster,
    address: 'a',
    report,
  });

  it.each([
    ['nothing drifted anywhere', clusters(at('a', drift(0)), at('b', drift(0))), true, 0],
    [
      'drift in one cluster, with --detailed-exitcode',
      clusters(at('a', drift(0)), at('b', drift(1))),
      true,
      2,
    ],
    ['drift in one cluster, without it', clusters(at('a', drift(0)), at('b', drift(1))), false, 0],
    [
      'a cluster not read, whatever the others found',
      clusters(at('a', drift(1)), unread as ClusterReport<never>),
      true,
      1,
    ],
    ['one Nomad that drifted', { kind: 'one' as const, report: drift(1) }, true, 2],
  ])('drift exits by every cluster: %s', (_name, reports, detailedExitcode, code) => {
    expect(exitCodeFor({ kind: 'drift', drift: reports, detailedExitcode })).toBe(code);
  });

  it('status and history exit 1 when a cluster was not read', () => {
    expect(
      exitCodeFor({ kind: 'reads', reports: { kind: 'clusters', clusters: [read('a', 'x'), unread] } }),
    ).toBe(1);
    expect(exitCodeFor({ kind: 'reads', reports: { kind: 'clusters', clusters: [read('a', 'x')] } })).toBe(0);
  });
});

describe("destroy's order", () => {
  const parts = (after: Map<string, string[]>) =>
    [...after].map(([cluster, a]) => ({ cluster, after: a, plan: {} as never }));

  it('is the rollout backwards: the clusters that come after one are destroyed before it', () => {
    const declared = [
      { name: 'staging', after: [] },
      { name: 'prod-eu', after: ['staging'] },
      { name: 'prod-us', after: ['staging'] },
      { name: 'dr', after: ['prod-eu'] },
    ];
    const after = destroyAfter(declared);
    expect(Object.fromEntries(after)).toEqual({
      staging: ['prod-eu', 'prod-us'],
      'prod-eu': ['dr'],
      'prod-us': [],
      dr: [],
    });
    const p = parts(after);
    expect(rolloutStages({ parts: [p[0]!, ...p.slice(1)] })).toEqual([
      ['prod-us', 'dr'],
      ['prod-eu'],
      ['staging'],
    ]);
  });
});
