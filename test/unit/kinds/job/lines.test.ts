import { jobAddress, type JobChange } from '../../../../src/kinds/job/change.js';
import { jobLines } from '../../../../src/kinds/job/lines.js';
import type { ChangeLine } from '../../../../src/kinds/change-lines.js';
import type { DesiredUpdates, FieldDiff } from '../../../../src/nomad/types.js';

const base = {
  kind: 'job',
  address: jobAddress('default', 'default', 'web'),
  wave: 0,
  jobModifyIndex: 7,
  notes: [],
} as const;
const field = (Type: FieldDiff['Type'], Name: string, Old: string, New: string): FieldDiff => ({
  Type,
  Name,
  Old,
  New,
  Annotations: null,
});

/** What the scheduler would do to a group, the counts not named 0. */
const updates = (counts: Partial<DesiredUpdates>): DesiredUpdates => ({
  Ignore: 0,
  Place: 0,
  Migrate: 0,
  Stop: 0,
  InPlaceUpdate: 0,
  DestructiveUpdate: 0,
  Canary: 0,
  Preemptions: 0,
  ...counts,
});

const cases: ReadonlyArray<readonly [string, JobChange, string, readonly ChangeLine[]]> = [
  [
    'a promote: its deployment',
    { ...base, action: 'promote', deploymentId: '0123456789abcdef', file: 'web.nomad.hcl' },
    'default',
    [
      { type: 'heading', kind: 'job', name: 'web', action: 'promote', wave: 0, computedLocally: false },
      { type: 'symbol', kind: 'job', name: 'web', action: 'promote', file: 'web.nomad.hcl' },
      { type: 'promote', deploymentId: '0123456789abcdef' },
    ],
  ],
  [
    'a delete in another namespace: heading and symbol only, the namespace named',
    { ...base, address: jobAddress('default', 'batch', 'web'), action: 'delete' },
    'default',
    [
      {
        type: 'heading',
        kind: 'job',
        name: 'web',
        namespace: 'batch',
        action: 'delete',
        wave: 0,
        computedLocally: false,
      },
      { type: 'symbol', kind: 'job', name: 'web', action: 'delete' },
    ],
  ],
  [
    'a new job without its full spec: its groups in short, with what the scheduler places',
    {
      ...base,
      action: 'create',
      job: { ID: 'web', TaskGroups: [{ Name: 'web', Count: 2, Tasks: [{ Name: 'app' }, { Name: 'log' }] }] },
      annotations: { web: updates({ Place: 2 }) },
      ignoredFields: 0,
      computedLocally: true,
    } as JobChange,
    'default',
    [
      { type: 'heading', kind: 'job', name: 'web', action: 'create', wave: 0, computedLocally: true },
      { type: 'symbol', kind: 'job', name: 'web', action: 'create' },
      { type: 'new-group', name: 'web', count: 2, tasks: ['app', 'log'], scheduler: updates({ Place: 2 }) },
    ],
  ],
  [
    'an update: fields, then each changed group and task with theirs; unchanged ones left out',
    {
      ...base,
      action: 'update',
      job: { ID: 'web' },
      diff: {
        Type: 'Edited',
        ID: 'web',
        Fields: [field('Edited', 'Priority', '50', '60'), field('None', 'Type', 'service', 'service')],
        Objects: null,
        TaskGroups: [
          { Type: 'None', Name: 'quiet', Fields: null, Objects: null, Tasks: null, Updates: null },
          {
            Type: 'Edited',
            Name: 'web',
            Fields: [field('Edited', 'Count', '1', '2')],
            Objects: null,
            Updates: null,
            Tasks: [
              {
                Type: 'Edited',
                Name: 'app',
                Annotations: ['forces create/destroy update'],
                Fields: null,
                Objects: [
                  // Nomad diffs templates as a set: an edit is a Deleted and an Added object of one name.
                  {
                    Type: 'Deleted',
                    Name: 'Template',
                    Fields: [
                      field('Deleted', 'DestPath', 'a.env', ''),
                      field('Deleted', 'Perms', '0644', ''),
                    ],
                    Objects: null,
                  },
                  {
                    Type: 'Added',
                    Name: 'Template',
                    Fields: [field('Added', 'DestPath', '', 'b.env'), field('Added', 'Perms', '', '0644')],
                    Objects: null,
                  },
                ],
              },
            ],
          },
        ],
      },
      annotations: { web: updates({ Place: 1, InPlaceUpdate: 1 }) },
      preservedCounts: { web: { live: 3, file: 2 } },
      ignoredFields: 1,
      computedLocally: false,
    } as JobChange,
    'default',
    [
      { type: 'heading', kind: 'job', name: 'web', action: 'update', wave: 0, computedLocally: false },
      { type: 'symbol', kind: 'job', name: 'web', action: 'update' },
      { type: 'field', depth: 0, field: field('Edited', 'Priority', '50', '60') },
      { type: 'group', diff: 'Edited', name: 'web', scheduler: updates({ Place: 1, InPlaceUpdate: 1 }) },
      { type: 'field', depth: 1, field: field('Edited', 'Count', '1', '2') },
      { type: 'task', diff: 'Edited', name: 'app', annotations: ['forces create/destroy update'] },
      { type: 'object', depth: 2, diff: 'Edited', name: 'Template' },
      { type: 'field', depth: 3, field: field('Edited', 'DestPath', 'a.env', 'b.env') },
      { type: 'object-end', depth: 2 },
      { type: 'preserved-count', group: 'web', live: 3, file: 2 },
    ],
  ],
  [
    'a revert: its versions, then its diff',
    {
      ...base,
      action: 'revert',
      job: { ID: 'web' },
      revert: { fromVersion: 4, toVersion: 2 },
      diff: {
        Type: 'Edited',
        ID: 'web',
        Fields: [field('Edited', 'Priority', '60', '50')],
        Objects: null,
        TaskGroups: null,
      },
      ignoredFields: 0,
      computedLocally: false,
    } as JobChange,
    'default',
    [
      { type: 'heading', kind: 'job', name: 'web', action: 'revert', wave: 0, computedLocally: false },
      { type: 'symbol', kind: 'job', name: 'web', action: 'revert' },
      { type: 'revert', fromVersion: 4, toVersion: 2 },
      { type: 'field', depth: 0, field: field('Edited', 'Priority', '60', '50') },
    ],
  ],
];

describe("a job change's lines", () => {
  it.each(cases)('%s', (_name, change, planNamespace, lines) => {
    expect(jobLines(change, planNamespace)).toEqual(lines);
  });
});
