import * as Flags from '@oclif/core/flags';
import { pathsArgs, projectDirectory } from '../cli/job-flags.js';
import { BaseCommand } from '../cli/base-command.js';
import { createNomadClient, nomadFlags, nomadSettingsFrom } from '../cli/nomad-flags.js';
import { lockFlags, lockOptionsFrom } from '../cli/lock-flags.js';
import { watchFlags, watchOptionsFrom } from '../cli/watch-flags.js';

export default class Destroy extends BaseCommand<typeof Destroy> {
  static override summary =
    'Delete every job this stack owns, dependents first, and wait for their allocations to stop.';
  static override examples = [
    '<%= config.bin %> destroy --stack shop',
    '<%= config.bin %> destroy deploy/ --purge --auto-approve',
    '<%= config.bin %> destroy --stack shop --parallelism 8 --watch events',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'destroy [PATHS…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack whose jobs to delete (env DROVER_STACK; drover.hcl stack).' }),
    purge: Flags.boolean({ summary: 'Purge the jobs instead of stopping them.' }),
    'auto-approve': Flags.boolean({ summary: 'Delete without asking (required without a terminal).' }),
    ...watchFlags,
    ...lockFlags,
    json: Flags.boolean({ summary: 'Print the result as JSON.' }),
    'no-color': Flags.boolean({ summary: 'No colour and no live redraw.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const watching = watchOptionsFrom(flags, this.logger);
    const locking = lockOptionsFrom(flags, 'destroy', this.config.version);
    const client = await createNomadClient(nomadSettingsFrom(flags), this.logger);
    const { interruptible, progressPrinter } = await import('../cli/apply-output.js');
    const interrupt = interruptible();
    this.interruptExitCode = interrupt.exitCode;
    try {
      const { destroyJobs } = await import('../actions/destroy-jobs.js');
      const { printPlan } = await import('../cli/print-plan.js');
      const { confirm } = await import('../cli/confirm.js');
      const outcome = await destroyJobs({
        client,
        cwd: process.cwd(),
        dir: projectDirectory(this.positionals, 'destroy'),
        stack: flags.stack,
        namespace: flags.namespace,
        purge: flags.purge,
        env: process.env,
        ...watching,
        signal: interrupt.signal,
        locking,
        confirm: async (plan) => {
          if (!flags.json) printPlan(this, plan, { noColor: flags['no-color'], title: 'drover destroy' });
          return confirm(`Delete these ${plan.changes.length} jobs?`, flags['auto-approve']);
        },
        emit: progressPrinter({ json: flags.json, noColor: flags['no-color'] }),
      });
      const { renderApplyJson, renderApplySummary } = await import('../render/apply-summary.js');
      if (outcome.kind === 'no-changes') {
        if (flags.json) this.printJson({ ok: true, cancelled: false, jobs: [] });
        else this.print(`Stack "${outcome.plan.settings.stack}" has no jobs; nothing to destroy.`);
      } else if (outcome.kind === 'declined') this.print('Nothing deleted.');
      else if (flags.json) this.printJson(renderApplyJson(outcome.result));
      else this.print(`\n${renderApplySummary(outcome.result, 'Destroy')}`);
      const { exitCodeFor } = await import('../cli/exit-code.js');
      const code = exitCodeFor({ kind: 'apply', outcome, interruptExitCode: interrupt.exitCode() });
      if (code !== 0) this.exit(code);
    } finally {
      interrupt.dispose();
      await client.close();
    }
  }
}
