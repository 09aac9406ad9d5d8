/**
 * The GitHub Action (action.yml at the repository's root): `plan` comments the plan on the pull request,
 * saves it for the artifact and reports drover's exit code; `apply` applies a saved plan or plans afresh, under
 * the stack's lock, and writes the job summary. drover itself runs as the CLI, so its flags, output and exit
 * codes are the documented ones.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { applyArgs, planArgs, type ActionInputs } from './action-inputs.js';
import type { GitHubContext } from './github-context.js';
import { commentBody, commentMarker, upsertPlanComment } from './plan-comment.js';
import { isFromFork } from './pull-request.js';
import { applySummary, forkNotice, planFailedMarkdown } from './reports.js';
import { GitHubClient } from './rest-client.js';
import type { Workflow } from './workflow.js';

export interface DroverResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the drover CLI; with `echo`, its output also goes to the step's log as it comes. */
export type RunDrover = (
  args: readonly string[],
  options: { readonly echo: boolean },
) => Promise<DroverResult>;

export interface ActionRun {
  readonly inputs: ActionInputs;
  readonly github: GitHubContext;
  readonly workflow: Workflow;
  readonly drover: RunDrover;
}

/** The file the plan is saved to, inside the directory the artifact is made of. */
export const SAVED_PLAN_FILE = 'plan.json';

/** Runs the action; resolves to the step's exit code. */
export async function runAction(run: ActionRun): Promise<number> {
  const pr = run.github.pullRequest;
  if (pr && isFromFork(pr)) {
    const message = forkNotice(pr);
    run.workflow.annotate(
      'warning',
      `drover ${run.inputs.command} skipped: pull request from a fork`,
      message,
    );
    run.workflow.summary(`### drover ${run.inputs.command} skipped\n\n${message}`);
    run.workflow.output('exitcode', '');
    return 0;
  }
  return run.inputs.command === 'plan' ? plan(run) : apply(run);
}

async function plan(run: ActionRun): Promise<number> {
  const { inputs, github, workflow } = run;
  const target = inputs.comment ? commentTarget(github) : undefined;

  const dir = mkdtempSync(join(github.tempDir, 'drover-plan-'));
  const planFile = join(dir, SAVED_PLAN_FILE);
  const result = await run.drover(planArgs(inputs, planFile), { echo: true });
  // A plan a check blocks is made and saved, and exits 1: the comment shows it (its checks first) and the step
  // fails; it is not offered for apply.
  const made = [0, 1, 2].includes(result.code) && existsSync(planFile);
  const planned = made && result.code !== 1;
  const markdown = made ? result.stdout : planFailedMarkdown(result.stderr, result.code);
  writeFileSync(join(dir, 'plan.md'), markdown);
  workflow.summary(markdown);
  if (!made) noticeMissingNomadToken(run);
  // Before the comment: a step after a failed comment still learns how the plan went.
  workflow.output('exitcode', String(result.code));
  workflow.output('plan-file', planned ? planFile : '');
  workflow.output('plan-dir', planned ? dir : '');

  if (target) {
    const marker = commentMarker(inputs.commentKey);
    const at = target.pr.headSha ? target.pr.headSha.slice(0, 7) : "the pull request's head";
    const link = github.runUrl ? ` · [workflow run](${github.runUrl})` : '';
    const summary = github.runUrl
      ? `the [workflow run's summary](${github.runUrl})`
      : "the workflow run's summary";
    const body = commentBody(marker, markdown, `<sub>Planned at ${at}${link}</sub>`, `see ${summary}`);
    const posted = await upsertPlanComment(
      target.client,
      { repo: target.repo, issue: target.pr.number },
      marker,
      body,
    );
    workflow.log(
      `${posted.action === 'created' ? 'Commented' : 'Updated the comment with'} the plan: ${posted.comment.html_url}`,
    );
    workflow.output('comment-url', posted.comment.html_url);
  }

  // 0 (no changes) and 2 (changes) are both a plan made; anything else failed.
  return planned ? 0 : 1;
}

/** Where the comment goes, checked before planning: a missing token fails at once, with the fix. */
function commentTarget(github: GitHubContext) {
  const pr = github.pullRequest;
  if (!pr) return undefined;
  if (!github.token)
    throw new UserError('GITHUB_TOKEN is not set: drover cannot comment the plan on the pull request', {
      code: 'no_github_token',
      hint: 'Give the step `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` and the job `permissions: pull-requests: write` (or the input `comment: false`).',
    });
  if (!github.repository)
    throw new UserError('GITHUB_REPOSITORY is not set: drover cannot tell which repository to comment on', {
      code: 'no_repository',
      hint: 'GitHub Actions sets it for every run; outside Actions, set it to owner/name.',
    });
  return { pr, repo: github.repository, client: new GitHubClient(github.apiUrl, github.token) };
}

async function apply(run: ActionRun): Promise<number> {
  const { inputs, workflow } = run;
  const saved = inputs.savedPlan;
  const savedPlan = saved && savedPlanFile(saved);
  const planMarkdown = savedPlan
    ? (await run.drover(['show', savedPlan, '--markdown'], { echo: false })).stdout
    : undefined;
  const result = await run.drover(applyArgs(inputs, savedPlan), { echo: true });
  if (result.code !== 0) noticeMissingNomadToken(run);
  const paths = inputs.paths.map((p) => `\`${p}\``).join(', ') || 'the working directory';
  workflow.summary(
    applySummary({
      code: result.code,
      source: saved ? `the saved plan from artifact \`${saved.artifact}\`` : `${paths}, planned afresh`,
      stdout: result.stdout,
      stderr: result.stderr,
      planMarkdown,
    }),
  );
  workflow.output('exitcode', String(result.code));
  return result.code;
}

/** The saved plan in the artifact action.yml downloaded. */
function savedPlanFile(saved: { readonly artifact: string; readonly dir: string }): string {
  const file = join(saved.dir, SAVED_PLAN_FILE);
  if (!existsSync(file))
    throw new UserError(`the artifact ${saved.artifact} holds no ${SAVED_PLAN_FILE}`, {
      code: 'no_saved_plan',
      hint: 'Name the artifact a `command: plan` step of this workflow run uploaded (its input artifact-name, default drover-plan).',
    });
  return file;
}

/**
 * A pull request's run that failed without NOMAD_TOKEN: likely one GitHub gave no secrets (Dependabot's, whose
 * head is this repository) or a workflow that does not pass the secret on.
 */
function noticeMissingNomadToken(run: ActionRun): void {
  if (run.github.nomadTokenSet || !run.github.pullRequest) return;
  run.workflow.annotate(
    'notice',
    'NOMAD_TOKEN is not set',
    'NOMAD_TOKEN is empty in this step. If the cluster has ACLs, give the step `env: NOMAD_TOKEN: ${{ secrets.NOMAD_TOKEN }}`; GitHub gives no secrets to runs for pull requests from forks or from Dependabot.',
  );
}
