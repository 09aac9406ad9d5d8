/**
 * The plan for people, Terraform-like: one block per job in apply order with its symbol, nested group → task →
 * field changes (old → new), multi-line values as line diffs, scheduler annotations per group, warnings and
 * placement failures called out, and a last line that counts. Pure: plan in, string out.
 */
import { structuredPatch } from 'diff';
import kleur from 'kleur';
import {
  ACTION_SYMBOL,
  ACTIONS,
  countByAction,
  countByKind,
  hasChanges,
  ignoredFieldCount,
  type Action,
  type Change,
  type FieldDiff,
  KIND_NOUNS,
  type ObjectKindChange,
  type UnseenKind,
  type ObjectDiff,
  type Plan,
} from '../plan/model.js';
import type { JobChange, JobRegistration, JobRevert } from '../kinds/job/change.js';
import type { DisplayPlan } from '../plan/mask.js';
import { describeNote, describeStackNote } from './change-notes.js';
import { appendAll } from '../util/append-all.js';

export interface HumanOptions {
  readonly color: boolean;
  /** The first line's command name (default "drover plan", or "drover plan --destroy"). */
  readonly title?: string;
}

const VERB: Record<Action, string> = {
  create: 'will be created',
  update: 'will be updated',
  start: 'will be started (it is stopped)',
  adopt: 'will be adopted by this stack',
  promote: 'will be promoted (unchanged; its canaries are healthy and wait)',
  revert: 'will be reverted',
  delete: 'will be deleted',
  noop: 'is unchanged',
};

const UPDATE_ORDER: Array<[string, string]> = [
  ['Place', 'to place'],
  ['DestructiveUpdate', 'destructive update'],
  ['InPlaceUpdate', 'in-place update'],
  ['Canary', 'canary'],
  ['Stop', 'to stop'],
  ['Migrate', 'to migrate'],
  ['Preemptions', 'preemption'],
  ['Ignore', 'unchanged'],
];

const PAINT: Record<Action, (s: string) => string> = {
  create: (s) => kleur.green(s),
  update: (s) => kleur.yellow(s),
  start: (s) => kleur.cyan(s),
  adopt: (s) => kleur.magenta(s),
  promote: (s) => kleur.blue(s),
  revert: (s) => kleur.yellow(s),
  delete: (s) => kleur.red(s),
  noop: (s) => kleur.gray(s),
};

/** The plan's first line: command, stack, namespace, cluster and the project file it came from. */
export function planHeading(
  plan: Plan,
  title = plan.settings.destroy ? 'drover plan --destroy' : 'drover plan',
): string {
  const scope = [
    plan.settings.stack ? `stack ${plan.settings.stack}` : 'no stack',
    `namespace ${plan.settings.namespace}`,
    plan.settings.address,
    ...(plan.settings.projectFile ? [`project ${plan.settings.projectFile}`] : []),
  ].join(', ');
  return `${title} (${scope})`;
}

export function renderPlanHuman(plan: DisplayPlan, options: HumanOptions): string {
  kleur.enabled = options.color;
  const lines: string[] = [planHeading(plan, options.title), ''];
  for (const change of plan.changes.filter((c) => c.action !== 'noop')) {
    appendAll(lines, changeBlock(change, plan.settings.namespace));
    lines.push('');
  }
  if (plan.unseen && plan.unseen.length > 0) {
    lines.push(kleur.red().bold('Not planned:'));
    for (const unseen of plan.unseen) lines.push(kleur.red(`  ! ${describeUnseen(unseen)}`));
    lines.push('');
  }
  if (plan.notes && plan.notes.length > 0) {
    lines.push(kleur.cyan().bold('Notes:'));
    for (const note of plan.notes)
      lines.push(kleur.cyan(`  · ${describeStackNote(note, plan.settings.namespace)}`));
    lines.push('');
  }
  const warnings = plan.changes.flatMap((c) => c.notes.map((n) => `${c.address.name}: ${describeNote(n)}`));
  if (warnings.length > 0) {
    lines.push(kleur.yellow().bold('Warnings:'));
    for (const warning of warnings) lines.push(kleur.yellow(`  ! ${warning}`));
    lines.push('');
  }
  lines.push(summaryLine(plan));
  return lines.join('\n');
}

/** One change's block: its heading, its symbol line and what changes, indented from column 2 (uncoloured unless kleur is on). */
export function changeBlock(change: Change, planNamespace: string): string[] {
  return change.kind === 'job' ? jobBlock(change, planNamespace) : objectBlock(change, planNamespace);
}

/** A spec object's block (namespace, node pool, ACL policy or role): heading, symbol line, the fields it changes. */
function objectBlock(change: ObjectKindChange, planNamespace: string): string[] {
  const noun = KIND_NOUNS[change.kind].one;
  const color = PAINT[change.action];
  const { name, namespace } = change.address;
  const where = namespace === undefined || namespace === planNamespace ? '' : ` (namespace ${namespace})`;
  const lines = [
    kleur.bold(`  # ${noun} "${name}"${where} ${VERB[change.action]}`) +
      kleur.gray(`  [wave ${change.wave + 1}]`),
    color(`  ${ACTION_SYMBOL[change.action]} ${noun} "${name}"`) +
      (change.file ? kleur.gray(`  ${change.file}`) : ''),
  ];
  if (change.action !== 'noop' && change.action !== 'delete')
    appendAll(lines, fieldLines(change.fields, '      ', change.action === 'create'));
  return lines;
}

function jobBlock(change: JobChange, planNamespace: string): string[] {
  const color = PAINT[change.action];
  const { name, namespace } = change.address;
  const where = `${name}${namespace === planNamespace ? '' : ` (namespace ${namespace})`}`;
  const local = change.action !== 'promote' && change.action !== 'delete' && change.computedLocally;
  const lines = [
    kleur.bold(`  # ${where} ${VERB[change.action]}`) +
      kleur.gray(`  [wave ${change.wave + 1}${local ? ', computed locally' : ''}]`),
    color(`  ${ACTION_SYMBOL[change.action]} job "${name}"`) +
      (change.file ? kleur.gray(`  ${change.file}`) : ''),
  ];
  switch (change.action) {
    case 'delete':
      break;
    case 'promote':
      lines.push(color(`      deployment ${change.deploymentId.slice(0, 8)}: promote every canary group`));
      break;
    case 'revert':
      lines.push(
        color(
          `      to version ${change.revert.toVersion}'s spec (now version ${change.revert.fromVersion}; Nomad registers it as a new version)`,
        ),
      );
      appendAll(lines, diffLines(change, color));
      break;
    default:
      if (change.action === 'create' && !change.diff) appendAll(lines, createLines(change));
      else if (change.diff) appendAll(lines, diffLines(change, color));
      for (const [group, counts] of Object.entries(change.preservedCounts ?? {}))
        lines.push(
          kleur.gray(
            `      group "${group}": count ${counts.live} (live, preserved; file says ${counts.file})`,
          ),
        );
  }
  return lines;
}

/** A kind the token could not read, in words. */
export function describeUnseen(unseen: UnseenKind): string {
  return `${KIND_NOUNS[unseen.kind].many}: the token may not read them (it needs ${unseen.needs}); what changes is unknown, and apply refuses this plan`;
}

export function summaryLine(plan: Plan): string {
  if (!hasChanges(plan))
    return plan.settings.destroy
      ? `No changes. Stack "${plan.settings.stack}" has no jobs; nothing to destroy.`
      : 'No changes. Nomad matches the job files.';
  const counts = countByAction(plan);
  const parts = [`${counts.create} to create`, `${counts.update} to update`];
  if (counts.start) parts.push(`${counts.start} to start`);
  if (counts.adopt) parts.push(`${counts.adopt} to adopt`);
  if (counts.promote) parts.push(`${counts.promote} to promote`);
  if (counts.revert) parts.push(`${counts.revert} to revert`);
  parts.push(`${counts.delete} to delete`);
  const unchanged = counts.noop ? ` ${counts.noop} unchanged.` : '';
  const ignored = ignoredFieldCount(plan);
  return `Plan: ${parts.join(', ')}${byKind(plan)}.${unchanged}${ignored ? ` (${ignored} field${ignored === 1 ? '' : 's'} that Nomad or drover sets not shown.)` : ''}`;
}

/** With changes of more than one kind, what each kind's part is: " (namespaces: 1 to create; jobs: 2 to update)". */
function byKind(plan: Plan): string {
  const kinds = countByKind(plan);
  if (kinds.size < 2) return '';
  const parts = [...kinds].map(([kind, counts]) => {
    const nonzero = ACTIONS.filter((a) => a !== 'noop' && counts[a] > 0).map((a) => `${counts[a]} to ${a}`);
    return `${KIND_NOUNS[kind].many}: ${nonzero.join(', ')}`;
  });
  return ` (${parts.join('; ')})`;
}

function annotate(counts: Record<string, number> | undefined): string {
  if (!counts) return '';
  const parts = UPDATE_ORDER.filter(([k]) => (counts[k] ?? 0) > 0).map(([k, label]) => {
    const n = counts[k]!;
    return `${n} ${label}${n === 1 || label.startsWith('to ') || label === 'unchanged' ? '' : 's'}`;
  });
  return parts.length ? `  (${parts.join(', ')})` : '';
}

function createLines(change: JobRegistration): string[] {
  return (change.job.TaskGroups ?? []).map((g) => {
    const tasks = (g.Tasks ?? []).map((t) => t.Name).join(', ');
    return (
      kleur.green(`      + group "${g.Name}": count ${g.Count ?? 1}, tasks ${tasks}`) +
      kleur.gray(annotate(change.annotations?.[g.Name] as unknown as Record<string, number>))
    );
  });
}

function diffLines(change: JobRegistration | JobRevert, color: (s: string) => string): string[] {
  const { diff } = change;
  if (!diff) return [];
  const annotations = change.action === 'revert' ? undefined : change.annotations;
  const out: string[] = [];
  appendAll(out, fieldLines(diff.Fields, '      '));
  appendAll(out, objectLines(diff.Objects, '      '));
  for (const group of diff.TaskGroups ?? []) {
    if (group.Type === 'None') continue;
    const mark =
      group.Type === 'Added' ? kleur.green('+') : group.Type === 'Deleted' ? kleur.red('-') : color('~');
    out.push(
      `      ${mark} group "${group.Name}"` +
        kleur.gray(annotate(annotations?.[group.Name] as unknown as Record<string, number>)),
    );
    appendAll(out, fieldLines(group.Fields, '          '));
    appendAll(out, objectLines(group.Objects, '          '));
    for (const task of group.Tasks ?? []) {
      if (task.Type === 'None') continue;
      const taskMark =
        task.Type === 'Added' ? kleur.green('+') : task.Type === 'Deleted' ? kleur.red('-') : color('~');
      const notes = (task.Annotations ?? []).length ? kleur.gray(`  (${task.Annotations!.join(', ')})`) : '';
      out.push(`          ${taskMark} task "${task.Name}"${notes}`);
      appendAll(out, fieldLines(task.Fields, '              '));
      appendAll(out, objectLines(task.Objects, '              '));
    }
  }
  return out;
}

/**
 * Nomad diffs some lists of objects as sets (an edited template is one Deleted and one Added object); a lone
 * Deleted/Added pair of one name is shown as one edited object with only what changed.
 */
function pairEdits(objects: readonly ObjectDiff[]): ObjectDiff[] {
  const out: ObjectDiff[] = [];
  for (const object of objects) {
    const same = objects.filter((o) => o.Name === object.Name && o.Type !== 'None');
    if (same.length === 2 && same.some((o) => o.Type === 'Added') && same.some((o) => o.Type === 'Deleted')) {
      if (object.Type !== 'Deleted') continue;
      const added = same.find((o) => o.Type === 'Added')!;
      const before = new Map((object.Fields ?? []).map((f) => [f.Name, f.Old]));
      const after = new Map((added.Fields ?? []).map((f) => [f.Name, f.New]));
      const fields: FieldDiff[] = [...new Set([...before.keys(), ...after.keys()])].sort().flatMap((name) => {
        const old = before.get(name) ?? '';
        const next = after.get(name) ?? '';
        return old === next
          ? []
          : [
              {
                Type: old === '' ? 'Added' : next === '' ? 'Deleted' : 'Edited',
                Name: name,
                Old: old,
                New: next,
                Annotations: null,
              } as FieldDiff,
            ];
      });
      out.push({ Type: 'Edited', Name: object.Name, Fields: fields, Objects: null });
      continue;
    }
    out.push(object);
  }
  return out;
}

function objectLines(objects: readonly ObjectDiff[] | null, indent: string): string[] {
  const out: string[] = [];
  for (const object of pairEdits(objects ?? [])) {
    if (object.Type === 'None') continue;
    const mark =
      object.Type === 'Added'
        ? kleur.green('+')
        : object.Type === 'Deleted'
          ? kleur.red('-')
          : kleur.yellow('~');
    out.push(`${indent}${mark} ${object.Name} {`);
    appendAll(out, fieldLines(object.Fields, `${indent}    `, object.Type !== 'Edited'));
    appendAll(out, objectLines(object.Objects, `${indent}    `));
    out.push(`${indent}  }`);
  }
  return out;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function fieldLines(fields: readonly FieldDiff[] | null, indent: string, showAll = false): string[] {
  const out: string[] = [];
  for (const field of fields ?? []) {
    if (field.Type === 'None' && !showAll) continue;
    const { Old: old, New: next } = field;
    const notes = (field.Annotations ?? []).length ? kleur.gray(`  (${field.Annotations!.join(', ')})`) : '';
    if (field.Type === 'Edited' && (old.includes('\n') || next.includes('\n'))) {
      out.push(`${indent}${kleur.yellow('~')} ${field.Name}:${notes}`);
      appendAll(out, lineDiff(old, next, `${indent}    `));
      continue;
    }
    switch (field.Type) {
      case 'Added':
        out.push(`${indent}${kleur.green('+')} ${field.Name}: ${quote(next)}${notes}`);
        break;
      case 'Deleted':
        out.push(`${indent}${kleur.red('-')} ${field.Name}: ${quote(old)}${notes}`);
        break;
      case 'Edited':
        out.push(`${indent}${kleur.yellow('~')} ${field.Name}: ${quote(old)} → ${quote(next)}${notes}`);
        break;
      default:
        out.push(kleur.gray(`${indent}  ${field.Name}: ${quote(next)}`));
    }
  }
  return out;
}

/** A unified diff of two multi-line values; a pathological diff is cut off rather than allowed to run long. */
function lineDiff(old: string, next: string, indent: string): string[] {
  const patch = structuredPatch('', '', old, next, '', '', { context: 2, maxEditLength: 2000 });
  if (!patch) return [`${indent}${kleur.gray('(too many changes to show line by line)')}`];
  const out: string[] = [];
  for (const hunk of patch.hunks) {
    out.push(
      kleur.cyan(`${indent}@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`),
    );
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue;
      const paint = line.startsWith('+') ? kleur.green : line.startsWith('-') ? kleur.red : (s: string) => s;
      out.push(paint(`${indent}${line}`));
    }
  }
  return out;
}
