import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { createNomadClient, nomadFlags, nomadSettingsFrom } from '../cli/nomad-flags.js';

export default class Promote extends BaseCommand<typeof Promote> {
  static override summary = "Promote the canaries of the stack's deployments that wait for it, and wait.";
  static override description =
    'Promotes every deployment of the stack whose canaries are all healthy and wait for a manual promotion (apply without --auto-promote leaves them so), or only those of the named jobs, which must wait. Then follows each deployment to its end with blocking queries. Exit code 0 when every one succeeds (or nothing waits), 1 otherwise.';
  static override examples = [
    '<%= config.bin %> promote',
    '<%= config.bin %> promote web --stack shop',
    '<%= config.bin %> promote --json',
  ];
  static override strict = false;
  static override args = {
    jobs: Args.string({ description: 'Job IDs of the stack (default: every job whose deployment waits).' }),
  };
  static override usage = 'promote [JOB…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    timeout: Flags.string({
      summary: 'Bound on the wait for each deployment, a Go duration; 0s waits without a bound.',
      default: '10m',
    }),
    json: Flags.boolean({ summary: 'Print the result as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const { parseTimeout } = await import('../cli/watch-flags.js');
    const timeoutMs = parseTimeout(flags.timeout);
    const client = await createNomadClient(nomadSettingsFrom(flags), this.logger);
    try {
      const { promoteJobs } = await import('../actions/promote-jobs.js');
      const result = await promoteJobs({
        client,
        cwd: process.cwd(),
        env: process.env,
        stack: flags.stack,
        jobs: this.positionals,
        timeoutMs,
        logger: this.logger,
        progress: (line) => {
          if (!flags.json) this.print(line);
        },
      });
      if (flags.json) this.printJson(result);
      else {
        const { renderPromotion } = await import('../render/promotion.js');
        this.print(renderPromotion(result.stack, result.results));
      }
      if (result.results.some((r) => r.outcome !== 'succeeded')) this.exit(1);
    } finally {
      await client.close();
    }
  }
}
