import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';

export default class Show extends BaseCommand<typeof Show> {
  static override summary = 'Render a saved plan (drover plan --out) for people, machines or a pull request.';
  static override examples = [
    '<%= config.bin %> show plan.json',
    '<%= config.bin %> show plan.json --markdown',
  ];
  static override usage = 'show PLAN_FILE [FLAGS]';
  static override args = {
    plan_file: Args.string({ description: 'A plan saved by drover plan --out.', required: true }),
  };
  static override flags = {
    json: Flags.boolean({ summary: 'Print the plan as JSON.', exclusive: ['markdown'] }),
    markdown: Flags.boolean({ summary: 'Print the plan as Markdown.' }),
    'no-color': Flags.boolean({ summary: 'No colour.' }),
    'show-sensitive': Flags.boolean({ summary: 'Show values that match the masking patterns.' }),
    compact: Flags.boolean({ summary: 'Show a new job by its groups, not its full spec.' }),
  };

  async run(): Promise<void> {
    const { loadSavedProject } = await import('../actions/plan-file.js');
    const { printProjectPlan } = await import('../cli/print-plan.js');
    const { project } = loadSavedProject(this.args.plan_file);
    await printProjectPlan(this, project, {
      json: this.flags.json,
      markdown: this.flags.markdown,
      noColor: this.flags['no-color'],
      showSensitive: this.flags['show-sensitive'],
      compact: this.flags.compact,
    });
  }
}
