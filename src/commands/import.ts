import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';

export default class Import extends BaseCommand<typeof Import> {
  static override summary = "Write a running cluster's jobs as a drover project: one file per job, exact.";
  static override description =
    "Reads each job (children of periodic and parameterized jobs excepted) and writes its file: the source Nomad kept (with its variables in a var file beside it), else HCL generated from the job with only what differs from Nomad's defaults, else JSON. Each file is read back and compared with the live job the way plan compares; a job that cannot be written exactly is still written, with a comment naming the differing fields, and the exit code is 1. Writes drover.hcl (stack, files, and the namespaces and node pools the jobs use). Never overwrites a file without --force.";
  static override examples = [
    '<%= config.bin %> import --all-namespaces --out deploy/',
    '<%= config.bin %> import web api --namespace shop --out shop/ --stack shop',
    '<%= config.bin %> import --dry-run',
  ];
  static override strict = false;
  static override args = {
    job: Args.string({ description: 'Job IDs (default: every job of the namespace).' }),
  };
  static override usage = 'import [JOB…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    'all-namespaces': Flags.boolean({
      summary: 'Every namespace the token can read.',
      exclusive: ['namespace'],
    }),
    out: Flags.string({ summary: 'The directory to write to.', default: '.' }),
    stack: Flags.string({
      summary: "The stack name for drover.hcl (default: the jobs' stamp, else the directory name).",
    }),
    force: Flags.boolean({ summary: 'Overwrite files that exist.' }),
    'dry-run': Flags.boolean({ summary: 'List what would be written; write nothing.' }),
    json: Flags.boolean({ summary: 'Print the result as JSON.' }),
  };

  async run(): Promise<void> {
    const nomad = await openNomadSession(this.flags, this.env, this.logger);
    try {
      const { importJobs } = await import('../actions/import-jobs.js');
      const result = await importJobs({
        ...nomad.access,
        jobs: this.positionals,
        allNamespaces: this.flags['all-namespaces'],
        out: this.flags.out,
        cwd: process.cwd(),
        stack: this.flags.stack,
        force: this.flags.force,
        dryRun: this.flags['dry-run'],
      });
      if (this.flags.json) this.printJson(result);
      else {
        const { renderImport } = await import('../render/import.js');
        this.print(renderImport(result));
      }
      const { exitCodeFor } = await import('../cli/exit-code.js');
      const code = exitCodeFor({ kind: 'import', exact: result.jobs.every((j) => j.differing.length === 0) });
      if (code !== 0) this.exit(code);
    } finally {
      await nomad.close();
    }
  }
}
