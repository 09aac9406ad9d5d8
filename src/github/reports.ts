/** The Markdown the action writes: the failed-plan comment, the apply summary, the fork notice. Pure text. */
import type { PullRequest } from './pull-request.js';

/** A fenced block that no run of backticks inside the text can close early. */
export function fenced(text: string, info = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text.replace(/\n+$/, '')}\n${fence}`;
}

/** A failed plan replaces the last good one, so a pull request never shows a stale plan as current. */
export function planFailedMarkdown(stderr: string, code: number): string {
  return `### drover plan failed\n\n${fenced(tail(stderr.trim() || `drover plan exited ${code}`, 60_000))}\n`;
}

export function forkNotice(pr: PullRequest): string {
  const from = pr.headRepo ? `the fork ${pr.headRepo}` : 'a fork that no longer exists';
  return (
    `Pull request #${pr.number} comes from ${from}, not from ${pr.baseRepo}. GitHub runs workflows for pull ` +
    "requests from forks without the repository's secrets and with a read-only GITHUB_TOKEN, so drover can " +
    'neither reach Nomad nor comment; it planned nothing. To plan these changes, push the branch to ' +
    `${pr.baseRepo} and open the pull request from there.`
  );
}

export interface ApplyReport {
  readonly code: number;
  /** What was applied: "the saved plan from artifact `drover-plan`", "`deploy/`, planned afresh". */
  readonly source: string;
  readonly stdout: string;
  readonly stderr: string;
  /** The saved plan's Markdown, when a saved plan was applied. */
  readonly planMarkdown?: string;
}

/** GITHUB_STEP_SUMMARY takes at most 1 MiB per step: the full output is cut to this, keeping its end. */
const OUTPUT_BUDGET = 600_000;

/**
 * The job summary of an apply: the outcome (from the exit code alone), drover's closing table, then the saved
 * plan and the whole output folded.
 */
export function applySummary(report: ApplyReport): string {
  const parts = [`### drover apply ${outcome(report.code)}`, '', `Applied ${report.source}.`, ''];
  const result = closingLines(report.stdout);
  if (result) parts.push(fenced(result, 'text'), '');
  if (report.stderr.trim()) parts.push(fenced(tail(report.stderr.trim(), 20_000), 'text'), '');
  if (report.planMarkdown)
    parts.push(
      '<details><summary>The plan applied</summary>',
      '',
      report.planMarkdown.trimEnd(),
      '',
      '</details>',
      '',
    );
  if (report.stdout.trim())
    parts.push(
      '<details><summary>drover apply output</summary>',
      '',
      fenced(tail(report.stdout.trimEnd(), OUTPUT_BUDGET), 'text'),
      '',
      '</details>',
      '',
    );
  return parts.join('\n');
}

function outcome(code: number): string {
  if (code === 0) return 'complete';
  if (code === 130 || code === 143) return `interrupted (exit ${code})`;
  return `FAILED (exit ${code})`;
}

/** A progress line in CI: `2026-12-06T10:00:00Z web: …`. */
const PROGRESS_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /;

/**
 * What apply printed after its last progress line: its table of jobs and outcome. With no progress (nothing to
 * do), its whole output, which is then one line. For presentation only: the outcome comes from the exit code.
 */
export function closingLines(stdout: string): string {
  const lines = stdout.trimEnd().split('\n');
  let last = -1;
  lines.forEach((line, i) => {
    if (PROGRESS_LINE.test(line)) last = i;
  });
  if (last < 0) return lines.length <= 3 ? stdout.trim() : '';
  return lines
    .slice(last + 1)
    .join('\n')
    .trim();
}

function tail(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const cut = text.slice(text.length - budget);
  const start = cut.indexOf('\n') + 1;
  const kept = cut.slice(start);
  const dropped = text.slice(0, text.length - kept.length).split('\n').length - 1;
  return `(${dropped} earlier lines left out: the step's log has them all)\n${kept}`;
}
