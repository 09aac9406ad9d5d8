import { Command } from '@oclif/core/command';
import * as Errors from '@oclif/core/errors';
import * as Flags from '@oclif/core/flags';
import type * as Interfaces from '@oclif/core/interfaces';
import type { Environment } from '../config/target.js';
import { CancelledError, isDroverError, UserError } from '../errors.js';
import { suggest } from '../util/suggest.js';
import { createLogger, isLogLevel, LOG_LEVELS, type Logger, type LogLevel } from '../util/logger.js';

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** Every command: --log-level (DROVER_LOG), one place that prints errors and picks the exit code. */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    'log-level': Flags.string({
      summary: 'Diagnostics on stderr: error, warn, info or debug (debug traces every API request).',
      options: [...LOG_LEVELS],
      default: 'warn',
      env: 'DROVER_LOG',
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  /** Positional arguments only (flag values excluded), for commands that take any number of paths. */
  protected positionals: string[] = [];
  protected logger!: Logger;
  /** The process environment, read once here: actions and the target resolver are handed it. */
  protected env!: Environment;
  /** Set by commands that catch signals: 130 after SIGINT, 143 after SIGTERM. */
  protected interruptExitCode?: () => number;

  override async init(): Promise<void> {
    await super.init();
    this.env = { ...process.env };
    this.refuseBadLogEnv();
    const { args, flags, argv } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as CommandFlags<T>;
    this.args = args as CommandArgs<T>;
    this.positionals = argv as string[];
    this.logger = createLogger(this.flags['log-level'] as LogLevel, (line) =>
      process.stderr.write(`${line}\n`),
    );
  }

  /** oclif would name --log-level for a bad DROVER_LOG, a flag the user did not pass. */
  private refuseBadLogEnv(): void {
    const value = this.env.DROVER_LOG;
    const flagged = this.argv.some((arg) => arg === '--log-level' || arg.startsWith('--log-level='));
    if (!value || flagged || isLogLevel(value)) return;
    throw new UserError(`DROVER_LOG=${value} is not a log level: use error, warn, info or debug`, {
      code: 'bad_log_level',
      hint: 'Set DROVER_LOG to one of them, or unset it (--log-level wins over it).',
    });
  }

  /** Text for people: stdout. */
  protected print(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  protected printJson(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** `-var` → `--var` (Terraform's and Nomad's single-dash spellings), `--auto-aprove` → `--auto-approve`. */
  private nearestFlag(given: string): string | undefined {
    const names = Object.keys({ ...(this.ctor as typeof BaseCommand).baseFlags, ...this.ctor.flags });
    const name = given.replace(/^-+/, '').replace(/=.*$/, '');
    const near = names.includes(name) ? name : suggest(name, names);
    return near ? `--${near}` : undefined;
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error;
    if (error instanceof CancelledError) {
      process.stderr.write('cancelled\n');
      return this.exit(this.interruptExitCode?.() ?? 130);
    }
    if (error instanceof Errors.CLIError) {
      // oclif's own usage errors (unknown flag, bad option) exit 2 by default; 2 means "changes present" here.
      process.stderr.write(`Error: ${error.message}\n`);
      const unknown = (error as Errors.CLIError & { flags?: string[] }).flags;
      for (const flag of unknown ?? []) {
        const near = this.nearestFlag(flag);
        const dashes = /^-[^-]/.test(flag) ? " (drover's flags take two dashes)" : '';
        if (near) process.stderr.write(`Hint: did you mean ${near}?${dashes}\n`);
      }
      return this.exit(1);
    }
    if (isDroverError(error) && error instanceof UserError) {
      process.stderr.write(`Error: ${error.message}\n`);
      if (error.hint) process.stderr.write(`Hint: ${error.hint}\n`);
      return this.exit(1);
    }
    process.stderr.write(
      `Internal error: ${error.message}\nThis is a bug in drover; please report it with the output of --log-level debug.\n`,
    );
    if (this.logger?.enabled('debug') && error.stack) process.stderr.write(`${error.stack}\n`);
    return this.exit(1);
  }
}
