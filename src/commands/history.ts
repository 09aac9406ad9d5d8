import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { pathsArgs, projectDirectory } from '../cli/job-flags.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';
import { clusterFlag } from '../cli/plan-flags.js';

export default class History extends BaseCommand<typeof History> {
  static override summary =
    "The stack's runs (apply, destroy, promote, rollback), newest first: who, when, what each job became.";
  static override description =
    'Each cluster of drover.hcl keeps its own history in its own Nomad: every cluster (or those --cluster names) is read at once and shown under its own heading; a cluster that cannot be read is named with why, and the command exits 1.';
  static override examples = [
    '<%= config.bin %> history',
    '<%= config.bin %> history --stack shop --limit 5',
    '<%= config.bin %> history deploy/ --json',
    '<%= config.bin %> history --cluster prod-eu',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'history [PATHS…] [FLAGS]';
  static override flags = {
    ...nomadFlags,
    stack: Flags.string({ summary: 'The stack (env DROVER_STACK; drover.hcl stack).' }),
    cluster: clusterFlag,
    limit: Flags.integer({ summary: 'Show only the newest N runs.', min: 1 }),
    json: Flags.boolean({ summary: 'Print the result as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const nomad = await openNomadSession(flags, this.env, this.logger);
    try {
      const { stackHistory } = await import('../actions/stack-history.js');
      const history = await stackHistory({
        ...nomad.access,
        dir: projectDirectory(this.positionals, 'history'),
        cwd: process.cwd(),
        stack: flags.stack,
        limit: flags.limit,
        clusters: flags.cluster,
      });
      const { renderHistory } = await import('../render/history.js');
      if (history.kind === 'one') {
        if (flags.json) return this.printJson(history.report);
        return this.print(renderHistory(history.report));
      }
      const { renderClusterReports, renderClusterReportsJson } = await import('../render/cluster-reports.js');
      if (flags.json) this.printJson(renderClusterReportsJson(history.clusters, 'history'));
      else this.print(renderClusterReports(history.clusters, renderHistory));
      const { exitCodeFor } = await import('../cli/exit-code.js');
      const code = exitCodeFor({ kind: 'reads', reports: history });
      if (code !== 0) this.exit(code);
    } finally {
      await nomad.close();
    }
  }
}
