import * as Flags from '@oclif/core/flags';
import { jobFileFlags, pathsArgs } from '../cli/job-flags.js';
import { nomadFlags } from '../cli/nomad-flags.js';
import { planFlags, planInputsFrom } from '../cli/plan-flags.js';
import { lockFlags } from '../cli/lock-flags.js';
import { StackRunCommand } from '../cli/stack-run-command.js';
import { watchFlags } from '../cli/watch-flags.js';

export default class Apply extends StackRunCommand<typeof Apply> {
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
    const approval = {
      refusing: 'apply',
      hint: 'Review the plan above, then run again with --auto-approve (in CI: after a plan step whose output you checked).',
    };
    const { applyProject } = await import('../actions/apply-project.js');
    const { printPlan, printProjectPlan } = await import('../cli/print-plan.js');
    const { confirm } = await import('../cli/confirm.js');
    await this.runOnStack({
      command: 'apply',
      flags,
      run: (context) =>
        applyProject({
          ...context,
          paths: this.positionals,
          cwd: process.cwd(),
          ...planInputsFrom(flags),
          deadlineMs: context.timeoutMs,
          purge: flags.purge,
          autoPromote: flags['auto-promote'],
          rollback: flags.rollback,
          showSensitive: flags['show-sensitive'],
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
            return confirm(question, flags['auto-approve'], approval);
          },
          confirmProject: async (project) => {
            if (!flags.json)
              await printProjectPlan(this, project, {
                title: 'drover apply',
                noColor: flags['no-color'],
                showSensitive: flags['show-sensitive'],
                compact: flags.compact,
              });
            return confirm('Apply these changes in every cluster shown?', flags['auto-approve'], approval);
          },
        }),
      operation: (plan) => (plan.settings.destroy ? 'Destroy' : 'Apply'),
      nothingToDo: () => 'No changes. Nomad matches the job files.',
      declined: 'Not applied.',
      refused: (plan) =>
        printPlan(this, plan, {
          noColor: flags['no-color'],
          showSensitive: flags['show-sensitive'],
          compact: flags.compact,
        }),
    });
  }
}
