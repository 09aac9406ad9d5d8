import * as Flags from '@oclif/core/flags';
import { pathsArgs, projectDirectory } from '../cli/job-flags.js';
import { nomadFlags } from '../cli/nomad-flags.js';
import { clusterFlag } from '../cli/plan-flags.js';
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
    '<%= config.bin %> destroy --cluster staging',
  ];
  static override description =
    "With cluster blocks in drover.hcl, every cluster (or those --cluster names) is locked and planned at once and approved once, then destroyed in the reverse of the rollout's order: a cluster only after every cluster that comes after it (production before staging), a failure stopping those still to go.";
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'destroy [PATHS…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack whose jobs to delete (env DROVER_STACK; drover.hcl stack).' }),
    cluster: clusterFlag,
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
    const { destroyProject } = await import('../actions/destroy-jobs.js');
    const { printPlan, printProjectPlan } = await import('../cli/print-plan.js');
    const approval = {
      refusing: 'destroy',
      hint: 'Review the jobs above, then run again with --auto-approve.',
    };
    const { confirm } = await import('../cli/confirm.js');
    await this.runOnStack({
      command: 'destroy',
      flags,
      run: (context) =>
        destroyProject({
          ...context,
          cwd: process.cwd(),
          dir: projectDirectory(this.positionals, 'destroy'),
          stack: flags.stack,
          clusters: flags.cluster,
          purge: flags.purge,
          skipChecks: flags['skip-check'] ?? [],
          confirm: async (plan) => {
            if (!flags.json) printPlan(this, plan, { noColor: flags['no-color'], title: 'drover destroy' });
            return confirm(`Delete these ${plan.changes.length} jobs?`, flags['auto-approve'], approval);
          },
          confirmProject: async (project) => {
            if (!flags.json)
              await printProjectPlan(this, project, { noColor: flags['no-color'], title: 'drover destroy' });
            return confirm('Delete these jobs in every cluster shown?', flags['auto-approve'], approval);
          },
        }),
      operation: () => 'Destroy',
      nothingToDo: (plan) => `Stack "${plan.settings.stack}" has no jobs; nothing to destroy.`,
      declined: 'Nothing deleted.',
      refused: (plan) => printPlan(this, plan, { noColor: flags['no-color'], title: 'drover destroy' }),
    });
  }
}
