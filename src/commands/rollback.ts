import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { lockFlags } from '../cli/lock-flags.js';
import { nomadFlags } from '../cli/nomad-flags.js';
import { clusterFlag, skipCheckFlag } from '../cli/plan-flags.js';
import { StackRunCommand } from '../cli/stack-run-command.js';
import { watchFlags } from '../cli/watch-flags.js';

export default class Rollback extends StackRunCommand<typeof Rollback> {
  static override summary =
    'Revert a job of the stack to its previous stable version (or --to-version N), and wait.';
  static override description =
    "Shows what the revert changes (Nomad's diff between the current version and the target) and the checks of drover.hcl evaluated on it (one that blocks refuses the revert before any write; --skip-check NAME overrides it for this run, recorded in the history), asks, then reverts with Nomad's revert endpoint, enforcing the version it planned against, and follows the job as apply does: under the stack's lock, recorded in the stack's history. With cluster blocks in drover.hcl, the job is reverted in every cluster that has it (or those --cluster names): each cluster's revert planned under its lock at once, shown and approved once, then carried out in the rollout's order, a failure stopping the clusters after it. Exit 0 when the reverted job succeeds, 1 on any failure, refusal or timeout, 130 when interrupted.";
  static override examples = [
    '<%= config.bin %> rollback web',
    '<%= config.bin %> rollback web --to-version 3 --auto-approve',
    '<%= config.bin %> rollback web --cluster prod-eu',
  ];
  static override args = {
    job: Args.string({ description: 'The job of the stack to revert.', required: true }),
  };
  static override usage = 'rollback JOB [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    cluster: clusterFlag,
    'to-version': Flags.integer({
      summary: 'The version to revert to (default: the newest stable version older than the current one).',
      min: 0,
    }),
    'auto-approve': Flags.boolean({ summary: 'Revert without asking (required without a terminal).' }),
    'show-sensitive': Flags.boolean({ summary: 'Show values that match the masking patterns.' }),
    'skip-check': skipCheckFlag(),
    detach: watchFlags.detach,
    timeout: watchFlags.timeout,
    watch: watchFlags.watch,
    ...lockFlags,
    json: Flags.boolean({ summary: 'Print the result as JSON (and no progress).' }),
    'no-color': Flags.boolean({ summary: 'No colour and no live redraw.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const { rollbackProject } = await import('../actions/rollback-job.js');
    const { printPlan, printProjectPlan } = await import('../cli/print-plan.js');
    const approval = {
      refusing: 'revert',
      hint: 'Review the changes above, then run again with --auto-approve.',
    };
    const { confirm } = await import('../cli/confirm.js');
    await this.runOnStack({
      command: 'rollback',
      flags: { ...flags, parallelism: 1 },
      run: (context) =>
        rollbackProject({
          ...context,
          cwd: process.cwd(),
          stack: flags.stack,
          clusters: flags.cluster,
          job: this.args.job,
          toVersion: flags['to-version'],
          showSensitive: flags['show-sensitive'],
          skipChecks: flags['skip-check'] ?? [],
          confirm: async (plan) => {
            if (!flags.json)
              printPlan(this, plan, {
                noColor: flags['no-color'],
                showSensitive: flags['show-sensitive'],
                title: 'drover rollback',
              });
            const [change] = plan.changes;
            const toVersion = change?.action === 'revert' ? change.revert.toVersion : '?';
            return confirm(
              `Revert ${this.args.job} to version ${toVersion}?`,
              flags['auto-approve'],
              approval,
            );
          },
          confirmProject: async (project) => {
            if (!flags.json)
              await printProjectPlan(this, project, {
                noColor: flags['no-color'],
                showSensitive: flags['show-sensitive'],
                title: 'drover rollback',
              });
            return confirm(
              `Revert ${this.args.job} in every cluster shown?`,
              flags['auto-approve'],
              approval,
            );
          },
        }),
      operation: () => 'Rollback',
      nothingToDo: () => 'Nothing to revert.',
      declined: 'Not reverted.',
      refused: (plan) =>
        printPlan(this, plan, {
          noColor: flags['no-color'],
          showSensitive: flags['show-sensitive'],
          title: 'drover rollback',
        }),
    });
  }
}
