/**
 * The project's check results (plan.checks) as lines for people, for a pull-request comment and for --json, and the
 * words of a refusal. One module for every rendering, so that each shows the same results.
 */
import type { Palette } from './palette.js';
import { blockingChecks, type CheckReport, type CheckResult } from '../plan/check-report.js';
import { plannedParts, singlePlan, type ProjectPlan } from '../plan/project-plan.js';

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 checks: 2 passed, 1 failed (pinned_images)". */
export function checkSummary(report: CheckReport): string {
  const failed = report.results.filter((r) => r.status !== 'passed');
  const parts = [`${report.results.length - failed.length} passed`];
  const named = (rs: CheckResult[]) => rs.map((r) => r.name).join(', ');
  const broken = failed.filter((r) => r.status === 'error');
  const errors = failed.filter((r) => r.status === 'failed' && r.severity === 'error');
  const warnings = failed.filter((r) => r.status === 'failed' && r.severity === 'warning');
  if (errors.length > 0) parts.push(`${errors.length} failed (${named(errors)})`);
  if (warnings.length > 0) parts.push(`${count(warnings.length, 'warning')} (${named(warnings)})`);
  if (broken.length > 0) parts.push(`${broken.length} could not be evaluated (${named(broken)})`);
  return `${count(report.results.length, 'check')}: ${parts.join(', ')}`;
}

function mark(result: CheckResult, palette: Palette): string {
  if (result.status === 'passed') return palette.hue('green')('✓');
  if (result.skipped) return palette.hue('yellow')('⊘');
  if (result.status === 'failed' && result.severity === 'warning') return palette.hue('yellow')('!');
  return palette.hue('red')('✗');
}

function qualifiers(result: CheckResult): string {
  const said = [
    ...(result.severity === 'warning' ? ['warning'] : []),
    ...(result.skipped && result.status !== 'passed' ? ['skipped with --skip-check'] : []),
  ];
  return said.length > 0 ? ` (${said.join(', ')})` : '';
}

/** The "Checks:" section of the human plan: one line per check, its message and failing objects below it. */
export function checkLinesHuman(report: CheckReport | undefined, palette: Palette): string[] {
  if (!report || report.results.length === 0) return [];
  const lines = [palette.bold('Checks:')];
  for (const result of report.results) {
    const head = `  ${mark(result, palette)} ${result.name}${qualifiers(result)}`;
    if (result.status === 'passed') {
      lines.push(head);
      continue;
    }
    if (result.status === 'error') {
      lines.push(`${head}: could not be evaluated`);
      lines.push(...result.error!.split('\n').map((l) => `      ${l}`));
      continue;
    }
    lines.push(`${head}: ${result.messages.join(' ')}`);
    for (const object of result.failing) lines.push(`      ${object}`);
  }
  const blocking = blockingChecks(report);
  if (blocking.length > 0)
    lines.push(
      palette.hue('red')(
        `  This plan may not be applied: ${blocking.map((r) => r.name).join(', ')}. Fix it, or override one run with --skip-check NAME (recorded in the stack's history).`,
      ),
    );
  return lines;
}

/**
 * The checks alone, for a run that shows no plan (promote) or was refused before showing one (a rollout): one
 * Nomad's "Checks:" section, or each cluster's under its name. Empty when no plan has checks.
 */
export function projectChecksHuman(project: ProjectPlan, palette: Palette): string[] {
  const single = singlePlan(project);
  if (single) return checkLinesHuman(single.checks, palette);
  return plannedParts(project).flatMap((part) => {
    const lines = checkLinesHuman(part.plan.checks, palette);
    return lines.length > 0 ? [palette.bold(`== cluster ${part.cluster}`), ...lines, ''] : [];
  });
}

const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** The checks at the top of the pull-request comment: a caution when one blocks, a table, broken checks' errors. */
export function checkLinesMarkdown(report: CheckReport | undefined): string[] {
  if (!report || report.results.length === 0) return [];
  const lines: string[] = [];
  const blocking = blockingChecks(report);
  if (blocking.length > 0)
    lines.push(
      '> [!CAUTION]',
      `> **${count(blocking.length, 'check')} ${blocking.length === 1 ? 'blocks' : 'block'} this plan:** ${blocking.map((r) => code(r.name)).join(', ')}. \`drover apply\` refuses it until ${blocking.length === 1 ? 'it passes' : 'they pass'}, or a person overrides one run with \`--skip-check NAME\`.`,
      '',
    );
  lines.push(`**Checks:** ${checkSummary(report)}.`, '', '| | Check | Result |', '|---|---|---|');
  for (const result of report.results) {
    const icon =
      result.status === 'passed'
        ? '✅'
        : result.skipped
          ? '⏭️'
          : result.status === 'failed' && result.severity === 'warning'
            ? '⚠️'
            : '❌';
    const outcome =
      result.status === 'passed'
        ? 'passed'
        : result.status === 'error'
          ? 'could not be evaluated (below)'
          : [
              cell(result.messages.join(' ')),
              ...(result.failing.length > 0 ? [`failing: ${result.failing.map(code).join(', ')}`] : []),
            ].join('<br>');
    lines.push(`| ${icon} | ${code(result.name)}${cell(qualifiers(result))} | ${outcome} |`);
  }
  lines.push('');
  for (const result of report.results.filter((r) => r.status === 'error'))
    lines.push(`Check ${code(result.name)} could not be evaluated:`, '', '```', result.error!, '```', '');
  return lines;
}

/** plan.checks in the --json document (schema/plan.schema.json). */
export function checksJson(report: CheckReport | undefined): unknown {
  if (!report) return null;
  return {
    time: report.time,
    blocking: blockingChecks(report).map((r) => r.name),
    results: report.results.map((r) => ({
      name: r.name,
      severity: r.severity,
      at: r.at,
      status: r.status,
      messages: r.messages,
      failing: r.failing,
      error: r.error ?? null,
      skipped: r.skipped ?? false,
    })),
  };
}

/** Why a run refused its plan, one line: "Not promoted: 1 check blocks the plan (…); …". */
export function refusalLine(report: CheckReport | undefined, notDone = 'Not applied'): string {
  return `${notDone}: ${refusalReason(report)}`;
}

/** The blocking checks, and what to do about them. */
export function refusalReason(report: CheckReport | undefined): string {
  const blocking = blockingChecks(report);
  return `${count(blocking.length, 'check')} ${blocking.length === 1 ? 'blocks' : 'block'} the plan (${blocking.map((r) => r.name).join(', ')}); nothing was sent to Nomad. Fix the plan, or override one run with --skip-check NAME (recorded in the stack's history).`;
}
