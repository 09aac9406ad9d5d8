import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Config } from '@oclif/core/config';
import type * as Interfaces from '@oclif/core/interfaces';
import * as Errors from '@oclif/core/errors';
import { flush } from '@oclif/core/flush';
import { run } from '@oclif/core/run';
import { suggest } from '../util/suggest.js';

/** Resolves once everything written to the stream so far has reached the pipe, file or terminal. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}

/**
 * The CLI's entry: runs the command, then exits with its code only once stdout and stderr have drained, so a
 * pipe reader gets every byte whatever the code. An unknown command exits 1 (never 2, which
 * `--detailed-exitcode` reserves for "changes") and names the nearest command.
 */
export async function main(
  root: string,
  argv: readonly string[] = process.argv.slice(2),
  options: { commandsFrom?: string } = {},
): Promise<never> {
  let code = 0;
  argv = asOclifRuns(argv);
  try {
    const config = await Config.load(
      options.commandsFrom ? withCommandsFrom(root, options.commandsFrom) : root,
    );
    const unknown = unknownCommand(config, argv);
    if (unknown !== undefined) {
      const near = suggest(unknown, config.commandIDs);
      process.stderr.write(
        `Error: "${unknown}" is not a drover command.${near ? ` Did you mean "${near}"?` : ''}\nSee drover --help for the list.\n`,
      );
      code = 1;
    } else {
      await run([...argv], config);
      await flush();
    }
  } catch (error) {
    if (error instanceof Errors.ExitError) code = error.oclif.exit ?? 1;
    else {
      process.stderr.write(`Error: ${(error as Error).message}\n`);
      code = 1;
    }
  }
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

/**
 * The package's oclif settings with the command classes taken from another module: bin/dev.js runs them from the
 * TypeScript sources instead of the bundle.
 */
function withCommandsFrom(bin: string, target: string) {
  const packageDir = dirname(dirname(bin));
  const pjson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Interfaces.PJSON;
  pjson.oclif.commands = { strategy: 'explicit', target, identifier: 'COMMANDS' };
  return { root: packageDir, pjson };
}

/**
 * `drover help [COMMAND]` is `drover [COMMAND] --help` (oclif has no help command without a plugin), and
 * `drover --version` is `drover version`, so that both spellings give one answer. (`-h` is oclif's
 * additionalHelpFlags in package.json.)
 */
function asOclifRuns(argv: readonly string[]): readonly string[] {
  if (argv[0] === 'help') return [...argv.slice(1), '--help'];
  if (argv[0] === '--version') return ['version', ...argv.slice(1)];
  return argv;
}

function unknownCommand(config: Config, argv: readonly string[]): string | undefined {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return undefined;
  return config.findCommand(first) ? undefined : first;
}
