/**
 * The plan for a pull-request comment: a summary table, warnings and deletes called out at the top, the order of
 * the changes as a Mermaid graph, then one collapsible <details> per changed job with a ```diff block, kept under
 * GitHub's 65,536-character limit.
 */
import kleur from 'kleur';
import type { DisplayPlan } from '../plan/mask.js';
import { ACTIONS, compactPlan, countByAction, hasChanges, type Change } from '../plan/model.js';
import { describeNote, describeStackNote } from './change-notes.js';
import { rolloutGraph, stepsOfPlan } from '../graph/rollout.js';
import { mermaidLimitPassed, renderGraphMermaid } from './graph-mermaid.js';
import { changeBlock, describeUnseen, summaryLine } from './plan-human.js';

export const GITHUB_COMMENT_LIMIT = 65_536;

export function renderPlanMarkdown(plan: DisplayPlan, options: { limit?: number } = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  kleur.enabled = false;
  const counts = countByAction(plan);
  const head: string[] = [`### drover plan${plan.settings.destroy ? ' --destroy' : ''}`, ''];
  head.push(
    `Stack \`${plan.settings.stack ?? '(none)'}\`, namespace \`${plan.settings.namespace}\`${plan.settings.projectFile ? `, project \`${plan.settings.projectFile}\`` : ''}.`,
    '',
  );
  if (plan.unseen && plan.unseen.length > 0)
    head.push('> [!CAUTION]', ...plan.unseen.map((u) => `> - Not planned: ${describeUnseen(u)}.`), '');
  if (plan.notes && plan.notes.length > 0)
    head.push(
      '> [!NOTE]',
      ...plan.notes.map((n) => `> - ${describeStackNote(n, plan.settings.namespace)}`),
      '',
    );
  if (!hasChanges(plan))
    return [
      ...head,
      plan.settings.destroy
        ? `**No changes.** Stack \`${plan.settings.stack}\` has no jobs; nothing to destroy.`
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
  const warnings = plan.changes.flatMap((c) =>
    c.notes.map((n) => `\`${c.address.name}\`: ${describeNote(n)}`),
  );
  if (warnings.length > 0) head.push('> [!WARNING]', ...warnings.map((w) => `> - ${w}`), '');
  // Each section ends in a blank line already.
  const footer = [summaryLine(plan), ''];
  const section = (change: Change, folded = false) => {
    const body = changeBlock(change, plan.settings.namespace)
      .map((line) =>
        line
          .replace(/^ {2}/, '')
          .replace(
            /^( *)([+~▶≈↑↺-])/,
            (_m, space: string, mark: string) => `${'▶≈↑↺'.includes(mark) ? '!' : mark}${space}`,
          ),
      )
      .join('\n')
      .replace(/```/g, '`\u200b``');
    const note = folded
      ? `\n_Its full spec is left out to keep this comment within GitHub's limit: \`drover plan\` shows it._\n`
      : '';
    const { name, namespace } = change.address;
    return `<details><summary><code>${change.action}</code> <b>${name}</b>${namespace === plan.settings.namespace ? '' : ` (${namespace})`}</summary>\n\n\`\`\`diff\n${body}\n\`\`\`\n${note}</details>\n`;
  };
  // Every job gets its short form first (a new job by its groups, as --compact shows it); then new jobs get their
  // full spec, in plan order, while the comment stays within the limit. Past that, jobs are left out at the end.
  const room = 200;
  let used = head.join('\n').length + footer.join('\n').length + room;
  const shown: Array<{ change: Change; text: string }> = [];
  let omitted = 0;
  for (const change of plan.changes.filter((c) => c.action !== 'noop')) {
    const short =
      change.kind === 'job' && change.action === 'create' && change.diff
        ? section(compactPlan({ ...plan, changes: [change] }).changes[0]!, true)
        : section(change);
    if (used + short.length + 1 > limit) {
      omitted++;
      continue;
    }
    shown.push({ change, text: short });
    used += short.length + 1;
  }
  // The order's graph comes after every job's short form, before new jobs' full specs.
  const graph = rolloutSection(plan, limit - used, limit);
  if (graph) used += graph.length + 1;
  for (const entry of shown) {
    if (entry.change.kind !== 'job' || entry.change.action !== 'create' || !entry.change.diff) continue;
    const full = section(entry.change);
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
