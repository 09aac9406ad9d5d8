import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { UserError } from '../errors.js';

/** How commands that read job files take variable values (as `nomad job run` does). */
export const jobFileFlags = {
  var: Flags.string({
    summary: 'Set a variable: --var name=value (repeatable; wins over files and NOMAD_VAR_name).',
    multiple: true,
  }),
  'var-file': Flags.string({
    summary: 'Read variable values from an HCL or JSON file (repeatable, in order).',
    multiple: true,
  }),
};

/**
 * The paths a command reads (it takes any number: `strict = false`); declared so help shows them. Commands show
 * `[PATHS…]` in their usage line.
 */
export const pathsArgs = {
  paths: Args.string({
    description:
      'Job files, directories of job files, or projects (a directory with a drover.hcl), any number. Default: ./drover.hcl, else the job files under the current directory.',
  }),
};

/** Commands that act on a whole stack read one project: its directory (or drover.hcl), or the current one. */
export function projectDirectory(paths: readonly string[], command: string): string | undefined {
  if (paths.length > 1)
    throw new UserError(
      `${command} takes one project directory, not ${paths.length} paths (${paths.join(', ')})`,
      {
        code: 'one_project',
        hint: `It acts on the whole stack the project names: run drover ${command} DIR once per project.`,
      },
    );
  return paths[0];
}
