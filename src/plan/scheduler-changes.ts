/**
 * What Nomad's scheduler says registering a job would do to its allocations. A job is never a no-op while these
 * are not: a lost allocation to place again, a change behind a field drover hides.
 */
import type { DesiredUpdates } from '../nomad/types.js';
import type { JobChange } from './model.js';

const SCHEDULED: ReadonlyArray<[keyof DesiredUpdates, string]> = [
  ['Place', 'place'],
  ['Stop', 'stop'],
  ['Migrate', 'migrate'],
  ['InPlaceUpdate', 'update in place'],
  ['DestructiveUpdate', 'replace'],
  ['Canary', 'start as canaries'],
  ['Preemptions', 'preempt'],
];

/** What Nomad's scheduler says registering would do to allocations, group by group ("web: replace 2"). */
export function schedulerChanges(annotations: JobChange['annotations']): string[] {
  return Object.entries(annotations ?? {}).flatMap(([group, counts]) => {
    const parts = SCHEDULED.filter(([k]) => (counts[k] ?? 0) > 0).map(
      ([k, verb]) => `${verb} ${counts[k]} allocation${counts[k] === 1 ? '' : 's'}`,
    );
    return parts.length ? [`in group "${group}" ${parts.join(', ')}`] : [];
  });
}
