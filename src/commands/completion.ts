import * as Args from '@oclif/core/args';
import { BaseCommand } from '../cli/base-command.js';
import { completedCommands } from '../cli/completed-commands.js';
import { renderCompletion, SHELLS } from '../render/completion.js';

export default class Completion extends BaseCommand<typeof Completion> {
  static override summary = 'Print a shell completion script for bash, zsh or fish.';
  static override description =
    'Completes commands, their flags, the values of flags with a fixed set (--watch, --log-level…) and file names. The script is static: completing costs drover no start-up.';
  static override examples = [
    '<%= config.bin %> completion bash > /etc/bash_completion.d/<%= config.bin %>',
    "echo 'source <(<%= config.bin %> completion zsh)' >> ~/.zshrc",
    '<%= config.bin %> completion fish > ~/.config/fish/completions/<%= config.bin %>.fish',
  ];
  static override usage = 'completion SHELL [FLAGS]';
  static override args = {
    shell: Args.string({ description: 'bash, zsh or fish', options: [...SHELLS], required: true }),
  };

  async run(): Promise<void> {
    const shell = this.args.shell as (typeof SHELLS)[number];
    this.print(renderCompletion(shell, this.config.bin, completedCommands(this.config)).trimEnd());
  }
}
