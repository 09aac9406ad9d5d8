/**
 * The plan for people, Terraform-like: one block per change in apply order with its symbol, nested group → task →
 * field changes (old → new), multi-line values as line diffs, scheduler annotations per group, what could not be
 * planned, notes and warnings called out, and a last line that counts. Pure: the plan's lines in, string out.
 */
import { ACTIONS, KIND_NOUNS, type Plan, type UnseenKind } from '../plan/model.js';
import type { DisplayPlan } from '../plan/mask.js';
import { appendAll } from '../util/append-all.js';
import { describeNote, describeStackNote } from './change-notes.js';
import { changeRows, rowText } from './change-rows.js';
import { paletteFor, type Hue, type Palette } from './palette.js';
import { checkLinesHuman } from './check-results.js';
import { planLines, summaryOf, type PlanLine, type PlanSummary } from './plan-lines.js';

export interface HumanOptions {
  readonly color: boolean;
  /** The first line's command name (default "drover plan", or "drover plan --destroy"). */
  readonly title?: string;
}

/** The sections that list things beside the changes: their title, colour and bullet. */
const SECTIONS: Readonly<
  Record<
    'unseen' | 'note' | 'warning',
    { readonly title: string; readonly hue: Hue; readonly bullet: string }
  >
> = {
  unseen: { title: 'Not planned:', hue: 'red', bullet: '!' },
  note: { title: 'Notes:', hue: 'cyan', bullet: '·' },
  warning: { title: 'Warnings:', hue: 'yellow', bullet: '!' },
};

export function renderPlanHuman(plan: DisplayPlan, options: HumanOptions): string {
  return printLines(planLines(plan, options.title), paletteFor(options.color)).join('\n');
}

function printLines(lines: readonly PlanLine[], palette: Palette): string[] {
  const out: string[] = [];
  lines.forEach((line, i) => {
    switch (line.type) {
      case 'title':
        out.push(titleText(line), '');
        break;
      case 'change':
        appendAll(out, changeRows(line.lines, line.change.action, palette).map(rowText));
        out.push('');
        break;
      case 'unseen':
      case 'note':
      case 'warning': {
        const section = SECTIONS[line.type];
        if (lines[i - 1]?.type !== line.type) out.push(palette.boldHue(section.hue)(section.title));
        out.push(palette.hue(section.hue)(`  ${section.bullet} ${listed(line)}`));
        if (lines[i + 1]?.type !== line.type) out.push('');
        break;
      }
      case 'checks':
        out.push(...checkLinesHuman(line.report, palette), '');
        break;
      case 'summary':
        out.push(describeSummary(line.summary));
    }
  });
  return out;
}

/** The plan's first line: command, stack, namespace, cluster and the project file it came from. */
function titleText({ command, settings }: PlanLine & { type: 'title' }): string {
  const scope = [
    settings.stack ? `stack ${settings.stack}` : 'no stack',
    `namespace ${settings.namespace}`,
    settings.address,
    ...(settings.projectFile ? [`project ${settings.projectFile}`] : []),
  ].join(', ');
  return `${command} (${scope})`;
}

/** An item of a section, in words. */
export function listed(line: PlanLine & { type: 'unseen' | 'note' | 'warning' }): string {
  switch (line.type) {
    case 'unseen':
      return describeUnseen(line.unseen);
    case 'note':
      return describeStackNote(line.note, line.planNamespace);
    case 'warning':
      return `${line.name}: ${describeNote(line.note)}`;
  }
}

/** A kind the token could not read, in words. */
function describeUnseen(unseen: UnseenKind): string {
  return `${KIND_NOUNS[unseen.kind].many}: the token may not read them (it needs ${unseen.needs}); what changes is unknown, and apply refuses this plan`;
}

export function summaryLine(plan: Plan): string {
  return describeSummary(summaryOf(plan));
}

/** The last line: what the plan does, counted. */
export function describeSummary(summary: PlanSummary): string {
  if (!summary.changes)
    return summary.destroy
      ? `No changes. Stack "${summary.stack}" has no jobs; nothing to destroy.`
      : 'No changes. Nomad matches the job files.';
  const { counts } = summary;
  const parts = [`${counts.create} to create`, `${counts.update} to update`];
  if (counts.start) parts.push(`${counts.start} to start`);
  if (counts.adopt) parts.push(`${counts.adopt} to adopt`);
  if (counts.promote) parts.push(`${counts.promote} to promote`);
  if (counts.revert) parts.push(`${counts.revert} to revert`);
  parts.push(`${counts.delete} to delete`);
  const unchanged = counts.noop ? ` ${counts.noop} unchanged.` : '';
  const { ignored } = summary;
  return `Plan: ${parts.join(', ')}${byKind(summary)}.${unchanged}${ignored ? ` (${ignored} field${ignored === 1 ? '' : 's'} that Nomad or drover sets not shown.)` : ''}`;
}

/** With changes of more than one kind, what each kind's part is: " (namespaces: 1 to create; jobs: 2 to update)". */
function byKind(summary: PlanSummary): string {
  if (summary.byKind.size < 2) return '';
  const parts = [...summary.byKind].map(([kind, counts]) => {
    const nonzero = ACTIONS.filter((a) => a !== 'noop' && counts[a] > 0).map((a) => `${counts[a]} to ${a}`);
    return `${KIND_NOUNS[kind].many}: ${nonzero.join(', ')}`;
  });
  return ` (${parts.join('; ')})`;
}
