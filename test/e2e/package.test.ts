import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/cli.js';

const run = promisify(execFile);
const npmEnv = { ...process.env, NODE_OPTIONS: '', npm_config_audit: 'false', npm_config_fund: 'false' };

describe('the npm package', () => {
  it('installs from `npm pack` into an empty directory and with npm install -g, and its drover bin works there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-pack-'));
    const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      env: npmEnv,
    });
    const [tarball] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
    const shipped = tarball!.files.map((f) => f.path);
    expect(shipped).toEqual(
      expect.arrayContaining([
        'bin/run.cjs',
        'dist/index.js',
        'oclif.manifest.json',
        'LICENSE',
        // --json's help names it.
        'schema/plan.schema.json',
      ]),
    );
    // Maps would point at src/, which is not shipped.
    expect(shipped.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^Mozilla Public License, version 2\.0\n/);
    expect(
      shipped.filter(
        (path) =>
          /^(src|test|bench|examples)\//.test(path) || (path.endsWith('.ts') && !path.endsWith('.d.ts')),
      ),
    ).toEqual([]);

    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "empty", "private": true }\n');
    await run('npm', ['install', '--prefer-offline', join(dir, tarball!.filename)], {
      cwd: app,
      env: npmEnv,
    });
    expect(readdirSync(join(app, 'node_modules', '.bin'))).toContain('drover');

    const bin = join(app, 'node_modules', '.bin', 'drover');
    const { stdout: version } = await run(bin, ['version'], { cwd: app, env: npmEnv });
    const { version: packageVersion } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(version.split('\n').slice(0, 2)).toEqual([`drover ${packageVersion}`, `node ${process.version}`]);
    const { stdout: validated } = await run(
      bin,
      ['validate', join(ROOT, 'examples'), '--var-file', join(ROOT, 'examples/env/staging.vars.hcl')],
      { cwd: app, env: npmEnv },
    );
    expect(validated.trimEnd().split('\n').at(-1)).toBe('6 files valid.');

    // The README's `npm install -g ./drover-<version>.tgz`, into a prefix of its own rather than the machine's.
    const prefix = join(dir, 'global');
    await run('npm', ['install', '-g', '--prefer-offline', '--prefix', prefix, `./${tarball!.filename}`], {
      cwd: dir,
      env: npmEnv,
    });
    const { stdout: globalVersion } = await run(join(prefix, 'bin', 'drover'), ['version'], { env: npmEnv });
    expect(globalVersion.split('\n')[0]).toBe(`drover ${packageVersion}`);
  }, 120_000);
});
