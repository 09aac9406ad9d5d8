import type { StackNote } from '../../../src/plan/model.js';
import { describeStackNote } from '../../../src/render/change-notes.js';

const cases: ReadonlyArray<readonly [string, StackNote, string]> = [
  [
    'a lock held by a CI run, for how long at the time drover saw it',
    {
      type: 'stack-locked',
      stack: 'shop',
      holder: {
        holder: 'GitHub Actions acme/shop run 42',
        command: 'apply',
        started: '2026-12-02T03:00:00.000Z',
        drover_version: '0.1.0',
      },
      seenAt: '2026-12-02T03:03:00.000Z',
    },
    'stack "shop" is locked by GitHub Actions acme/shop run 42 (drover 0.1.0 apply, since 2026-12-02T03:00:00.000Z, 3m ago): an apply now fails (or waits, with --lock-timeout); drift is compared once that run ends',
  ],
  [
    'a lock that names no holder',
    { type: 'stack-locked', stack: 'shop', seenAt: '2026-12-02T03:03:00.000Z' },
    'stack "shop" is locked by another run (its lock names no holder): an apply now fails (or waits, with --lock-timeout); drift is compared once that run ends',
  ],
  [
    'an object edited outside drover',
    {
      type: 'object-drift',
      address: { cluster: 'default', kind: 'acl-policy', name: 'deploy' },
      change: 'edited',
      recorded: 10,
      now: 14,
    },
    'drift: ACL policy deploy: changed outside drover (modify index 10 → 14)',
  ],
  [
    'a job of another namespace, named with it',
    { type: 'job-drift', namespace: 'payments', id: 'api', message: 'stopped outside drover' },
    'drift: payments/api: stopped outside drover',
  ],
  [
    'a job of the plan namespace waiting for promotion',
    { type: 'promotion-wait', namespace: 'default', id: 'web', since: '2026-12-02T06:40:00Z' },
    'web: canaries healthy, waiting for promotion since 2026-12-02T06:40:00Z: drover promote web',
  ],
  [
    'an inventory the token may not read',
    { type: 'inventory-unreadable', stack: 'shop', path: 'drover/stacks/shop/inventory' },
    'the token may not read the inventory of stack "shop" (drover/stacks/shop/inventory): objects it lists are shown as adopted, none as pruned',
  ],
];

describe('notes about the stack, in words', () => {
  it.each(cases)('%s', (_name, note, words) => {
    expect(describeStackNote(note, 'default')).toBe(words);
  });
});
