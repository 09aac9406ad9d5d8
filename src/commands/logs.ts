import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';

export default class Logs extends BaseCommand<typeof Logs> {
  static override summary =
    "A task's logs through Nomad's client logs endpoint (the newest running allocation by default).";
  static override examples = [
    '<%= config.bin %> logs api',
    '<%= config.bin %> logs api --task server --stderr --tail 50 --follow',
  ];
  static override usage = 'logs JOB [FLAGS]';
  static override args = { job: Args.string({ description: 'The job ID.', required: true }) };
  static override flags = {
    ...nomadFlags,
    task: Flags.string({ summary: 'The task (needed when the allocation runs several).' }),
    alloc: Flags.string({ summary: 'An allocation ID or prefix.' }),
    stderr: Flags.boolean({ summary: 'stderr instead of stdout.' }),
    follow: Flags.boolean({ char: 'f', summary: 'Keep printing what the task writes.' }),
    tail: Flags.integer({ summary: 'Only the last N lines.', min: 0 }),
  };

  async run(): Promise<void> {
    const nomad = await openNomadSession(this.flags, this.env, this.logger);
    const { interruptible } = await import('../cli/apply-output.js');
    // Ctrl-C ends --follow quietly: there is nothing to stop in Nomad.
    const interrupt = interruptible('');
    try {
      const { jobLogs } = await import('../actions/job-logs.js');
      await jobLogs({
        ...nomad.access,
        job: this.args.job,
        alloc: this.flags.alloc,
        task: this.flags.task,
        stderr: this.flags.stderr,
        follow: this.flags.follow,
        tail: this.flags.tail,
        signal: interrupt.signal,
        write: (chunk) => process.stdout.write(chunk),
      }).catch((error) => {
        if (interrupt.signal.aborted) return;
        throw error;
      });
    } finally {
      interrupt.dispose();
      await nomad.close();
    }
  }
}
