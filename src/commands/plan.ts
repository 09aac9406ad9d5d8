import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { jobFileFlags, pathsArgs, projectDirectory } from '../cli/job-flags.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';
import { planFlags, planInputsFrom } from '../cli/plan-flags.js';
import { parseTimeout } from '../cli/watch-flags.js';
import type { ProjectPlan } from '../actions/plan-project.js';

export default class Plan extends BaseCommand<typeof Plan> {
  static override summary = 'Show what applying the job files would change in Nomad.';
  static override description =
    'Reads the job files (and DIR/drover.hcl), asks Nomad what each would change (its plan endpoint: field diffs and scheduler annotations) and prints the changes in the order apply would make them. Exit 0, or with --detailed-exitcode 0 for no changes and 2 for changes; 1 on errors.';
  static override examples = [
    '<%= config.bin %> plan',
    '<%= config.bin %> plan deploy/ --var-file deploy/env/prod.vars.hcl',
    '<%= config.bin %> plan --stack shop --prune --out plan.json',
    '<%= config.bin %> plan --json | jq .summary',
    '<%= config.bin %> plan --destroy --purge --out destroy.plan',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'plan [PATHS…] [FLAGS]';
  static override flags = {
    ...jobFileFlags,
    ...planFlags,
    ...nomadFlags,
    json: Flags.boolean({
      summary: 'Print the plan as JSON (schema/plan.schema.json).',
      exclusive: ['markdown'],
    }),
    markdown: Flags.boolean({ summary: 'Print the plan as Markdown for a pull-request comment.' }),
    out: Flags.string({ summary: 'Save the plan to this file, for drover apply or drover show.' }),
    destroy: Flags.boolean({
      summary:
        "Plan deleting every job of the stack, as drover destroy would (the stack's drover.hcl or --stack).",
      exclusive: ['target', 'prune', 'preserve-counts', 'dangerously-prune-everything', 'var', 'var-file'],
    }),
    purge: Flags.boolean({
      summary: 'Deletes purge the jobs instead of stopping them (with --destroy or --prune).',
    }),
    'detailed-exitcode': Flags.boolean({ summary: 'Exit 2 when there are changes, 0 when there are none.' }),
    'no-color': Flags.boolean({ summary: 'No colour (also: NO_COLOR, or when stdout is not a terminal).' }),
    timeout: Flags.string({
      summary: 'Give up when Nomad has not answered the whole plan within this Go duration.',
      default: '1m',
    }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const deadlineMs = parseTimeout(flags.timeout);
    const nomad = await openNomadSession(flags, this.env, this.logger);
    try {
      // Only the planner asked for is loaded: start-up matters.
      const project: ProjectPlan = flags.destroy
        ? await (
            await import('../actions/destroy-plan.js')
          ).planDestroyProject({
            ...nomad.access,
            cwd: process.cwd(),
            dir: projectDirectory(this.positionals, 'plan --destroy'),
            stack: flags.stack,
            clusters: flags.cluster,
            purge: flags.purge,
            deadlineMs,
            skipChecks: flags['skip-check'] ?? [],
          })
        : (
            await (
              await import('../actions/plan-project.js')
            ).planProject({
              ...nomad.access,
              paths: this.positionals,
              cwd: process.cwd(),
              ...planInputsFrom(flags),
              purge: flags.purge,
              deadlineMs,
              notes: true,
            })
          ).project;
      const { printProjectPlan } = await import('../cli/print-plan.js');
      await printProjectPlan(this, project, {
        json: flags.json,
        markdown: flags.markdown,
        noColor: flags['no-color'],
        showSensitive: flags['show-sensitive'],
        compact: flags.compact,
      });
      // Saved after it is shown: a cluster that could not be planned is named there before the save is refused.
      if (flags.out) {
        const { saveProjectPlanFile } = await import('../actions/plan-file.js');
        saveProjectPlanFile(flags.out, project, this.config.version);
        process.stderr.write(`Saved the plan to ${flags.out}; apply it with: drover apply ${flags.out}\n`);
      }
      const { exitCodeFor } = await import('../cli/exit-code.js');
      const code = exitCodeFor({
        kind: 'project-plan',
        project,
        detailedExitcode: flags['detailed-exitcode'],
      });
      if (code !== 0) this.exit(code);
    } finally {
      await nomad.close();
    }
  }
}
