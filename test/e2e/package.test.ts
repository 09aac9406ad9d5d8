import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startSimulatorProcess } from '../support/cli.js';

const run = promisify(execFile);
const npmEnv = { ...process.env, NODE_OPTIONS: '', npm_config_audit: 'false', npm_config_fund: 'false' };
const { version: packageVersion } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

/** A job whose HCL calls the functions backed by yaml and re2js, which the bundles load on first use. */
const LAZY_JOB = `job "lazy" {
  datacenters = ["dc1"]
  meta {
    tier    = yamldecode("tier: gold\\n")["tier"]
    version = regex_replace("shop-api-1.4.0", "[0-9]+", "N")
  }
  group "g" {
    task "t" {
      driver = "exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
`;

/** `import … from 'drover'` as a user's TypeScript writes it: parse, plan against Nomad (undici), render (diff). */
const LIBRARY_USE = `import { readFileSync } from 'node:fs';
import { connections, loadJob, planForDisplay, planJobs, renderPlanHuman } from 'drover';

const { job } = loadJob('lazy.nomad.hcl', readFileSync('lazy.nomad.hcl', 'utf8'));
console.log(JSON.stringify(job?.Meta));
const nomad = connections();
try {
  const env = { NOMAD_ADDR: process.env.NOMAD_ADDR };
  const { plan } = await planJobs({ connect: nomad.connect, paths: ['lazy.nomad.hcl'], cwd: process.cwd(), env });
  process.stdout.write(renderPlanHuman(planForDisplay(plan, { showSensitive: false }), { color: false }));
} finally {
  await nomad.close();
}
`;

/** `npm install --json`'s count of the packages it added. */
async function npmInstall(args: readonly string[], cwd: string): Promise<number> {
  const { stdout } = await run('npm', ['install', '--json', '--prefer-offline', ...args], {
    cwd,
    env: npmEnv,
  });
  return (JSON.parse(stdout) as { added: number }).added;
}

describe('the npm package', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  const scratch: string[] = [];
  const scratchDir = (prefix: string) => {
    scratch.push(mkdtempSync(join(tmpdir(), prefix)));
    return scratch.at(-1)!;
  };
  beforeAll(async () => {
    sim = await startSimulatorProcess();
  });
  afterAll(async () => {
    await sim.stop();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('installs from `npm pack` into an empty directory and with npm install -g as one package, and its drover bin and library work there', async () => {
    const dir = scratchDir('drover-pack-');
    const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      env: npmEnv,
    });
    const [tarball] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
    const shipped = tarball!.files.map((f) => f.path);
    expect(shipped).toEqual(
      expect.arrayContaining([
        'bin/run.cjs',
        'dist/index.d.ts',
        'oclif.manifest.json',
        'LICENSE',
        'README.md',
        // --json's help names it.
        'schema/plan.schema.json',
      ]),
    );
    // The CLI, the library and the CLI's loader, each one file with its dependencies in it.
    expect(shipped.filter((path) => /\.c?js$/.test(path)).sort()).toEqual([
      'bin/run.cjs',
      'dist/cli/compile-cache.cjs',
      'dist/cli/drover.cjs',
      'dist/index.js',
    ]);
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
    writeFileSync(join(app, 'package.json'), '{ "name": "empty", "private": true, "type": "module" }\n');
    expect(await npmInstall([join(dir, tarball!.filename)], app)).toBe(1);
    expect(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual([
      'drover',
    ]);
    const installed = JSON.parse(
      readFileSync(join(app, 'node_modules/drover/package.json'), 'utf8'),
    ) as Record<string, unknown>;
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies'])
      expect([field, installed[field] ?? {}]).toEqual([field, {}]);
    expect(readdirSync(join(app, 'node_modules', '.bin'))).toContain('drover');

    const bin = join(app, 'node_modules', '.bin', 'drover');
    const { stdout: version } = await run(bin, ['version'], { cwd: app, env: npmEnv });
    expect(version.split('\n').slice(0, 2)).toEqual([`drover ${packageVersion}`, `node ${process.version}`]);
    const { stdout: validated } = await run(
      bin,
      ['validate', join(ROOT, 'examples'), '--var-file', join(ROOT, 'examples/env/staging.vars.hcl')],
      { cwd: app, env: npmEnv },
    );
    expect(validated.trimEnd().split('\n').at(-1)).toBe('6 files valid.');
    writeFileSync(join(app, 'lazy.nomad.hcl'), LAZY_JOB);
    const { stdout: rendered } = await run(bin, ['render', 'lazy.nomad.hcl'], { cwd: app, env: npmEnv });
    expect((JSON.parse(rendered) as { Job: { Meta: unknown } }).Job.Meta).toEqual({
      tier: 'gold',
      version: 'shop-api-N.N.N',
    });

    // The library from the installed package: its declarations alone type-check it (no dependency's types are
    // installed to lean on), and its one file runs it.
    writeFileSync(join(app, 'use.ts'), LIBRARY_USE);
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const tscFlags = ['--strict', '--skipLibCheck', 'false', '--target', 'es2022', '--module', 'nodenext'];
    const types = ['--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types')];
    await run(process.execPath, [tsc, ...tscFlags, ...types, '--outDir', 'out', 'use.ts'], {
      cwd: app,
    }).catch((error: { stdout?: string }) => {
      throw new Error(`the installed package's types do not type-check a use of it:\n${error.stdout}`);
    });
    const { stdout: used } = await run(process.execPath, ['out/use.js'], {
      cwd: app,
      env: { ...npmEnv, NOMAD_ADDR: sim.address },
    });
    expect(used.split('\n')[0]).toBe('{"tier":"gold","version":"shop-api-N.N.N"}');
    expect(used).toContain('\n      + Meta[tier]: "gold"\n');
    expect(used).toMatch(/\nPlan: 1 to create, 0 to update, 0 to delete\.$/);

    // The README's `npm install -g ./drover-<version>.tgz`, into a prefix of its own rather than the machine's.
    const prefix = join(dir, 'global');
    expect(await npmInstall(['-g', '--prefix', prefix, `./${tarball!.filename}`], dir)).toBe(1);
    const { stdout: globalVersion } = await run(join(prefix, 'bin', 'drover'), ['version'], { env: npmEnv });
    expect(globalVersion.split('\n')[0]).toBe(`drover ${packageVersion}`);
  }, 120_000);

  it('builds from a fresh copy of the sources printing nothing but its command', async () => {
    const copy = scratchDir('drover-build-');
    for (const path of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts'])
      cpSync(join(ROOT, path), join(copy, path), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const { stdout, stderr } = await run('npm', ['run', 'build'], { cwd: copy, env: npmEnv });
    expect(stderr).toBe('');
    // npm's own echo of the script: "> drover@0.1.0 build" and "> rm -rf dist && …".
    expect(stdout.split('\n').filter((line) => line !== '' && !line.startsWith('> '))).toEqual([]);
    // oclif reads the commands from it at start-up: every command of src/commands/, for this version.
    const manifest = JSON.parse(readFileSync(join(copy, 'oclif.manifest.json'), 'utf8')) as {
      version: string;
      commands: Record<string, unknown>;
    };
    const commands = readdirSync(join(ROOT, 'src/commands'))
      .filter((file) => file !== 'index.ts')
      .map((file) => file.replace(/\.ts$/, ''));
    expect([manifest.version, Object.keys(manifest.commands).sort()]).toEqual([
      packageVersion,
      commands.sort(),
    ]);
  }, 120_000);

  it('leaves no dependency’s install script unreviewed, so that npm ci warns of none (npm ≥ 11.16)', async () => {
    const { stdout } = await run('npm', ['install-scripts', 'ls', '--json'], { cwd: ROOT, env: npmEnv });
    expect(JSON.parse(stdout)).toEqual({ allowScripts: [] });
  });
});
