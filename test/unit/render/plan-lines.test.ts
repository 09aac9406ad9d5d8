import { jobAddress, type JobChange } from '../../../src/kinds/job/change.js';
import type { FieldDiff } from '../../../src/nomad/types.js';
import type { DisplayPlan } from '../../../src/plan/mask.js';
import type { Change, PlanSettings } from '../../../src/plan/model.js';
import { renderPlanHuman } from '../../../src/render/plan-human.js';
import { planLines } from '../../../src/render/plan-lines.js';
import { renderPlanMarkdown } from '../../../src/render/plan-markdown.js';

const settings: PlanSettings = {
  cluster: 'default',
  address: 'http://127.0.0.1:4646',
  namespace: 'default',
  stack: 'shop',
  stampKey: 'drover.stack',
  prune: true,
  preserveCounts: false,
  targets: [],
  maskPatterns: [],
};
const field = (Type: FieldDiff['Type'], Name: string, Old: string, New: string): FieldDiff => ({
  Type,
  Name,
  Old,
  New,
  Annotations: null,
});
const plan = (changes: readonly Change[], more: Partial<DisplayPlan> = {}): DisplayPlan =>
  ({ settings, changes, createdAt: '2026-12-07T00:00:00Z', ...more }) as DisplayPlan;

/** web's template changes one line of a list: the lines around it start with "- " too. */
const web: JobChange = {
  kind: 'job',
  address: jobAddress('default', 'default', 'web'),
  action: 'update',
  wave: 0,
  jobModifyIndex: 7,
  file: 'web.nomad.hcl',
  notes: [{ type: 'nomad-warning', text: 'Group "web" has no update block' }],
  job: { ID: 'web' },
  diff: {
    Type: 'Edited',
    ID: 'web',
    Fields: [field('Edited', 'Priority', '50', '60')],
    Objects: null,
    TaskGroups: [
      {
        Type: 'Edited',
        Name: 'web',
        Fields: null,
        Objects: null,
        Updates: null,
        Tasks: [
          {
            Type: 'Edited',
            Name: 'app',
            Annotations: ['forces in-place update'],
            Fields: [field('Edited', 'Env[HOSTS]', '- a\n- b\n- c\n', '- a\n- B\n- c\n')],
            Objects: null,
          },
        ],
      },
    ],
  },
  ignoredFields: 1,
  computedLocally: false,
};

const policy: Change = {
  kind: 'acl-policy',
  address: { cluster: 'default', kind: 'acl-policy', name: 'deploy' },
  action: 'create',
  wave: 1,
  notes: [],
  spec: { Name: 'deploy', Rules: '' },
  modifyIndex: 0,
  fields: [field('Added', 'Description', '', 'CI deploys')],
} as Change;

const notes = {
  notes: [{ type: 'promotion-wait', namespace: 'default', id: 'web', since: '2026-12-02T06:40:00Z' }],
} as const;

describe('the plan as lines', () => {
  it('comes in the order people read it: title, changes, notes, warnings, summary', () => {
    expect(planLines(plan([web, policy], notes)).map((line) => line.type)).toEqual([
      'title',
      'change',
      'change',
      'note',
      'warning',
      'summary',
    ]);
  });

  it('prints for people', () => {
    expect(renderPlanHuman(plan([web, policy], notes), { color: false })).toBe(
      [
        'drover plan (stack shop, namespace default, http://127.0.0.1:4646)',
        '',
        '  # web will be updated  [wave 1]',
        '  ~ job "web"  web.nomad.hcl',
        '      ~ Priority: "50" → "60"',
        '      ~ group "web"',
        '          ~ task "app"  (forces in-place update)',
        '              ~ Env[HOSTS]:',
        '                  @@ -1,3 +1,3 @@',
        '                   - a',
        '                  -- b',
        '                  +- B',
        '                   - c',
        '',
        '  # ACL policy "deploy" will be created  [wave 2]',
        '  + ACL policy "deploy"',
        '      + Description: "CI deploys"',
        '',
        'Notes:',
        '  · web: canaries healthy, waiting for promotion since 2026-12-02T06:40:00Z: drover promote web',
        '',
        'Warnings:',
        '  ! web: Group "web" has no update block',
        '',
        'Plan: 1 to create, 1 to update, 0 to delete (jobs: 1 to update; ACL policies: 1 to create). (1 field that Nomad or drover sets not shown.)',
      ].join('\n'),
    );
  });

  it("prints a ```diff block for a pull request, a line diff's context lines left as context", () => {
    const markdown = renderPlanMarkdown(plan([web]));
    expect(markdown).toContain(
      [
        '```diff',
        '# web will be updated  [wave 1]',
        '~ job "web"  web.nomad.hcl',
        '~     Priority: "50" → "60"',
        '~     group "web"',
        '~         task "app"  (forces in-place update)',
        '~             Env[HOSTS]:',
        '                @@ -1,3 +1,3 @@',
        '                 - a',
        '-                - b',
        '+                - B',
        '                 - c',
        '```',
      ].join('\n'),
    );
  });
});
