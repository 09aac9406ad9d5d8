import * as Flags from '@oclif/core/flags';
import { pathsArgs, projectDirectory } from '../cli/job-flags.js';
import { BaseCommand } from '../cli/base-command.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';

export default class Status extends BaseCommand<typeof Status> {
  static override summary =
    "The stack's jobs: status, version, latest deployment, allocations and what they use.";
  static override examples = [
    '<%= config.bin %> status --stack shop',
    '<%= config.bin %> status deploy/ --json',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'status [PATHS…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    json: Flags.boolean({ summary: 'Print the result as JSON.' }),
  };

  async run(): Promise<void> {
    const nomad = await openNomadSession(this.flags, this.env, this.logger);
    try {
      const { stackStatus } = await import('../actions/stack-status.js');
      const status = await stackStatus({
        ...nomad.access,
        dir: projectDirectory(this.positionals, 'status'),
        cwd: process.cwd(),
        stack: this.flags.stack,
      });
      if (this.flags.json) return this.printJson(status);
      const { renderStatus } = await import('../render/status.js');
      this.print(renderStatus(status.stack, status.jobs, status.objects));
    } finally {
      await nomad.close();
    }
  }
}
