import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';

export default class Fmt extends BaseCommand<typeof Fmt> {
  static override summary =
    'Rewrite job files and drover.hcl in the canonical HCL layout, as nomad fmt does.';
  static override description =
    'Formats *.nomad and *.hcl files (directories are searched, dot-directories and node_modules skipped) byte for byte as nomad fmt writes them: two-space indents, aligned = in runs of attributes, aligned trailing comments, one blank between tokens as HCL style wants; strings, heredocs and comments untouched. Prints each file it rewrote. A file that does not parse is reported at file:line:col and left untouched (exit 1). With - it reads standard input and writes the result to standard output.';
  static override examples = [
    '<%= config.bin %> fmt',
    '<%= config.bin %> fmt --check examples/',
    '<%= config.bin %> fmt --diff deploy/',
    'cat web.nomad.hcl | <%= config.bin %> fmt -',
  ];
  static override strict = false;
  static override args = {
    paths: Args.string({
      description:
        'Files, directories (searched for *.nomad and *.hcl), or - for standard input; any number. Default: the current directory.',
    }),
  };
  static override usage = 'fmt [PATHS…|-] [FLAGS]';
  static override flags = {
    check: Flags.boolean({
      summary: 'List the files that are not formatted and exit 1 if there are any; write nothing.',
    }),
    diff: Flags.boolean({ summary: 'Print a unified diff of each change.' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const { formatBytes, formatFiles } = await import('../actions/format-files.js');
    const { renderFormatDiff } = await import('../render/format-diff.js');
    const fromStdin = this.positionals.length === 1 && this.positionals[0] === '-';
    const files = fromStdin
      ? [formatBytes(await readStdin(), '<stdin>')]
      : formatFiles({ paths: this.positionals, cwd: process.cwd(), check: flags.check });
    let failed = false;
    for (const file of files) {
      if (file.after === undefined) {
        failed = true;
        process.stderr.write(`${file.errors.join('\n')}\n`);
        continue;
      }
      if (fromStdin && !flags.check && !flags.diff) process.stdout.write(file.after);
      if (file.after === file.before) continue;
      if (flags.check) failed = true;
      if (flags.diff) process.stdout.write(`${renderFormatDiff(file.path, file.before, file.after)}\n`);
      else if (!fromStdin) this.print(file.path);
    }
    if (failed) this.exit(1);
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
