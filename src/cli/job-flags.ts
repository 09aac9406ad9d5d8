import * as Flags from '@oclif/core/flags';

/** How commands that read job files take variable values (as `nomad job run` does). */
export const jobFileFlags = {
  var: Flags.string({
    summary: 'Set a variable: --var name=value (repeatable; wins over files and NOMAD_VAR_name).',
    multiple: true,
    default: [],
  }),
  'var-file': Flags.string({
    summary: 'Read variable values from an HCL or JSON file (repeatable, in order).',
    multiple: true,
    default: [],
  }),
};
