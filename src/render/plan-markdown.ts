/**
 * The plan for a pull-request comment: a summary table, warnings and deletes called out at the top, then one
 * collapsible <details> per changed job with a ```diff block, kept under GitHub's 65,536-character limit.
 */
import kleur from 'kleur';
import type { DisplayPlan } from '../plan/mask.js';
import { countByAction, hasChanges } from '../plan/model.js';
import { changeBlock, summaryLine } from './plan-human.js';

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
  if (plan.notes && plan.notes.length > 0) head.push('> [!NOTE]', ...plan.notes.map((n) => `> - ${n}`), '');
  if (!hasChanges(plan))
    return [
      ...head,
      plan.settings.destroy
        ? `**No changes.** Stack \`${plan.settings.stack}\` has no jobs; nothing to destroy.`
        : '**No changes.** Nomad matches the job files.',
      '',
    ].join('\n');
  head.push('| create | update | start | adopt | delete | unchanged |', '|---:|---:|---:|---:|---:|---:|');
  head.push(
    `| ${counts.create} | ${counts.update} | ${counts.start} | ${counts.adopt} | ${counts.delete} | ${counts.noop} |`,
    '',
  );
  const deletes = plan.changes.filter((c) => c.action === 'delete');
  if (deletes.length > 0)
    head.push(`> [!CAUTION]\n> This plan **deletes** ${deletes.map((d) => `\`${d.id}\``).join(', ')}.`, '');
  const warnings = plan.changes.flatMap((c) => c.warnings.map((w) => `\`${c.id}\`: ${w}`));
  if (warnings.length > 0) head.push('> [!WARNING]', ...warnings.map((w) => `> - ${w}`), '');
  // Each section ends in a blank line already.
  const footer = [summaryLine(plan), ''];
  const sections = plan.changes
    .filter((c) => c.action !== 'noop')
    .map((change) => {
      const body = changeBlock(change, plan.settings.namespace)
        .map((line) =>
          line
            .replace(/^ {2}/, '')
            .replace(
              /^( *)([+~▶≈-])/,
              (_m, space: string, mark: string) => `${mark === '▶' || mark === '≈' ? '!' : mark}${space}`,
            ),
        )
        .join('\n')
        .replace(/```/g, '`\u200b``');
      return `<details><summary><code>${change.action}</code> <b>${change.id}</b>${change.namespace === plan.settings.namespace ? '' : ` (${change.namespace})`}</summary>\n\n\`\`\`diff\n${body}\n\`\`\`\n</details>\n`;
    });
  const out = [...head];
  let used = head.join('\n').length + footer.join('\n').length;
  let omitted = 0;
  for (const section of sections) {
    const note = 200;
    if (used + section.length + note > limit) {
      omitted++;
      continue;
    }
    out.push(section);
    used += section.length + 1;
  }
  if (omitted > 0)
    out.push(
      `_${omitted} more job${omitted === 1 ? '' : 's'} not shown: the comment would pass GitHub's ${limit}-character limit. Run \`drover plan\` for the full plan._\n`,
    );
  return [...out, ...footer].join('\n');
}
