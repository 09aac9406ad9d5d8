import type { StackDrift } from '../drift/detect-drift.js';
import { describeObjectDrift } from '../drift/object-drift.js';
import { KIND_NOUNS } from '../kinds/address.js';

/** `drover drift` for people: one line per drifted job or object, then the kinds the token could not compare. */
export function renderDrift(drift: StackDrift): string {
  const unchecked = (drift.unchecked ?? []).map(
    (u) => `  ! ${KIND_NOUNS[u.kind].many}: the token may not read them (it needs ${u.needs})`,
  );
  const compared = renderCompared(drift);
  return unchecked.length > 0 ? [compared, 'Not compared:', ...unchecked].join('\n') : compared;
}

function renderCompared(drift: StackDrift): string {
  if (drift.inProgress)
    return `Stack "${drift.stack}" is being changed by ${drift.inProgress}: drift is compared once that run ends.`;
  const unlisted = drift.unlisted
    ? ` (${drift.unlisted} more, applied in runs too large for the history to list each job, were not compared)`
    : '';
  const objects = drift.objects ?? [];
  const count = drift.drifted.length + objects.length;
  const jobs = `${drift.known} job${drift.known === 1 ? '' : 's'}`;
  const others = drift.inventoried
    ? ` and ${drift.inventoried} other object${drift.inventoried === 1 ? '' : 's'}`
    : '';
  if (count === 0)
    return `No drift: the ${jobs}${others} of stack "${drift.stack}" are as drover last applied them${unlisted}.`;
  const name = (f: StackDrift['drifted'][number]) =>
    f.namespace === drift.namespace ? f.id : `${f.namespace}/${f.id}`;
  const what = objects.length > 0 ? `object${count === 1 ? '' : 's'}` : `job${count === 1 ? '' : 's'}`;
  return [
    `Stack "${drift.stack}": ${count} ${what} drifted since drover last applied ${count === 1 ? 'it' : 'them'}:`,
    ...objects.map((f) => `  ${describeObjectDrift(f)}`),
    ...drift.drifted.map((f) => `  ${name(f)}: ${f.message}`),
  ].join('\n');
}
