import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { runCli } from '../support/cli.js';

const MESSY_JOB =
  'job "web" {\ngroup "g" {\n    count=2\n    task "t" {\n      driver = "docker"\n    }\n}\n}\n';
const TIDY_JOB =
  'job "web" {\n  group "g" {\n    count = 2\n    task "t" {\n      driver = "docker"\n    }\n  }\n}\n';

/** A project: a messy job file, a tidy one, a messy drover.hcl, a broken file, and what fmt must not touch. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-fmt-'));
  mkdirSync(join(dir, 'jobs'));
  mkdirSync(join(dir, 'node_modules'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'jobs/web.nomad.hcl'), MESSY_JOB);
  writeFileSync(join(dir, 'jobs/tidy.nomad'), TIDY_JOB);
  writeFileSync(join(dir, 'drover.hcl'), 'stack="shop"\nmask = ["x"]\n');
  writeFileSync(join(dir, 'node_modules/skip.hcl'), 'a=1\n');
  writeFileSync(join(dir, '.git/skip.hcl'), 'a=1\n');
  writeFileSync(join(dir, 'jobs/api.nomad.json'), '{"Job": {"ID": "api"}}');
  return dir;
}

describe('drover fmt', () => {
  it('--check lists the files that are not formatted, exits 1 and writes nothing', async () => {
    const dir = project();
    const result = await runCli(['fmt', '--check'], {}, undefined, dir);
    expect([result.code, result.stdout, result.stderr]).toEqual([1, 'drover.hcl\njobs/web.nomad.hcl\n', '']);
    expect(readFileSync(join(dir, 'jobs/web.nomad.hcl'), 'utf8')).toBe(MESSY_JOB);
  });

  it('rewrites the files (directories searched, dot-directories and node_modules skipped), then has nothing to do', async () => {
    const dir = project();
    const written = await runCli(['fmt', basename(dir)], {}, undefined, dirname(dir));
    expect(written.code).toBe(0);
    expect(written.stdout).toBe(`${basename(dir)}/drover.hcl\n${basename(dir)}/jobs/web.nomad.hcl\n`);
    expect(readFileSync(join(dir, 'jobs/web.nomad.hcl'), 'utf8')).toBe(TIDY_JOB);
    expect(readFileSync(join(dir, 'drover.hcl'), 'utf8')).toBe('stack = "shop"\nmask  = ["x"]\n');
    expect(readFileSync(join(dir, 'node_modules/skip.hcl'), 'utf8')).toBe('a=1\n');
    expect(readFileSync(join(dir, '.git/skip.hcl'), 'utf8')).toBe('a=1\n');
    expect(await runCli(['fmt', '--check', dir], {})).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('--diff prints a unified diff of each change (and writes unless --check)', async () => {
    const dir = project();
    const result = await runCli(['fmt', '--diff', '--check', 'jobs/web.nomad.hcl'], {}, undefined, dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      '--- jobs/web.nomad.hcl\n+++ jobs/web.nomad.hcl\n@@ -1,8 +1,8 @@\n job "web" {\n-group "g" {\n-    count=2\n+  group "g" {\n+    count = 2\n     task "t" {\n       driver = "docker"\n     }\n+  }\n }\n-}\n\n',
    );
    expect(readFileSync(join(dir, 'jobs/web.nomad.hcl'), 'utf8')).toBe(MESSY_JOB);
  });

  it('- reads standard input and writes the formatted file to standard output', async () => {
    const result = await runCli(['fmt', '-'], {}, undefined, undefined, undefined, MESSY_JOB);
    expect([result.code, result.stdout, result.stderr]).toEqual([0, TIDY_JOB, '']);
  });

  it('reports a file that does not parse at file:line:col and leaves it untouched; the others are still formatted', async () => {
    const dir = project();
    writeFileSync(join(dir, 'jobs/broken.nomad.hcl'), 'job "x" {\n  count = \n}\n');
    const result = await runCli(['fmt'], {}, undefined, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^jobs\/broken\.nomad\.hcl:2:11: error: /);
    expect(readFileSync(join(dir, 'jobs/broken.nomad.hcl'), 'utf8')).toBe('job "x" {\n  count = \n}\n');
    expect(readFileSync(join(dir, 'jobs/web.nomad.hcl'), 'utf8')).toBe(TIDY_JOB);
  });

  it('never rewrites a file that is not UTF-8 (its bytes would come back as U+FFFD), nor validates it', async () => {
    const dir = project();
    const latin1 = Buffer.concat([
      Buffer.from('job "x" {\n  meta = {\n    a="caf'),
      Buffer.from([0xe9]),
      Buffer.from('"\n  }\n}\n'),
    ]);
    writeFileSync(join(dir, 'jobs/latin1.nomad.hcl'), latin1);
    const formatted = await runCli(['fmt'], {}, undefined, dir);
    expect(formatted.code).toBe(1);
    expect(formatted.stderr).toContain('jobs/latin1.nomad.hcl:3:11: error: Invalid character encoding');
    expect(readFileSync(join(dir, 'jobs/latin1.nomad.hcl')).equals(latin1)).toBe(true);
    const validated = await runCli(['validate', join(dir, 'jobs/latin1.nomad.hcl')]);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toContain('Invalid character encoding');
  });

  it('refuses a named file that is not HCL, and a path that does not exist', async () => {
    const dir = project();
    const json = await runCli(['fmt', 'jobs/api.nomad.json'], {}, undefined, dir);
    expect([json.code, json.stderr]).toEqual([
      1,
      'Error: jobs/api.nomad.json: not an HCL file (.nomad or .hcl)\nHint: drover fmt formats HCL job files, drover.hcl and variable files; JSON jobs are not HCL.\n',
    ]);
    const missing = await runCli(['fmt', 'nope'], {}, undefined, dir);
    expect([missing.code, missing.stderr]).toEqual([1, 'Error: nope: no such file or directory\n']);
  });

  it('finds examples/ formatted (what CI checks)', async () => {
    expect(
      await runCli(['fmt', '--check', 'examples/'], {}, undefined, join(import.meta.dirname, '../..')),
    ).toMatchObject({
      code: 0,
      stdout: '',
    });
  });
});
