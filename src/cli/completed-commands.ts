import type { Config } from '@oclif/core/config';
import type { CompletedCommand } from '../render/completion.js';
import { compareText } from '../util/compare.js';

/** The commands and flags oclif knows (from its manifest), as the completion scripts need them. */
export function completedCommands(config: Config): CompletedCommand[] {
  return config.commands
    .filter((command) => !command.hidden)
    .map((command) => ({
      id: command.id,
      summary: command.summary ?? command.description?.split('\n')[0] ?? '',
      flags: Object.values(command.flags)
        .filter((flag) => !flag.hidden)
        .map((flag) => ({
          name: flag.name,
          char: flag.char,
          summary: flag.summary ?? flag.description ?? '',
          takesValue: flag.type === 'option',
          options: flag.type === 'option' ? flag.options : undefined,
          negatable: flag.type === 'boolean' && Boolean(flag.allowNo),
        })),
    }))
    .sort((a, b) => compareText(a.id, b.id));
}
