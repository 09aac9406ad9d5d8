import { BaseCommand } from '../cli/base-command.js';

export default class Version extends BaseCommand<typeof Version> {
  static override summary = "Print drover's version, Node's version and the platform.";
  static override examples = ['<%= config.bin %> version'];
  static override usage = 'version [FLAGS]';

  async run(): Promise<void> {
    this.print(
      `drover ${this.config.version}\nnode ${process.version}\nplatform ${process.platform}-${process.arch}`,
    );
  }
}
