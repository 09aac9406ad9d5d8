import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { jobFileFlags, pathsArgs } from '../cli/job-flags.js';

export default class Validate extends BaseCommand<typeof Validate> {
  static override summary =
    'Check job files offline: syntax, variables, functions, every block and attribute.';
  static override description =
    'Reads HCL2 job files (and JSON jobs) exactly as `nomad job run` does, without a cluster. A directory holding a drover.hcl is read as plan reads it (its job globs, var files and vars, flags after them); with no paths, ./drover.hcl or else the *.nomad.hcl, *.nomad and *.nomad.json files under the current directory. Exit code 0 when every file is valid, 1 otherwise.';
  static override examples = [
    '<%= config.bin %> validate',
    '<%= config.bin %> validate jobs/ --var-file env/prod.vars.hcl',
    '<%= config.bin %> validate web.nomad.hcl --json',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'validate [PATHS…] [FLAGS]';
  static override flags = { ...jobFileFlags, json: Flags.boolean({ summary: 'Print the result as JSON.' }) };

  async run(): Promise<void> {
    const { validateJobs } = await import('../actions/validate-jobs.js');
    const { renderValidationHuman, renderValidationJson } = await import('../render/validation.js');
    const result = validateJobs({
      paths: this.positionals,
      cwd: process.cwd(),
      vars: this.flags.var,
      varFiles: this.flags['var-file'],
      env: this.env,
    });
    if (this.flags.json) this.printJson(renderValidationJson(result));
    else this.print(renderValidationHuman(result));
    const { exitCodeFor } = await import('../cli/exit-code.js');
    const code = exitCodeFor({ kind: 'validate', valid: result.valid });
    if (code !== 0) this.exit(code);
  }
}
