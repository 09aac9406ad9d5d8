import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { pathsArgs } from '../cli/job-flags.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';

export default class Drift extends BaseCommand<typeof Drift> {
  static override summary = 'What changed in Nomad since drover last applied each job of the stack.';
  static override description =
    "Compares the stack's history (drover/stacks/<stack>/history) with Nomad: a job registered or scaled outside drover, auto-reverted, stopped, purged, taken out of the stack, or stamped with the stack but unknown to its history. Read-only: a read-only token will do, and no lock is taken. With --detailed-exitcode: exit 2 when anything drifted, 0 when nothing did.";
  static override examples = [
    '<%= config.bin %> drift',
    '<%= config.bin %> drift deploy/ --detailed-exitcode',
    '<%= config.bin %> drift --stack shop --json',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'drift [PATHS…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    json: Flags.boolean({ summary: 'Print the result as JSON.' }),
    'detailed-exitcode': Flags.boolean({ summary: 'Exit 2 when anything drifted, 0 when nothing did.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const nomad = await openNomadSession(flags, this.env, this.logger);
    try {
      const { stackDrift } = await import('../actions/stack-drift.js');
      const drift = await stackDrift({
        ...nomad.access,
        paths: this.positionals,
        cwd: process.cwd(),
        stack: flags.stack,
      });
      if (flags.json) this.printJson(drift);
      else {
        const { renderDrift } = await import('../render/drift.js');
        this.print(renderDrift(drift));
      }
      const { exitCodeFor } = await import('../cli/exit-code.js');
      const code = exitCodeFor({ kind: 'drift', drift, detailedExitcode: flags['detailed-exitcode'] });
      if (code !== 0) this.exit(code);
    } finally {
      await nomad.close();
    }
  }
}
