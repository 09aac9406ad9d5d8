/**
 * The end of an apply over several clusters: per cluster in drover.hcl's order, what ran (its apply summary),
 * what failed and why, and what never started and why; then one line that counts them.
 */
import { rolloutSucceeded, type ClusterRun, type ProjectApplyOutcome } from '../apply/rollout.js';
import type { Plan } from '../plan/model.js';
import { isPlanned } from '../plan/project-plan.js';
import { renderApplyJson, renderApplySummary } from './apply-summary.js';
import { checksJson, refusalReason } from './check-results.js';

type Operation = Parameters<typeof renderApplySummary>[1];

type ClustersOutcome = Extract<ProjectApplyOutcome, { kind: 'clusters' }>;

export function renderRolloutSummary(
  outcome: ClustersOutcome,
  /** The first word of each cluster's summary ("Destroy complete: …"). */
  operation: (plan: Plan) => Operation = () => 'Apply',
): string {
  const lines: string[] = [];
  for (const run of outcome.runs) {
    lines.push(`== cluster ${run.cluster}: ${statusOf(run, outcome)}`);
    if (run.status === 'ran' && run.outcome.kind === 'applied')
      lines.push(renderApplySummary(run.outcome.result, operation(run.outcome.plan)));
    if (run.status === 'failed' && run.error.hint) lines.push(`  ${run.error.hint}`);
    lines.push('');
  }
  lines.push(totalLine(outcome));
  return lines.join('\n');
}

export function renderRolloutJson(outcome: ClustersOutcome): unknown {
  return {
    ok: rolloutSucceeded(outcome),
    decision: outcome.decision,
    clusters: outcome.runs.map((run) => ({
      name: run.cluster,
      status: statusWord(run, outcome),
      error:
        run.status === 'failed'
          ? { message: run.error.message, hint: run.error.hint ?? null, code: run.error.code }
          : null,
      reason: run.status === 'not-started' ? run.reason : null,
      result:
        run.status === 'ran' && run.outcome.kind === 'applied' ? renderApplyJson(run.outcome.result) : null,
      checks: checksJson(planOf(run, outcome)?.checks),
    })),
  };
}

/** The cluster's plan: as it ran, or as the rollout planned it (a cluster that never started). */
function planOf(run: ClusterRun, outcome: ClustersOutcome): Plan | undefined {
  if (run.status === 'ran') return run.outcome.plan;
  const part = outcome.project?.parts.find((p) => p.cluster === run.cluster);
  return part && isPlanned(part) ? part.plan : undefined;
}

type StatusWord = 'succeeded' | 'unchanged' | 'failed' | 'refused' | 'not started' | 'interrupted';

function statusWord(run: ClusterRun, outcome: ClustersOutcome): StatusWord {
  if (run.status === 'failed') return 'failed';
  if (run.status === 'not-started') return 'not started';
  const ran = run.outcome;
  if (ran.kind === 'no-changes') return 'unchanged';
  if (ran.kind === 'declined') return outcome.decision === 'no-changes' ? 'unchanged' : 'not started';
  if (ran.kind === 'refused') return 'refused';
  if (ran.result.cancelled) return 'interrupted';
  return ran.result.ok && !ran.lockLost ? 'succeeded' : 'failed';
}

function statusOf(run: ClusterRun, outcome: ClustersOutcome): string {
  const word = statusWord(run, outcome);
  if (run.status === 'failed') return `${word}: ${run.error.message}`;
  if (run.status === 'not-started') return `${word}: ${run.reason}`;
  if (run.outcome.kind === 'declined')
    return outcome.decision === 'declined'
      ? `${word}: the plan was not approved`
      : `${word}: another cluster stopped the rollout before its first write, so nothing was applied anywhere`;
  if (run.outcome.kind === 'refused') return `${word}: ${refusalReason(run.outcome.plan.checks)}`;
  if (run.outcome.kind === 'applied' && run.outcome.lockLost) return `${word}: its stack lock was lost`;
  return word;
}

function totalLine(outcome: ClustersOutcome): string {
  const words = outcome.runs.map((r) => statusWord(r, outcome));
  const count = (w: StatusWord) => words.filter((x) => x === w).length;
  const parts = (['succeeded', 'unchanged', 'failed', 'refused', 'interrupted', 'not started'] as const)
    .filter((w) => count(w) > 0)
    .map((w) => `${count(w)} ${w}`);
  const verdict = rolloutSucceeded(outcome) ? 'complete' : 'FAILED';
  return `Rollout ${verdict} over ${outcome.runs.length} cluster${outcome.runs.length === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}
