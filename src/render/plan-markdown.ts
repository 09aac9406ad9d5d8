/**
 * The plan for a pull-request comment: a summary table, warnings and deletes called out at the top, the order of
 * the changes as a Mermaid graph, then one collapsible <details> per changed job with a ```diff block, kept under
 * GitHub's 65,536-character limit.
 */
import type { DisplayPlan } from '../plan/mask.js';
import { ACTIONS, compactPlan, type Change } from '../plan/model.js';
import type { ChangeLine } from '../kinds/change-lines.js';
import { describeNote } from './change-notes.js';
import { changeRows, type Row } from './change-rows.js';
import { rolloutGraph, stepsOfPlan } from '../graph/rollout.js';
import { mermaidLimitPassed, renderGraphMermaid } from './graph-mermaid.js';
import { PLAIN } from './palette.js';
import { checkLinesMarkdown } from './check-results.js';
import { describeSummary, listed } from './plan-human.js';
import { changeLines, planLines, type PlanLine } from './plan-lines.js';

export const GITHUB_COMMENT_LIMIT = 65_536;

export function renderPlanMarkdown(
  plan: DisplayPlan,
  options: {
    limit?: number;
    /** In place of "### drover plan" (a cluster's section). */ heading?: string;
  } = {},
): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const lines = planLines(plan);
  const of = <T extends PlanLine['type']>(type: T) =>
    lines.filter((line): line is Extract<PlanLine, { type: T }> => line.type === type);
  const { summary } = of('summary')[0]!;
  const { counts } = summary;
  const head: string[] = [
    options.heading ?? `### drover plan${plan.settings.destroy ? ' --destroy' : ''}`,
    '',
  ];
  head.push(
    `Stack \`${plan.settings.stack ?? '(none)'}\`, namespace \`${plan.settings.namespace}\`${plan.settings.projectFile ? `, project \`${plan.settings.projectFile}\`` : ''}.`,
    '',
  );
  // The team's rules first: a reviewer sees what blocks the plan before its changes.
  for (const line of of('checks')) head.push(...checkLinesMarkdown(line.report));
  const unseen = of('unseen');
  if (unseen.length > 0)
    head.push('> [!CAUTION]', ...unseen.map((line) => `> - Not planned: ${listed(line)}.`), '');
  const notes = of('note');
  if (notes.length > 0) head.push('> [!NOTE]', ...notes.map((line) => `> - ${listed(line)}`), '');
  if (!summary.changes)
    return [
      ...head,
      summary.destroy
        ? `**No changes.** Stack \`${summary.stack}\` has no jobs; nothing to destroy.`
        : '**No changes.** Nomad matches the job files.',
      '',
    ].join('\n');
  // promote and revert appear only in the plans of promote, apply --auto-promote and rollback: their columns
  // only when they count.
  const columns = ACTIONS.filter((a) => (a !== 'promote' && a !== 'revert') || counts[a] > 0);
  head.push(
    `| ${columns.map((a) => (a === 'noop' ? 'unchanged' : a)).join(' | ')} |`,
    `|${columns.map(() => '---:|').join('')}`,
    `| ${columns.map((a) => counts[a]).join(' | ')} |`,
    '',
  );
  const deletes = plan.changes.filter((c) => c.action === 'delete');
  if (deletes.length > 0)
    head.push(
      `> [!CAUTION]\n> This plan **deletes** ${deletes.map((d) => `\`${d.address.name}\``).join(', ')}.`,
      '',
    );
  const warnings = of('warning');
  if (warnings.length > 0)
    head.push(
      '> [!WARNING]',
      ...warnings.map((line) => `> - \`${line.name}\`: ${describeNote(line.note)}`),
      '',
    );
  // Each section ends in a blank line already.
  const footer = [describeSummary(summary), ''];
  const section = (change: Change, block: readonly ChangeLine[], folded = false) => {
    const body = changeRows(block, change.action, PLAIN).map(diffRow).join('\n').replace(/```/g, '`\u200b``');
    const note = folded
      ? `\n_Its full spec is left out to keep this comment within GitHub's limit: \`drover plan\` shows it._\n`
      : '';
    const { name, namespace } = change.address;
    return `<details><summary><code>${change.action}</code> <b>${name}</b>${namespace === plan.settings.namespace ? '' : ` (${namespace})`}</summary>\n\n\`\`\`diff\n${body}\n\`\`\`\n${note}</details>\n`;
  };
  const shortForm = (change: Change) => {
    const compact = compactPlan({ ...plan, changes: [change] }).changes[0]!;
    return section(compact, changeLines(compact, plan.settings.namespace), true);
  };
  // Every job gets its short form first (a new job by its groups, as --compact shows it); then new jobs get their
  // full spec, in plan order, while the comment stays within the limit. Past that, jobs are left out at the end.
  const room = 200;
  let used = head.join('\n').length + footer.join('\n').length + room;
  const shown: Array<{ change: Change; lines: readonly ChangeLine[]; text: string }> = [];
  let omitted = 0;
  for (const { change, lines } of of('change')) {
    const short =
      change.kind === 'job' && change.action === 'create' && change.diff
        ? shortForm(change)
        : section(change, lines);
    if (used + short.length + 1 > limit) {
      omitted++;
      continue;
    }
    shown.push({ change, lines, text: short });
    used += short.length + 1;
  }
  // The order's graph comes after every job's short form, before new jobs' full specs.
  const graph = rolloutSection(plan, limit - used, limit);
  if (graph) used += graph.length + 1;
  for (const entry of shown) {
    if (entry.change.kind !== 'job' || entry.change.action !== 'create' || !entry.change.diff) continue;
    const full = section(entry.change, entry.lines);
    if (used + full.length - entry.text.length > limit) continue;
    used += full.length - entry.text.length;
    entry.text = full;
  }
  const out = [...head, ...(graph ? [graph] : []), ...shown.map((entry) => entry.text)];
  if (omitted > 0)
    out.push(
      `_${omitted} more job${omitted === 1 ? '' : 's'} not shown: the comment would pass GitHub's ${limit}-character limit. Run \`drover plan\` for the full plan._\n`,
    );
  return [...out, ...footer].join('\n');
}

/**
 * A row as a ```diff block shows it: its mark in the first column (an action without one of diff's own as "!"),
 * the rest as the human plan indents it, one level less.
 */
function diffRow(row: Row): string {
  const indent = ' '.repeat(row.indent - 2);
  const mark = row.mark === undefined ? '' : '▶≈↑↺'.includes(row.mark) ? '!' : row.mark;
  return `${mark}${indent}${row.text}${row.aside ?? ''}`;
}

/**
 * The jobs that change, in waves, with their depends_on (through unchanged jobs too), folded; from two changes
 * on. A graph that would pass `room`, or Mermaid's own limits, is left out with a note (itself only if it fits).
 */
function rolloutSection(plan: DisplayPlan, room: number, limit: number): string {
  if (plan.changes.filter((c) => c.action !== 'noop').length < 2) return '';
  const graph = rolloutGraph(stepsOfPlan(plan), {
    namespace: plan.settings.namespace,
    shown: (step) => step.action !== 'noop',
  });
  const mermaid = renderGraphMermaid(graph);
  const section = `<details><summary>Rollout order</summary>\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n</details>\n`;
  const passes =
    mermaidLimitPassed(graph, mermaid) ??
    (section.length + 1 > room ? `GitHub's ${limit}-character limit` : undefined);
  if (!passes) return section;
  const note = `_The graph of the rollout order is left out: it would pass ${passes}. \`drover graph --with-state --format dot\` draws it._\n`;
  return note.length + 1 <= room ? note : '';
}
