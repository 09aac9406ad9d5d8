import type { ApplyOutcome } from '../actions/apply-jobs.js';
import { rolloutSucceeded, type ProjectApplyOutcome } from '../apply/rollout.js';
import type { StackDrift } from '../drift/detect-drift.js';
import { hasChanges, type Plan } from '../plan/model.js';
import { failedParts, plannedParts, type ProjectPlan } from '../plan/project-plan.js';
import { blockingChecks } from '../plan/check-report.js';
import { reportsOf, unreadClusters, type ClusterReports } from '../stack/cluster-reports.js';

/** What a command ended with, as far as its exit code goes. */
export type CommandOutcome =
  | { readonly kind: 'plan'; readonly plan: Plan; readonly detailedExitcode: boolean }
  | { readonly kind: 'project-plan'; readonly project: ProjectPlan; readonly detailedExitcode: boolean }
  | { readonly kind: 'apply'; readonly outcome: ApplyOutcome; readonly interruptExitCode: number }
  | {
      readonly kind: 'rollout';
      readonly outcome: Extract<ProjectApplyOutcome, { kind: 'clusters' }>;
      readonly interruptExitCode: number;
    }
  | { readonly kind: 'validate'; readonly valid: boolean }
  | { readonly kind: 'test-checks'; readonly passed: boolean }
  | { readonly kind: 'import'; readonly exact: boolean }
  | { readonly kind: 'reads'; readonly reports: ClusterReports<unknown> }
  | {
      readonly kind: 'drift';
      readonly drift: ClusterReports<StackDrift>;
      readonly detailedExitcode: boolean;
    };

/**
 * The exit code, decided in one place (README.md, "Exit codes"): 0 success, 1 error or failure or refusal (a
 * blocking check among them, a warning-level check never; a cluster not planned or not read), 2 =
 * `plan --detailed-exitcode` found changes in any cluster (`drift --detailed-exitcode`: drift, or objects the
 * token could not compare, in any cluster), 130/143 interrupted by SIGINT/SIGTERM.
 */
export function exitCodeFor(outcome: CommandOutcome): number {
  switch (outcome.kind) {
    case 'plan':
      // A blocking check outweighs --detailed-exitcode: the plan may not be applied.
      if (blockingChecks(outcome.plan.checks).length > 0) return 1;
      return outcome.detailedExitcode && hasChanges(outcome.plan) ? 2 : 0;
    case 'project-plan': {
      // A cluster that could not be planned fails the plan, whatever the others found; so does a check anywhere.
      if (failedParts(outcome.project).length > 0) return 1;
      const codes = plannedParts(outcome.project).map(({ plan }) =>
        exitCodeFor({ kind: 'plan', plan, detailedExitcode: outcome.detailedExitcode }),
      );
      return codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0;
    }
    case 'validate':
      return outcome.valid ? 0 : 1;
    case 'rollout': {
      const cancelled = outcome.outcome.runs.some(
        (r) => r.status === 'ran' && r.outcome.kind === 'applied' && r.outcome.result.cancelled,
      );
      if (cancelled) return outcome.interruptExitCode;
      return rolloutSucceeded(outcome.outcome) ? 0 : 1;
    }
    case 'test-checks':
      return outcome.passed ? 0 : 1;
    case 'reads':
      // A cluster that could not be read fails the command, whatever the others showed.
      return unreadClusters(outcome.reports).length > 0 ? 1 : 0;
    case 'import':
      return outcome.exact ? 0 : 1;
    case 'drift': {
      if (unreadClusters(outcome.drift).length > 0) return 1;
      const found = reportsOf(outcome.drift).some(
        (drift) => drift.drifted.length + (drift.objects?.length ?? 0) + (drift.unchecked?.length ?? 0) > 0,
      );
      return outcome.detailedExitcode && found ? 2 : 0;
    }
    case 'apply': {
      const applied = outcome.outcome;
      if (applied.kind === 'no-changes') return 0;
      if (applied.kind === 'declined' || applied.kind === 'refused') return 1;
      if (applied.lockLost) return 1;
      if (applied.result.cancelled) return outcome.interruptExitCode;
      return applied.result.ok ? 0 : 1;
    }
  }
}
