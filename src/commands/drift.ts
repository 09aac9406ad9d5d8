import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { pathsArgs } from '../cli/job-flags.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';
import { clusterFlag } from '../cli/plan-flags.js';

export default class Drift extends BaseCommand<typeof Drift> {
  static override summary = 'What changed in Nomad since drover last applied each job of the stack.';
  static override description =
    "Compares the stack's history (drover/stacks/<stack>/history) with Nomad: a job registered or scaled outside drover, auto-reverted, stopped, purged, taken out of the stack, or stamped with the stack but unknown to its history. Read-only: a read-only token will do, and no lock is taken. With cluster blocks in drover.hcl, every cluster (or those --cluster names) is compared at once and shown under its own heading. With --detailed-exitcode: exit 2 when anything drifted in any cluster, 0 when nothing did; 1 when a cluster could not be read.";
  static override examples = [
    '<%= config.bin %> drift',
    '<%= config.bin %> drift deploy/ --detailed-exitcode',
    '<%= config.bin %> drift --stack shop --json',
    '<%= config.bin %> drift --cluster prod-eu --detailed-exitcode',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'drift [PATHS…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    cluster: clusterFlag,
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
        clusters: flags.cluster,
      });
      const { renderDrift } = await import('../render/drift.js');
      if (drift.kind === 'one') {
        if (flags.json) this.printJson(drift.report);
        else this.print(renderDrift(drift.report));
      } else {
        const { renderClusterReports, renderClusterReportsJson } =
          await import('../render/cluster-reports.js');
        if (flags.json) this.printJson(renderClusterReportsJson(drift.clusters, 'drift'));
        else this.print(renderClusterReports(drift.clusters, renderDrift));
      }
      const { exitCodeFor } = await import('../cli/exit-code.js');
      const code = exitCodeFor({ kind: 'drift', drift, detailedExitcode: flags['detailed-exitcode'] });
      if (code !== 0) this.exit(code);
    } finally {
      await nomad.close();
    }
  }
}
