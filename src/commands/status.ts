import * as Flags from '@oclif/core/flags';
import { pathsArgs, projectDirectory } from '../cli/job-flags.js';
import { BaseCommand } from '../cli/base-command.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';
import { clusterFlag } from '../cli/plan-flags.js';

export default class Status extends BaseCommand<typeof Status> {
  static override summary =
    "The stack's jobs: status, version, latest deployment, allocations and what they use.";
  static override description =
    'With cluster blocks in drover.hcl, every cluster (or those --cluster names) is read at once and shown under its own heading; a cluster that cannot be read is named with why, and the command exits 1.';
  static override examples = [
    '<%= config.bin %> status --stack shop',
    '<%= config.bin %> status deploy/ --json',
    '<%= config.bin %> status --cluster staging',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'status [PATHS…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    cluster: clusterFlag,
    json: Flags.boolean({ summary: 'Print the result as JSON.' }),
  };

  async run(): Promise<void> {
    const nomad = await openNomadSession(this.flags, this.env, this.logger);
    try {
      const { stackStatus } = await import('../actions/stack-status.js');
      const status = await stackStatus({
        ...nomad.access,
        dir: projectDirectory(this.positionals, 'status'),
        cwd: process.cwd(),
        stack: this.flags.stack,
        clusters: this.flags.cluster,
      });
      const { renderStatus } = await import('../render/status.js');
      if (status.kind === 'one') {
        const { report } = status;
        if (this.flags.json) return this.printJson(report);
        return this.print(renderStatus(report.stack, report.jobs, report.objects));
      }
      const { renderClusterReports, renderClusterReportsJson } = await import('../render/cluster-reports.js');
      if (this.flags.json) this.printJson(renderClusterReportsJson(status.clusters, 'status'));
      else this.print(renderClusterReports(status.clusters, (r) => renderStatus(r.stack, r.jobs, r.objects)));
      const { exitCodeFor } = await import('../cli/exit-code.js');
      const code = exitCodeFor({ kind: 'reads', reports: status });
      if (code !== 0) this.exit(code);
    } finally {
      await nomad.close();
    }
  }
}
