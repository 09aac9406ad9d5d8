import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { pathsArgs } from '../cli/job-flags.js';

export default class TestChecks extends BaseCommand<typeof TestChecks> {
  static override summary =
    "Run the project's checks against saved plans kept as fixtures (*.checktest.hcl).";
  static override description =
    'Each run block of a *.checktest.hcl file names a saved plan (drover plan --out), the time its checks see and the checks it must fail (expect_failures = [check.NAME]); every other check must pass. Offline: nothing is sent to Nomad. Exit 0 when every run goes as written, 1 otherwise.';
  static override examples = [
    '<%= config.bin %> test-checks',
    '<%= config.bin %> test-checks tests/checks/',
    '<%= config.bin %> test-checks tests/checks/friday.checktest.hcl --json',
  ];
  static override strict = false;
  static override args = pathsArgs;
  static override usage = 'test-checks [PATHS…] [FLAGS]';
  static override flags = { json: Flags.boolean({ summary: 'Print the result as JSON.' }) };

  async run(): Promise<void> {
    const { testChecks } = await import('../actions/test-checks.js');
    const { renderCheckTestsHuman, renderCheckTestsJson } = await import('../render/check-tests.js');
    const result = testChecks({ paths: this.positionals, cwd: process.cwd(), env: this.env });
    if (this.flags.json) this.printJson(renderCheckTestsJson(result));
    else this.print(renderCheckTestsHuman(result));
    const { exitCodeFor } = await import('../cli/exit-code.js');
    const code = exitCodeFor({ kind: 'test-checks', passed: result.passed });
    if (code !== 0) this.exit(code);
  }
}
