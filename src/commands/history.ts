import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { pathsArgs, projectDirectory } from '../cli/job-flags.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';

export default class History extends BaseCommand<typeof History> {
  static override summary =
    "The stack's runs (apply, destroy, promote, rollback), newest first: who, when, what each job became.";
  static override examples = [
    '<%= config.bin %> history',
    '<%= config.bin %> history --stack shop --limit 5',
    '<%= config.bin %> history deploy/ --json',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'history [PATHS…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    limit: Flags.integer({ summary: 'Show only the newest N runs.', min: 1 }),
    json: Flags.boolean({ summary: 'Print the result as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const nomad = await openNomadSession(flags, this.env, this.logger);
    try {
      const { stackHistory } = await import('../actions/stack-history.js');
      const history = await stackHistory({
        ...nomad.access,
        dir: projectDirectory(this.positionals, 'history'),
        cwd: process.cwd(),
        stack: flags.stack,
        limit: flags.limit,
      });
      if (flags.json) return this.printJson(history);
      const { renderHistory } = await import('../render/history.js');
      this.print(renderHistory(history));
    } finally {
      await nomad.close();
    }
  }
}
