import type { Command } from '@oclif/core/command';
import type { ApplyOutcome, RunOptions } from '../actions/apply-jobs.js';
import type { ProjectApplyOutcome } from '../actions/apply-project.js';
import type { NomadAccess } from '../actions/nomad-access.js';
import type { LockFlags } from '../actions/stack-run.js';
import type { Plan } from '../plan/model.js';
import { blockingChecks } from '../plan/check-report.js';
import { plannedParts, type ProjectPlan } from '../plan/project-plan.js';
import { BaseCommand } from './base-command.js';
import { lockOptionsFrom } from './lock-flags.js';
import { openNomadSession } from './nomad-flags.js';
import { watchOptionsFrom } from './watch-flags.js';

/**
 * What a run on the stack is handed: how to reach Nomad (with the environment), the watch options, the interrupt
 * signal, the lock, the progress.
 */
export type StackRunContext = Pick<
  RunOptions,
  'detach' | 'timeoutMs' | 'parallelism' | 'watchWith' | 'logger' | 'emit'
> &
  NomadAccess & {
    readonly signal: AbortSignal;
    readonly locking: LockFlags;
  };

export interface StackRunSpec {
  /** Named in the stack's lock and history: "apply", "destroy", "promote", "rollback". */
  readonly command: string;
  readonly flags: Parameters<typeof openNomadSession>[0] &
    Parameters<typeof watchOptionsFrom>[0] &
    Parameters<typeof lockOptionsFrom>[0] & { readonly json?: boolean; readonly 'no-color'?: boolean };
  readonly run: (context: StackRunContext) => Promise<ApplyOutcome | ProjectApplyOutcome>;
  /** The summary's first word ("Apply complete: …"). */
  readonly operation: (plan: Plan) => 'Apply' | 'Destroy' | 'Promote' | 'Rollback';
  /** What a plan with nothing to do prints. */
  readonly nothingToDo: (plan: Plan) => string;
  /** What a plan the user said no to prints. */
  readonly declined: string;
  /** Shows a plan a blocking check refused (the refusal itself is said after it); absent: not shown. */
  readonly refused?: (plan: Plan) => void;
}

/** How a refusal starts, by the run's operation. */
const NOT_DONE: Readonly<Record<ReturnType<StackRunSpec['operation']>, string>> = {
  Apply: 'Not applied',
  Destroy: 'Not destroyed',
  Promote: 'Not promoted',
  Rollback: 'Not reverted',
};

/**
 * apply, destroy, promote and rollback: a plan carried out on the stack under its lock, with the same progress,
 * summary, --json result, Ctrl-C handling and exit codes. Each command says only how its plan is made.
 */
export abstract class StackRunCommand<T extends typeof Command> extends BaseCommand<T> {
  protected async runOnStack(spec: StackRunSpec): Promise<void> {
    const { flags } = spec;
    const watching = watchOptionsFrom(flags, this.logger);
    const locking = lockOptionsFrom(flags, spec.command, this.config.version);
    const nomad = await openNomadSession(flags, this.env, this.logger);
    const { interruptible, progressPrinter } = await import('./apply-output.js');
    const interrupt = interruptible();
    this.interruptExitCode = interrupt.exitCode;
    try {
      const ran = await spec.run({
        ...nomad.access,
        ...watching,
        signal: interrupt.signal,
        locking,
        emit: progressPrinter({ json: flags.json, noColor: flags['no-color'] }),
      });
      const { exitCodeFor } = await import('./exit-code.js');
      if (ran.kind === 'clusters') {
        const { renderRolloutJson, renderRolloutSummary } = await import('../render/rollout-summary.js');
        if (flags.json) this.printJson(renderRolloutJson(ran));
        else {
          // A check that blocks stops the rollout before the plan is shown: its results say why.
          if (ran.decision === 'refused' && ran.project) await this.printBlockingChecks(ran.project, flags);
          this.print(`\n${renderRolloutSummary(ran, spec.operation)}`);
        }
        const code = exitCodeFor({ kind: 'rollout', outcome: ran, interruptExitCode: interrupt.exitCode() });
        if (code !== 0) this.exit(code);
        return;
      }
      const outcome = ran.kind === 'one' ? ran.outcome : ran;
      const { renderApplyJson, renderApplySummary } = await import('../render/apply-summary.js');
      const { checksJson, refusalLine } = await import('../render/check-results.js');
      // The checks' results ride with the result when the project has checks.
      const checked = outcome.plan.checks ? { checks: checksJson(outcome.plan.checks) } : {};
      if (outcome.kind === 'applied') {
        if (flags.json) this.printJson({ ...renderApplyJson(outcome.result), ...checked });
        else this.print(`\n${renderApplySummary(outcome.result, spec.operation(outcome.plan))}`);
      } else if (outcome.kind === 'no-changes') {
        if (flags.json) this.printJson({ ok: true, cancelled: false, jobs: [], ...checked });
        else this.print(spec.nothingToDo(outcome.plan));
      } else if (outcome.kind === 'refused') {
        if (flags.json)
          this.printJson({
            ok: false,
            cancelled: false,
            refused: true,
            checks: checksJson(outcome.plan.checks),
            jobs: [],
          });
        else {
          spec.refused?.(outcome.plan);
          const notDone = NOT_DONE[spec.operation(outcome.plan)];
          process.stderr.write(`${refusalLine(outcome.plan.checks, notDone)}\n`);
        }
      } else this.print(spec.declined);
      const code = exitCodeFor({ kind: 'apply', outcome, interruptExitCode: interrupt.exitCode() });
      if (code !== 0) this.exit(code);
    } finally {
      interrupt.dispose();
      await nomad.close();
    }
  }

  private async printBlockingChecks(project: ProjectPlan, flags: StackRunSpec['flags']): Promise<void> {
    const blocked = plannedParts(project).some((part) => blockingChecks(part.plan.checks).length > 0);
    if (!blocked) return;
    const { printChecks } = await import('./print-plan.js');
    printChecks(project, { noColor: flags['no-color'] });
  }
}
