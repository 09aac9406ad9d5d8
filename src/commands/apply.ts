import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { jobFileFlags } from '../cli/job-flags.js';
import { createNomadClient, nomadFlags, nomadSettingsFrom } from '../cli/nomad-flags.js';
import { planFlags, planInputsFrom } from '../cli/plan-flags.js';

export default class Apply extends BaseCommand<typeof Apply> {
  static override summary =
    'Plan, ask for approval, then register and delete jobs in order and watch them to the end.';
  static override description =
    'With job paths (or none: the current directory), plans first and shows the plan; with a saved plan file (drover plan --out), applies it as it is. Every registration enforces the JobModifyIndex seen at plan time. Exit 0 when every job succeeded (or stopped at promotion-ready), 1 on any failure or timeout, 130 when interrupted.';
  static override examples = [
    '<%= config.bin %> apply',
    '<%= config.bin %> apply deploy/ --auto-approve --auto-promote',
    '<%= config.bin %> apply plan.json --auto-approve',
  ];
  static override strict = false;
  static override flags = {
    ...jobFileFlags,
    ...planFlags,
    ...nomadFlags,
    'auto-approve': Flags.boolean({ summary: 'Apply without asking (required without a terminal).' }),
    'auto-promote': Flags.boolean({ summary: 'Promote canaries once they are healthy.' }),
    rollback: Flags.boolean({
      summary:
        'Revert a job whose deployment failed to its last stable version (when it has no auto_revert).',
    }),
    purge: Flags.boolean({ summary: 'Purge deleted jobs instead of stopping them.' }),
    detach: Flags.boolean({ summary: 'Return after registering, without watching.' }),
    timeout: Flags.string({ summary: 'Bound on each wave, e.g. 10m, 90s.', default: '10m' }),
    parallelism: Flags.integer({
      summary: 'Jobs registered and watched at once within a wave.',
      default: 4,
      min: 1,
    }),
    watch: Flags.option({
      options: ['blocking', 'events'] as const,
      default: 'blocking' as const,
      summary:
        'How to follow the jobs: a blocking query per evaluation, deployment or allocation list, or one event-stream connection for all of them.',
    })(),
    json: Flags.boolean({ summary: 'Print the result as JSON (and no progress).' }),
    'no-color': Flags.boolean({ summary: 'No colour and no live redraw.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const timeoutMs = parseTimeout(flags.timeout);
    const client = await createNomadClient(nomadSettingsFrom(flags), this.logger);
    const { interruptible, progressPrinter } = await import('../cli/apply-output.js');
    const interrupt = interruptible();
    try {
      const { applyJobs } = await import('../actions/apply-jobs.js');
      const { printPlan } = await import('../cli/print-plan.js');
      const { confirm } = await import('../cli/confirm.js');
      const paths = this.positionals;
      const planFile =
        paths.length === 1 && /\.json$/.test(paths[0]!) && !/\.nomad\.json$/.test(paths[0]!)
          ? paths[0]
          : undefined;
      const outcome = await applyJobs({
        client,
        planFile,
        paths: planFile ? [] : paths,
        cwd: process.cwd(),
        env: process.env,
        ...planInputsFrom(flags),
        purge: flags.purge,
        autoPromote: flags['auto-promote'],
        rollback: flags.rollback,
        detach: flags.detach,
        timeoutMs,
        parallelism: flags.parallelism,
        watchWith: flags.watch,
        signal: interrupt.signal,
        confirm: async (plan) => {
          if (!flags.json)
            printPlan(this, plan, { noColor: flags['no-color'], showSensitive: flags['show-sensitive'] });
          return confirm('Apply these changes?', flags['auto-approve']);
        },
        emit: progressPrinter({ json: flags.json, noColor: flags['no-color'] }),
      });
      const { renderApplyJson, renderApplySummary } = await import('../render/apply-summary.js');
      if (outcome.kind === 'no-changes') {
        if (flags.json) this.printJson({ ok: true, cancelled: false, jobs: [] });
        else this.print('No changes. Nomad matches the job files.');
        return;
      }
      if (outcome.kind === 'declined') {
        this.print('Not applied.');
        return this.exit(1);
      }
      if (flags.json) this.printJson(renderApplyJson(outcome.result));
      else this.print(`\n${renderApplySummary(outcome.result)}`);
      if (outcome.result.cancelled) this.exit(130);
      if (!outcome.result.ok) this.exit(1);
    } finally {
      interrupt.dispose();
      await client.close();
    }
  }
}

function parseTimeout(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`--timeout ${text}: use a duration such as 90s, 10m or 1h`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms'];
}
