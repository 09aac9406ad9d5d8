import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { lockFlags, lockOptionsFrom } from '../cli/lock-flags.js';
import { createNomadClient, nomadFlags, nomadSettingsFrom } from '../cli/nomad-flags.js';
import { watchFlags, watchOptionsFrom } from '../cli/watch-flags.js';

export default class Promote extends BaseCommand<typeof Promote> {
  static override summary = "Promote the canaries of the stack's deployments that wait for it, and wait.";
  static override description =
    "Promotes every deployment of the stack whose canaries are all healthy and wait for a manual promotion (apply without --auto-promote leaves them so), or only those of the named jobs, which must wait. Runs as apply does: under the stack's lock, each deployment followed to its end with the same progress, recorded in the stack's history. Exit 0 when every one succeeds (or nothing waits), 1 on any failure or timeout, 130 when interrupted.";
  static override examples = [
    '<%= config.bin %> promote',
    '<%= config.bin %> promote web --stack shop',
    '<%= config.bin %> promote --json',
  ];
  static override strict = false;
  static override args = {
    jobs: Args.string({ description: 'Job IDs of the stack (default: every job whose deployment waits).' }),
  };
  static override usage = 'promote [JOB…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    rollback: Flags.boolean({
      summary:
        'Revert a job whose deployment fails after the promotion to its last stable version (when it has no auto_revert).',
    }),
    ...watchFlags,
    ...lockFlags,
    json: Flags.boolean({ summary: 'Print the result as JSON (and no progress).' }),
    'no-color': Flags.boolean({ summary: 'No colour and no live redraw.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const watching = watchOptionsFrom(flags, this.logger);
    const locking = lockOptionsFrom(flags, 'promote', this.config.version);
    const client = await createNomadClient(nomadSettingsFrom(flags), this.logger);
    const { interruptible, progressPrinter } = await import('../cli/apply-output.js');
    const interrupt = interruptible();
    this.interruptExitCode = interrupt.exitCode;
    try {
      const { promoteJobs } = await import('../actions/promote-jobs.js');
      const outcome = await promoteJobs({
        client,
        cwd: process.cwd(),
        env: process.env,
        stack: flags.stack,
        jobs: this.positionals,
        rollback: flags.rollback,
        ...watching,
        signal: interrupt.signal,
        locking,
        emit: progressPrinter({ json: flags.json, noColor: flags['no-color'] }),
      });
      const { renderApplyJson, renderApplySummary } = await import('../render/apply-summary.js');
      if (outcome.kind === 'applied')
        if (flags.json) this.printJson(renderApplyJson(outcome.result));
        else this.print(`\n${renderApplySummary(outcome.result, 'Promote')}`);
      else if (flags.json) this.printJson({ ok: true, cancelled: false, jobs: [] });
      else
        this.print(
          `Nothing to promote: no deployment of stack "${outcome.plan.settings.stack}" waits for promotion.`,
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
