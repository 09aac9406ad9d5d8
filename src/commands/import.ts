import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';

/** --include's kinds, as drover.hcl names their blocks; acl is both ACL kinds. */
const INCLUDE_KINDS = ['namespace', 'node_pool', 'acl', 'acl_policy', 'acl_role', 'nomad_variable'] as const;

export default class Import extends BaseCommand<typeof Import> {
  static override summary = "Write a running cluster's jobs as a drover project: one file per job, exact.";
  static override description =
    "Reads each job (children of periodic and parameterized jobs excepted) and writes its file: the source Nomad kept (with its variables in a var file beside it), else HCL generated from the job with only what differs from Nomad's defaults, else JSON. Each file is read back and compared with the live job the way plan compares; a job that cannot be written exactly is still written, with a comment naming the differing fields, and the exit code is 1. Writes drover.hcl: the stack, the files, and the objects the jobs depend on (namespaces and node pools they use, ACL policies attached to them through workload identity, the Nomad Variables their templates read and those Nomad gives every workload under nomad/jobs/), and with --include every namespace, node pool, ACL policy, ACL role or variable the token can read (--no-jobs: those alone). Variables are written with their item names, each value a var. reference; the values go to import.secrets.vars.hcl (git-ignored) only with --with-values, and are never printed. A kind the token may not read is named, and the exit code is 1. Never overwrites a file without --force.";
  static override examples = [
    '<%= config.bin %> import --all-namespaces --out deploy/',
    '<%= config.bin %> import web api --namespace shop --out shop/ --stack shop',
    '<%= config.bin %> import --dry-run',
    '<%= config.bin %> import --all-namespaces --include acl,nomad_variable --with-values --out deploy/',
    '<%= config.bin %> import api --variable-prefix app/ --out api/',
    '<%= config.bin %> import --no-jobs --include namespace,node_pool,acl --out platform/',
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
    include: Flags.string({
      summary:
        'Also import every object of these kinds the token can read: namespace, node_pool, acl_policy, acl_role (with the policies each links), acl (both), nomad_variable.',
      options: [...INCLUDE_KINDS],
      multiple: true,
      delimiter: ',',
    }),
    'variable-prefix': Flags.string({
      summary:
        'Import the Nomad Variables under this path prefix (repeatable; implies --include nomad_variable).',
      multiple: true,
    }),
    jobs: Flags.boolean({
      summary: 'Import the jobs (--no-jobs: only the kinds --include names).',
      default: true,
      allowNo: true,
    }),
    'with-values': Flags.boolean({
      summary:
        "Write the variables' values to import.secrets.vars.hcl (git-ignored); without it they are declared only.",
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
        withoutJobs: !this.flags.jobs,
        allNamespaces: this.flags['all-namespaces'],
        out: this.flags.out,
        cwd: process.cwd(),
        stack: this.flags.stack,
        force: this.flags.force,
        dryRun: this.flags['dry-run'],
        include: this.flags.include ?? [],
        variablePrefixes: this.flags['variable-prefix'] ?? [],
        withValues: this.flags['with-values'],
      });
      if (this.flags.json) this.printJson(result);
      else {
        const { renderImport } = await import('../render/import.js');
        this.print(renderImport(result));
      }
      const { exitCodeFor } = await import('../cli/exit-code.js');
      const exact =
        result.jobs.every((j) => j.differing.length === 0) &&
        result.estateDiffering.length === 0 &&
        result.unread.length === 0;
      const code = exitCodeFor({ kind: 'import', exact });
      if (code !== 0) this.exit(code);
    } finally {
      await nomad.close();
    }
  }
}
