import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { nomadFlags, openNomadSession } from '../cli/nomad-flags.js';

export default class Ping extends BaseCommand<typeof Ping> {
  static override summary = 'Check that drover reaches Nomad: agent version, region and cluster leader.';
  static override examples = [
    '<%= config.bin %> ping',
    'NOMAD_ADDR=https://nomad.example:4646 <%= config.bin %> ping --json',
  ];
  static override usage = 'ping [FLAGS]';
  static override flags = { ...nomadFlags, json: Flags.boolean({ summary: 'Print the result as JSON.' }) };

  async run(): Promise<void> {
    const nomad = await openNomadSession(this.flags, this.env, this.logger);
    try {
      const { checkConnection } = await import('../actions/check-connection.js');
      const report = await checkConnection(nomad.access);
      if (this.flags.json) return this.printJson(report);
      const leader = report.leader === '' ? 'no leader' : `leader ${report.leader}`;
      this.print(
        `Nomad ${report.version} at ${report.address}: region ${report.region}, datacenter ${report.datacenter}, ${leader}`,
      );
    } finally {
      await nomad.close();
    }
  }
}
