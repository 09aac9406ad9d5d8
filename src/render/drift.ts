import type { StackDrift } from '../drift/detect-drift.js';

/** `drover drift` for people: one line per drifted job. */
export function renderDrift(drift: StackDrift): string {
  if (drift.inProgress)
    return `Stack "${drift.stack}" is being changed by ${drift.inProgress}: drift is compared once that run ends.`;
  const unlisted = drift.unlisted
    ? ` (${drift.unlisted} more, applied in runs too large for the history to list each job, were not compared)`
    : '';
  if (drift.drifted.length === 0)
    return `No drift: the ${drift.known} job${drift.known === 1 ? '' : 's'} of stack "${drift.stack}" are as drover last applied them${unlisted}.`;
  const name = (f: StackDrift['drifted'][number]) =>
    f.namespace === drift.namespace ? f.id : `${f.namespace}/${f.id}`;
  return [
    `Stack "${drift.stack}": ${drift.drifted.length} job${drift.drifted.length === 1 ? '' : 's'} drifted since drover last applied ${drift.drifted.length === 1 ? 'it' : 'them'}:`,
    ...drift.drifted.map((f) => `  ${name(f)}: ${f.message}`),
  ].join('\n');
}
