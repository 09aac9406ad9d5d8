import type { ChangeLine } from '../../../src/kinds/change-lines.js';
import { objectLines } from '../../../src/kinds/object-lines.js';
import type { FieldDiff } from '../../../src/nomad/types.js';
import type { ObjectKindChange } from '../../../src/plan/model.js';

const field = (Type: FieldDiff['Type'], Name: string, Old: string, New: string): FieldDiff => ({
  Type,
  Name,
  Old,
  New,
  Annotations: null,
});

const cases: ReadonlyArray<readonly [string, ObjectKindChange, readonly ChangeLine[]]> = [
  [
    'a namespace created: every field it sets, unchanged ones too',
    {
      kind: 'namespace',
      address: { cluster: 'default', kind: 'namespace', name: 'payments' },
      action: 'create',
      wave: 0,
      file: 'drover.hcl',
      notes: [],
      spec: { Name: 'payments' },
      modifyIndex: 0,
      fields: [
        field('Added', 'Description', '', 'Payments team'),
        field('None', 'Name', 'payments', 'payments'),
      ],
    },
    [
      {
        type: 'heading',
        kind: 'namespace',
        name: 'payments',
        action: 'create',
        wave: 0,
        computedLocally: false,
      },
      { type: 'symbol', kind: 'namespace', name: 'payments', action: 'create', file: 'drover.hcl' },
      { type: 'field', depth: 0, field: field('Added', 'Description', '', 'Payments team') },
      { type: 'field', depth: 0, field: field('None', 'Name', 'payments', 'payments') },
    ],
  ],
  [
    'a variable of another namespace updated: the namespace named, only what changes',
    {
      kind: 'variable',
      address: { cluster: 'default', kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api' },
      action: 'update',
      wave: 1,
      notes: [],
      spec: { DigestKey: 'k', ItemDigests: {} },
      modifyIndex: 9,
      fields: [field('Edited', 'Items[db_password]', '(sensitive value)', '(sensitive value changed)')],
    },
    [
      {
        type: 'heading',
        kind: 'variable',
        name: 'nomad/jobs/api',
        namespace: 'payments',
        action: 'update',
        wave: 1,
        computedLocally: false,
      },
      { type: 'symbol', kind: 'variable', name: 'nomad/jobs/api', action: 'update' },
      {
        type: 'field',
        depth: 0,
        field: field('Edited', 'Items[db_password]', '(sensitive value)', '(sensitive value changed)'),
      },
    ],
  ],
  [
    'an ACL policy deleted: heading and symbol only',
    {
      kind: 'acl-policy',
      address: { cluster: 'default', kind: 'acl-policy', name: 'deploy' },
      action: 'delete',
      wave: 3,
      notes: [],
      modifyIndex: 12,
    },
    [
      {
        type: 'heading',
        kind: 'acl-policy',
        name: 'deploy',
        action: 'delete',
        wave: 3,
        computedLocally: false,
      },
      { type: 'symbol', kind: 'acl-policy', name: 'deploy', action: 'delete' },
    ],
  ],
];

describe("a spec object's change lines", () => {
  it.each(cases)('%s', (_name, change, lines) => {
    expect(objectLines(change, 'default')).toEqual(lines);
  });
});
