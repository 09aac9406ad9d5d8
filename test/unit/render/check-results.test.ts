import type { CheckReport } from '../../../src/plan/check-report.js';
import { onePart, type ProjectPlan } from '../../../src/plan/project-plan.js';
import { projectChecksHuman } from '../../../src/render/check-results.js';
import { PLAIN } from '../../../src/render/palette.js';
import { clusterPlan } from '../../support/plan-changes.js';

const GATE: CheckReport = {
  time: '2026-12-10T09:00:00.000Z',
  results: [
    {
      name: 'promotion_gate',
      severity: 'error',
      at: 'drover.hcl:3:7',
      status: 'failed',
      messages: ['Promotions wait for the release manager.'],
      failing: ['job default/web'],
    },
  ],
};
const PASSED: CheckReport = {
  ...GATE,
  results: [{ ...GATE.results[0]!, status: 'passed', messages: [], failing: [] }],
};

describe('the checks alone (promote, a refused rollout)', () => {
  it("one Nomad's plan: its Checks section, as plan shows it", () => {
    const plan = { ...clusterPlan('default', { web: 'promote' }), checks: GATE };
    expect(projectChecksHuman(onePart(plan), PLAIN)).toEqual([
      'Checks:',
      '  ✗ promotion_gate: Promotions wait for the release manager.',
      '      job default/web',
      "  This plan may not be applied: promotion_gate. Fix it, or override one run with --skip-check NAME (recorded in the stack's history).",
    ]);
  });

  it("several clusters: each cluster's checks under its name; nothing for a plan without checks", () => {
    const project: ProjectPlan = {
      parts: [
        {
          cluster: 'staging',
          after: [],
          plan: { ...clusterPlan('staging', { web: 'promote' }), checks: PASSED },
        },
        {
          cluster: 'prod',
          after: ['staging'],
          plan: { ...clusterPlan('prod', { web: 'promote' }), checks: GATE },
        },
      ],
    };
    expect(projectChecksHuman(project, PLAIN)).toEqual([
      '== cluster staging',
      'Checks:',
      '  ✓ promotion_gate',
      '',
      '== cluster prod',
      'Checks:',
      '  ✗ promotion_gate: Promotions wait for the release manager.',
      '      job default/web',
      "  This plan may not be applied: promotion_gate. Fix it, or override one run with --skip-check NAME (recorded in the stack's history).",
      '',
    ]);
    expect(projectChecksHuman(onePart(clusterPlan('default', { web: 'promote' })), PLAIN)).toEqual([]);
  });
});
