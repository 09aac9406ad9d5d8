import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';
import { clusterFlag } from '../cli/plan-flags.js';

export default class ForceUnlock extends BaseCommand<typeof ForceUnlock> {
  static override summary = "Release a stack's lock that a run left behind.";
  static override description =
    "A run killed without a chance to release (SIGKILL, a lost machine) leaves its lock for up to 45 s of its last renewal. force-unlock shows who holds it and releases it after a confirmation (or --force). Releasing the lock of a run that is still going lets another run interleave with it. Needs a management token: Nomad shows a held lock's ID to no one else. Each cluster of drover.hcl keeps its own lock: with several, name the one with --cluster.";
  static override examples = [
    '<%= config.bin %> force-unlock shop',
    '<%= config.bin %> force-unlock shop --force',
    '<%= config.bin %> force-unlock shop --cluster prod-eu',
  ];
  static override usage = 'force-unlock STACK [FLAGS]';
  static override args = {
    stack: Args.string({ description: 'The stack whose lock to release.', required: true }),
  };
  static override flags = {
    ...nomadFlags,
    cluster: clusterFlag,
    force: Flags.boolean({ summary: 'Release without asking.' }),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    const nomad = await openNomadSession(flags, this.env, this.logger);
    try {
      const { forceUnlock } = await import('../actions/force-unlock.js');
      const { confirm } = await import('../cli/confirm.js');
      const outcome = await forceUnlock({
        ...nomad.access,
        stack: args.stack,
        cwd: process.cwd(),
        clusters: flags.cluster,
        confirm: (holder) => {
          this.print(`Stack "${args.stack}" is locked by ${holder}.`);
          return confirm('Release its lock?', flags.force, {
            refusing: 'release the lock',
            hint: 'Make sure the run that holds it has ended, then run again with --force.',
          });
        },
      });
      if (outcome.kind === 'not-locked')
        this.print(
          `Stack "${args.stack}" is not locked (${outcome.path} in namespace ${outcome.namespace}).`,
        );
      else if (outcome.kind === 'declined') {
        this.print('Lock kept.');
        this.exit(1);
      } else this.print(`Released the lock of stack "${args.stack}".`);
    } finally {
      await nomad.close();
    }
  }
}
