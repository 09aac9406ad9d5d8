import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { jobFileFlags, pathsArgs } from '../cli/job-flags.js';
import { nomadFlags, openNomadSession, targetFlagsFrom } from '../cli/nomad-flags.js';
import { clusterFlag } from '../cli/plan-flags.js';

export default class Graph extends BaseCommand<typeof Graph> {
  static override summary = 'Draw the order apply runs the jobs in, as Mermaid or DOT.';
  static override description =
    "Reads the job files (and DIR/drover.hcl) offline and prints their waves and depends_on as a graph: a Mermaid flowchart (GitHub and GitLab draw it in Markdown) or Graphviz DOT. With --with-state it plans against Nomad as drover plan does: each job shows its action, and with prune the stack's deletes come last. A graph is one cluster's rollout: with several cluster blocks in drover.hcl, name one with --cluster.";
  static override examples = [
    '<%= config.bin %> graph',
    '<%= config.bin %> graph deploy/ --format dot | dot -Tsvg > rollout.svg',
    '<%= config.bin %> graph deploy/ --with-state --prune',
    '<%= config.bin %> graph --cluster prod-eu',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'graph [PATHS…] [FLAGS]';
  static override flags = {
    ...jobFileFlags,
    format: Flags.option({
      options: ['mermaid', 'dot'] as const,
      default: 'mermaid' as const,
      summary: 'mermaid (GitHub and GitLab draw it) or dot (Graphviz: dot -Tsvg).',
    })(),
    'with-state': Flags.boolean({
      summary: "Plan against Nomad: each job's action, and the stack's deletes with prune.",
    }),
    stack: Flags.string({
      summary: 'The stack name, for prune (with --with-state) [env: DROVER_STACK].',
      dependsOn: ['with-state'],
    }),
    prune: Flags.boolean({
      summary: "Show the stack's jobs that no file declares as deletes (with --with-state).",
      allowNo: true,
      dependsOn: ['with-state'],
    }),
    'read-only': Flags.boolean({
      summary: "Diff locally instead of with Nomad's plan endpoint (with --with-state).",
      dependsOn: ['with-state'],
    }),
    cluster: clusterFlag,
    ...nomadFlags,
  };

  async run(): Promise<void> {
    const { flags } = this;
    const nomad = flags['with-state'] ? await openNomadSession(flags, this.env, this.logger) : undefined;
    try {
      const { graphJobs } = await import('../actions/graph-jobs.js');
      const { graph, deletesUnknown } = await graphJobs({
        paths: this.positionals,
        cwd: process.cwd(),
        env: this.env,
        vars: flags.var,
        varFiles: flags['var-file'],
        nomad: targetFlagsFrom(flags),
        clusters: flags.cluster,
        ...(nomad
          ? {
              state: {
                connect: nomad.access.connect,
                stack: flags.stack,
                prune: flags.prune,
                readOnly: flags['read-only'],
              },
            }
          : {}),
      });
      const { renderGraph } = await import('../render/graph.js');
      const { text, notes } = renderGraph(graph, flags.format, { deletesUnknown });
      for (const note of notes) process.stderr.write(`Note: ${note}\n`);
      this.print(text);
    } finally {
      await nomad?.close();
    }
  }
}
