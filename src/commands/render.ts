import * as Args from '@oclif/core/args';
import { BaseCommand } from '../cli/base-command.js';
import { jobFileFlags } from '../cli/job-flags.js';

export default class Render extends BaseCommand<typeof Render> {
  static override summary =
    'Print a job file as Nomad API JSON: {"Job": …}, as `nomad job run -output` prints it.';
  static override examples = [
    '<%= config.bin %> render web.nomad.hcl',
    '<%= config.bin %> render web.nomad.hcl --var image=nginx:1.27 > web.json',
  ];
  static override args = { file: Args.string({ description: 'The job file.', required: true }) };
  static override flags = { ...jobFileFlags };

  async run(): Promise<void> {
    const { renderJobFile } = await import('../actions/render-job.js');
    const result = renderJobFile({
      paths: [this.args.file],
      cwd: process.cwd(),
      vars: this.flags.var,
      varFiles: this.flags['var-file'],
      env: process.env,
    });
    if (result.diagnostics) {
      process.stderr.write(`${result.diagnostics}\n`);
      const { exitCodeFor } = await import('../cli/exit-code.js');
      this.exit(exitCodeFor({ kind: 'validate', valid: false }));
    }
    this.print(result.json!);
  }
}
