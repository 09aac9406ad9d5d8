/** A plan's notes in words, its changes' and its stack's: the one place the plan's typed notes become English. */
import { describeObjectDrift } from '../drift/object-drift.js';
import { describeHolder } from '../lock/holder.js';
import {
  KIND_NOUNS,
  type AllocMetric,
  type ChangeNote,
  type DesiredUpdates,
  type StackNote,
} from '../plan/model.js';
import { describePromotionWait } from '../watch/readiness.js';

export function describeNote(note: ChangeNote): string {
  switch (note.type) {
    case 'nomad-warning':
      return note.text;
    case 'plan-endpoint-refused':
      return "The token may not use Nomad's plan endpoint (it needs submit-job or plan-job): this diff was computed locally.";
    case 'allocations-only':
      return `No field shown changes, but Nomad would ${allocationEffects(note.effects).join('; ')}${note.hiddenFields.length ? ` (fields drover hides changed: ${note.hiddenFields.join(', ')})` : ''}.`;
    case 'adopt-stamp':
      return note.kind === 'job'
        ? `drover takes this job over by adding meta "${note.stampKey}" = "${note.stack}"; Nomad replaces its allocations for a meta change.`
        : `drover takes this ${KIND_NOUNS[note.kind].one} over by adding meta "${note.stampKey}" = "${note.stack}".`;
    case 'adopt-inventory':
      return `drover takes this ${KIND_NOUNS[note.kind].one} over by listing it in the inventory of stack "${note.stack}": prune and destroy may then delete it.`;
    case 'placement-failed':
      return `Group "${note.group}" cannot be placed: ${describeFailure(note.metric)}.`;
    case 'enterprise-only':
      return `${note.settings.join(', ')}: Nomad Enterprise ${note.settings.length === 1 ? 'setting' : 'settings'}; open-source Nomad refuses this ${KIND_NOUNS[note.kind].one} as unlicensed.`;
    case 'created-first':
      return `${KIND_NOUNS[note.kind].one} "${note.name}" is created by this plan first, so Nomad could not plan the job in it: this diff was computed locally.`;
    case 'same-spec-revert':
      return `version ${note.toVersion} has the same spec as version ${note.fromVersion}: reverting registers it again as a new version`;
  }
}

/** A note about the stack; jobs outside the plan's namespace are named with theirs. */
export function describeStackNote(note: StackNote, planNamespace: string): string {
  const job = (namespace: string, id: string) => (namespace === planNamespace ? id : `${namespace}/${id}`);
  switch (note.type) {
    case 'stack-locked':
      return `stack "${note.stack}" is locked by ${describeHolder(note.holder, new Date(note.seenAt))}: an apply now fails (or waits, with --lock-timeout); drift is compared once that run ends`;
    case 'object-drift':
      return `drift: ${describeObjectDrift(note)}`;
    case 'job-drift':
      return `drift: ${job(note.namespace, note.id)}: ${note.message}`;
    case 'promotion-wait':
      return describePromotionWait(job(note.namespace, note.id), note.id, note.since);
    case 'inventory-unreadable':
      return `the token may not read the inventory of stack "${note.stack}" (${note.path}): objects it lists are shown as adopted, none as pruned`;
  }
}

const SCHEDULED: ReadonlyArray<[keyof DesiredUpdates, string]> = [
  ['Place', 'place'],
  ['Stop', 'stop'],
  ['Migrate', 'migrate'],
  ['InPlaceUpdate', 'update in place'],
  ['DestructiveUpdate', 'replace'],
  ['Canary', 'start as canaries'],
  ['Preemptions', 'preempt'],
];

/** What registering would do to allocations, group by group ("in group "web" replace 2 allocations"). */
function allocationEffects(effects: Readonly<Record<string, DesiredUpdates>>): string[] {
  return Object.entries(effects).flatMap(([group, counts]) => {
    const parts = SCHEDULED.filter(([k]) => (counts[k] ?? 0) > 0).map(
      ([k, verb]) => `${verb} ${counts[k]} allocation${counts[k] === 1 ? '' : 's'}`,
    );
    return parts.length ? [`in group "${group}" ${parts.join(', ')}`] : [];
  });
}

function describeFailure(metric: AllocMetric): string {
  const parts: string[] = [];
  if (metric.NodesEvaluated === 0) parts.push('no nodes were eligible');
  for (const [dimension, n] of Object.entries(metric.DimensionExhausted ?? {}))
    parts.push(`${dimension} exhausted on ${n} node${n === 1 ? '' : 's'}`);
  for (const [constraint, n] of Object.entries(metric.ConstraintFiltered ?? {}))
    parts.push(`constraint ${constraint} filtered ${n} node${n === 1 ? '' : 's'}`);
  for (const [cls, n] of Object.entries(metric.ClassFiltered ?? {}))
    parts.push(`class ${cls} filtered ${n} node${n === 1 ? '' : 's'}`);
  if (parts.length === 0 && metric.NodesExhausted)
    parts.push(
      `resources exhausted on ${metric.NodesExhausted} node${metric.NodesExhausted === 1 ? '' : 's'}`,
    );
  return parts.join('; ') || 'no node fits';
}
