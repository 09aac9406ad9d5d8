import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../support/cli.js';

const JOBS = join(ROOT, 'test/fixtures/jobs');
const INVALID = join(ROOT, 'test/fixtures/invalid');

describe('drover validate and render, as a user runs them', () => {
  it('validates the job files a glob names, offline', async () => {
    const result = await runCli(['validate', 'test/fixtures/jobs/3*.nomad.hcl']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '✓ test/fixtures/jobs/30-job-level-task.nomad.hcl',
        '✓ test/fixtures/jobs/31-variable-types.nomad.hcl',
        '✓ test/fixtures/jobs/32-variable-validation.nomad.hcl',
        '✓ test/fixtures/jobs/33-locals.nomad.hcl',
        '✓ test/fixtures/jobs/34-string-functions.nomad.hcl',
        '✓ test/fixtures/jobs/35-collection-functions.nomad.hcl',
        '✓ test/fixtures/jobs/36-encoding-functions.nomad.hcl',
        '✓ test/fixtures/jobs/37-expressions.nomad.hcl',
        '✓ test/fixtures/jobs/38-template-directives.nomad.hcl',
        '✓ test/fixtures/jobs/39-dynamic-blocks.nomad.hcl',
        '  test/fixtures/jobs/39-dynamic-blocks.nomad.hcl:42:9: warning: dynamic block inside a free-form map',
        '    42 |         dynamic "mount" {',
        '       |         ^^^^^^^',
        '  Nomad does not expand dynamic blocks inside config (or other free-form maps): it sends them as a literal "dynamic" key. Write the blocks out, or build the value with a for expression.',
        '',
        '10 files valid (1 warning).',
        '',
      ].join('\n'),
    );
  });

  it('shows every error with its position, source line, caret and suggestion; exit 1', async () => {
    const result = await runCli(['validate', INVALID]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        '✗ test/fixtures/invalid/typo.nomad.hcl',
        '  test/fixtures/invalid/typo.nomad.hcl:4:7: error: Unsupported argument "healty_deadline"',
        '    4 |       healty_deadline = "5m"',
        '      |       ^^^^^^^^^^^^^^^',
        '  An argument named "healty_deadline" is not expected in the "update" block; did you mean "healthy_deadline"?',
        '  test/fixtures/invalid/typo.nomad.hcl:10:26: error: Unsupported attribute',
        '    10 |         image = "nginx:${var.version}"',
        '       |                          ^^^^^^^^^^^',
        '  This object has no attribute "version".',
        '',
        '1 file: 0 valid, 1 with errors (2 errors).',
        '',
      ].join('\n'),
    );
  });

  it('gives machine-readable results with --json, and nothing else on stdout', async () => {
    const result = await runCli(['validate', INVALID, '--json']);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document.valid).toBe(false);
    expect(document.files[0].diagnostics[0]).toEqual({
      severity: 'error',
      summary: 'Unsupported argument "healty_deadline"',
      detail:
        'An argument named "healty_deadline" is not expected in the "update" block; did you mean "healthy_deadline"?',
      file: 'test/fixtures/invalid/typo.nomad.hcl',
      line: 4,
      column: 7,
      end_line: 4,
      end_column: 22,
    });
  });

  it('renders a job file exactly as `nomad job run -output` does', async () => {
    const result = await runCli(['render', join(JOBS, '10-services-checks.nomad.hcl')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${readFileSync(join(JOBS, '10-services-checks.expected.json'), 'utf8').trimEnd()}\n`,
    );
  });

  it('renders several files, a directory or a project as one {"Job": …} per line, in path order', async () => {
    const one = (name: string) => JSON.stringify(JSON.parse(readFileSync(join(JOBS, name), 'utf8')));
    const files = await runCli([
      'render',
      join(JOBS, '46-optional-pointer-arguments.nomad.hcl'),
      join(JOBS, '10-services-checks.nomad.hcl'),
    ]);
    expect([files.code, files.stdout]).toEqual([
      0,
      `${one('10-services-checks.expected.json')}\n${one('46-optional-pointer-arguments.expected.json')}\n`,
    ]);

    const examples = await runCli([
      'render',
      join(ROOT, 'examples'),
      '--var-file',
      join(ROOT, 'examples/env/staging.vars.hcl'),
    ]);
    expect(examples.code).toBe(0);
    const ids = examples.stdout
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { Job: { ID: string } }).Job.ID);
    expect(ids).toHaveLength(6);
    expect(ids).toContain('api');

    // One bad file renders nothing, and says which.
    const bad = await runCli([
      'render',
      join(JOBS, '10-services-checks.nomad.hcl'),
      join(JOBS, '43-var-sources.nomad.hcl'),
    ]);
    expect([bad.code, bad.stdout]).toEqual([1, '']);
    expect(bad.stderr).toContain('43-var-sources.nomad.hcl');
  });

  it('takes variables from flags, var files and NOMAD_VAR_ as Nomad does', async () => {
    const result = await runCli(
      [
        'render',
        join(JOBS, '43-var-sources.nomad.hcl'),
        '--var',
        'image=redis:7',
        '--var',
        'tags=["a", "b"]',
        '--var',
        'replicas=2',
        '--var',
        'replicas=4',
        '--var-file',
        join(JOBS, '43-var-sources.vars.hcl'),
      ],
      {
        NOMAD_VAR_from_env: 'from-environment',
        NOMAD_VAR_from_file: 'env-loses-to-file',
        NOMAD_VAR_undeclared: 'ignored',
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${readFileSync(join(JOBS, '43-var-sources.expected.json'), 'utf8').trimEnd()}\n`,
    );
  });

  it('refuses to render an invalid file: errors on stderr, nothing on stdout, exit 1', async () => {
    const result = await runCli(['render', join(JOBS, '43-var-sources.nomad.hcl')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error: Unset variable "image"');
  });

  it('names a missing var file and a malformed --var', async () => {
    const missing = await runCli(['validate', JOBS, '--var-file', 'nope.hcl']);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      'Error: cannot read var file nope.hcl: no such file\n',
    ]);
    const malformed = await runCli(['validate', JOBS, '--var', 'image']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('Error: --var image: expected name=value');
  });
});
