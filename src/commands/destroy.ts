import * as Flags from '@oclif/core/flags';
import { pathsArgs, projectDirectory } from '../cli/job-flags.js';
import { nomadFlags } from '../cli/nomad-flags.js';
import { lockFlags } from '../cli/lock-flags.js';
import { StackRunCommand } from '../cli/stack-run-command.js';
import { watchFlags } from '../cli/watch-flags.js';
import { skipCheckFlag } from '../cli/plan-flags.js';

export default class Destroy extends StackRunCommand<typeof Destroy> {
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
    'skip-check': skipCheckFlag(),
    'auto-approve': Flags.boolean({ summary: 'Delete without asking (required without a terminal).' }),
    ...watchFlags,
    ...lockFlags,
    json: Flags.boolean({ summary: 'Print the result as JSON.' }),
    'no-color': Flags.boolean({ summary: 'No colour and no live redraw.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const { destroyJobs } = await import('../actions/destroy-jobs.js');
    const { printPlan } = await import('../cli/print-plan.js');
    const { confirm } = await import('../cli/confirm.js');
    await this.runOnStack({
      command: 'destroy',
      flags,
      run: (context) =>
        destroyJobs({
          ...context,
          cwd: process.cwd(),
          dir: projectDirectory(this.positionals, 'destroy'),
          stack: flags.stack,
          purge: flags.purge,
          skipChecks: flags['skip-check'] ?? [],
          confirm: async (plan) => {
            if (!flags.json) printPlan(this, plan, { noColor: flags['no-color'], title: 'drover destroy' });
            return confirm(`Delete these ${plan.changes.length} jobs?`, flags['auto-approve'], {
              refusing: 'destroy',
              hint: 'Review the jobs above, then run again with --auto-approve.',
            });
          },
        }),
      operation: () => 'Destroy',
      nothingToDo: (plan) => `Stack "${plan.settings.stack}" has no jobs; nothing to destroy.`,
      declined: 'Nothing deleted.',
      refused: (plan) => printPlan(this, plan, { noColor: flags['no-color'], title: 'drover destroy' }),
    });
  }
}
