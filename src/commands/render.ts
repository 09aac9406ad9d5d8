import { BaseCommand } from '../cli/base-command.js';
import { jobFileFlags, pathsArgs } from '../cli/job-flags.js';

export default class Render extends BaseCommand<typeof Render> {
  static override summary =
    'Print job files as Nomad API JSON: {"Job": …}, as `nomad job run -output` prints it.';
  static override description =
    'One job file prints exactly as `nomad job run -output` prints it. Several (many paths, a directory, a project with a drover.hcl) print one compact {"Job": …} document per line (JSON lines), in path order. With no paths, ./drover.hcl or else the job files under the current directory. A file with errors prints nothing: its errors go to stderr, exit code 1.';
  static override examples = [
    '<%= config.bin %> render web.nomad.hcl',
    '<%= config.bin %> render web.nomad.hcl --var image=nginx:1.27 > web.json',
    "<%= config.bin %> render jobs/ | jq -r '.Job.ID'",
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'render [PATHS…] [FLAGS]';
  static override flags = { ...jobFileFlags };

  async run(): Promise<void> {
    const { renderJobFiles } = await import('../actions/render-job.js');
    const result = renderJobFiles({
      paths: this.positionals,
      cwd: process.cwd(),
      vars: this.flags.var,
      varFiles: this.flags['var-file'],
      env: this.env,
    });
    for (const warning of result.warnings) process.stderr.write(`${warning}\n`);
    if (result.diagnostics !== undefined) {
      process.stderr.write(`${result.diagnostics}\n`);
      const { exitCodeFor } = await import('../cli/exit-code.js');
      this.exit(exitCodeFor({ kind: 'validate', valid: false }));
    }
    this.print(result.output!);
  }
}
