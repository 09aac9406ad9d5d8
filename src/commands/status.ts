import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { createNomadClient, nomadFlags, nomadSettingsFrom } from '../cli/nomad-flags.js';

export default class Status extends BaseCommand<typeof Status> {
  static override summary =
    "The stack's jobs: status, version, latest deployment, allocations and what they use.";
  static override examples = [
    '<%= config.bin %> status --stack shop',
    '<%= config.bin %> status deploy/ --json',
  ];
  static override strict = false;
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    json: Flags.boolean({ summary: 'Print the result as JSON.' }),
  };

  async run(): Promise<void> {
    const client = await createNomadClient(nomadSettingsFrom(this.flags), this.logger);
    try {
      const { stackStatus } = await import('../actions/stack-status.js');
      const { resolvePlanSettings } = await import('../config/project-settings.js');
      const { findProjectFile, readProjectFile } = await import('../source/project-file.js');
      const projectPath = findProjectFile(this.positionals[0] ?? process.cwd());
      const settings = resolvePlanSettings(
        { stack: this.flags.stack },
        process.env,
        projectPath ? readProjectFile(projectPath) : undefined,
      );
      const reports = await stackStatus({ client, stack: settings.stack, stampKey: settings.stampKey });
      if (this.flags.json) return this.printJson({ stack: settings.stack, jobs: reports });
      const { renderStatus } = await import('../render/status.js');
      this.print(renderStatus(settings.stack!, reports));
    } finally {
      await client.close();
    }
  }
}
