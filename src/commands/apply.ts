import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { jobFileFlags, pathsArgs } from '../cli/job-flags.js';
import { createNomadClient, nomadFlags, nomadSettingsFrom } from '../cli/nomad-flags.js';
import { planFlags, planInputsFrom } from '../cli/plan-flags.js';
import { lockFlags, lockOptionsFrom } from '../cli/lock-flags.js';
import { watchFlags, watchOptionsFrom } from '../cli/watch-flags.js';

export default class Apply extends BaseCommand<typeof Apply> {
  static override summary =
    'Plan, ask for approval, then register and delete jobs in order and watch them to the end.';
  static override description =
    'With job paths (or none: the current directory), plans first and shows the plan; with a saved plan file (drover plan --out), applies it as it is. Every registration enforces the JobModifyIndex seen at plan time. Exit 0 when every job succeeded (or stopped at promotion-ready), 1 on any failure or timeout, 130 when interrupted.';
  static override examples = [
    '<%= config.bin %> apply',
    '<%= config.bin %> apply deploy/ --auto-approve --auto-promote',
    '<%= config.bin %> apply plan.json --auto-approve',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'apply [PATHS…] [FLAGS]\n  $ drover apply PLAN_FILE [FLAGS]';
  static override flags = {
    ...jobFileFlags,
    ...planFlags,
    ...nomadFlags,
    'auto-approve': Flags.boolean({ summary: 'Apply without asking (required without a terminal).' }),
    'auto-promote': Flags.boolean({ summary: 'Promote canaries once they are healthy.' }),
    rollback: Flags.boolean({
      summary:
        'Revert a job whose deployment failed to its last stable version (when it has no auto_revert).',
    }),
    purge: Flags.boolean({ summary: 'Purge deleted jobs instead of stopping them.' }),
    ...watchFlags,
    ...lockFlags,
    json: Flags.boolean({ summary: 'Print the result as JSON (and no progress).' }),
    'no-color': Flags.boolean({ summary: 'No colour and no live redraw.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const watching = watchOptionsFrom(flags, this.logger);
    const locking = lockOptionsFrom(flags, 'apply', this.config.version);
    const client = await createNomadClient(nomadSettingsFrom(flags), this.logger);
    const { interruptible, progressPrinter } = await import('../cli/apply-output.js');
    const interrupt = interruptible();
    this.interruptExitCode = interrupt.exitCode;
    try {
      const { applyJobs } = await import('../actions/apply-jobs.js');
      const { printPlan } = await import('../cli/print-plan.js');
      const { confirm } = await import('../cli/confirm.js');
      const outcome = await applyJobs({
        client,
        paths: this.positionals,
        cwd: process.cwd(),
        env: process.env,
        ...planInputsFrom(flags),
        deadlineMs: watching.timeoutMs,
        purge: flags.purge,
        autoPromote: flags['auto-promote'],
        rollback: flags.rollback,
        ...watching,
        signal: interrupt.signal,
        locking,
        confirm: async (plan) => {
          if (!flags.json)
            printPlan(this, plan, {
              noColor: flags['no-color'],
              showSensitive: flags['show-sensitive'],
              compact: flags.compact,
            });
          const question = plan.settings.destroy
            ? `Delete these ${plan.changes.length} jobs?`
            : 'Apply these changes?';
          return confirm(question, flags['auto-approve']);
        },
        emit: progressPrinter({ json: flags.json, noColor: flags['no-color'] }),
      });
      const { renderApplyJson, renderApplySummary } = await import('../render/apply-summary.js');
      if (outcome.kind === 'no-changes') {
        if (flags.json) this.printJson({ ok: true, cancelled: false, jobs: [] });
        else this.print('No changes. Nomad matches the job files.');
      } else if (outcome.kind === 'declined') this.print('Not applied.');
      else if (flags.json) this.printJson(renderApplyJson(outcome.result));
      else
        this.print(
          `\n${renderApplySummary(outcome.result, outcome.plan.settings.destroy ? 'Destroy' : undefined)}`,
        );
      const { exitCodeFor } = await import('../cli/exit-code.js');
      const code = exitCodeFor({ kind: 'apply', outcome, interruptExitCode: interrupt.exitCode() });
      if (code !== 0) this.exit(code);
    } finally {
      interrupt.dispose();
      await client.close();
    }
  }
}
