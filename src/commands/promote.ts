import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { lockFlags } from '../cli/lock-flags.js';
import { nomadFlags } from '../cli/nomad-flags.js';
import { clusterFlag, skipCheckFlag } from '../cli/plan-flags.js';
import { StackRunCommand } from '../cli/stack-run-command.js';
import { watchFlags } from '../cli/watch-flags.js';

export default class Promote extends StackRunCommand<typeof Promote> {
  static override summary = "Promote the canaries of the stack's deployments that wait for it, and wait.";
  static override description =
    "Promotes every deployment of the stack whose canaries are all healthy and wait for a manual promotion (apply without --auto-promote leaves them so), or only those of the named jobs, which must wait. The checks of drover.hcl are evaluated on the promotions first and shown; one that blocks refuses them before any write (--skip-check NAME overrides it for this run, recorded in the history). Runs as apply does: under the stack's lock, each deployment followed to its end with the same progress, recorded in the stack's history. With cluster blocks in drover.hcl, every cluster (or those --cluster names) is locked and read at once, then promoted in the rollout's order (a cluster after those it comes after; a failure stops the clusters after it); a named job is promoted wherever it waits, and refused when it waits in none. Exit 0 when every one succeeds (or nothing waits), 1 on any failure or timeout, 130 when interrupted.";
  static override examples = [
    '<%= config.bin %> promote',
    '<%= config.bin %> promote web --stack shop',
    '<%= config.bin %> promote --json',
    '<%= config.bin %> promote web --cluster prod-eu',
  ];
  static override strict = false;
  static override args = {
    job: Args.string({ description: 'Job IDs of the stack (default: every job whose deployment waits).' }),
  };
  static override usage = 'promote [JOB…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    cluster: clusterFlag,
    rollback: Flags.boolean({
      summary:
        'Revert a job whose deployment fails after the promotion to its last stable version (when it has no auto_revert).',
    }),
    'skip-check': skipCheckFlag(),
    ...watchFlags,
    ...lockFlags,
    json: Flags.boolean({ summary: 'Print the result as JSON (and no progress).' }),
    'no-color': Flags.boolean({ summary: 'No colour and no live redraw.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const { promoteProject } = await import('../actions/promote-jobs.js');
    const { printChecks } = await import('../cli/print-plan.js');
    // promote shows no plan: its checks' results are shown alone, before it promotes or when they refuse it.
    const showChecks = (plan: Parameters<typeof printChecks>[0]) => {
      if (!flags.json) printChecks(plan, { noColor: flags['no-color'] });
    };
    await this.runOnStack({
      command: 'promote',
      flags,
      run: (context) =>
        promoteProject({
          ...context,
          cwd: process.cwd(),
          stack: flags.stack,
          clusters: flags.cluster,
          jobs: this.positionals,
          rollback: flags.rollback,
          skipChecks: flags['skip-check'] ?? [],
          beforePromoting: showChecks,
        }),
      operation: () => 'Promote',
      nothingToDo: (plan) =>
        `Nothing to promote: no deployment of stack "${plan.settings.stack}" waits for promotion.`,
      declined: 'Nothing promoted.',
      refused: showChecks,
    });
  }
}
