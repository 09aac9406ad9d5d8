import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, runCli, startSimulatorProcess } from '../support/cli.js';

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

describe('the built CLI', () => {
  it('shows help listing its commands', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Terraform-style plan and apply for HashiCorp Nomad jobs');
    expect(result.stdout).toMatch(/version\s+Print drover's version/);
    expect(result.stdout).toMatch(/ping\s+Check that drover reaches Nomad/);
  });

  it('shows [PATHS…] in the help of the commands that read job files, and no empty defaults', async () => {
    for (const command of ['plan', 'apply', 'destroy', 'status', 'validate', 'render', 'graph']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`$ drover ${command} [PATHS…] [FLAGS]`);
      expect(help.stdout).toMatch(/ARGUMENTS\n\s+\[?PATHS/);
      expect(help.stdout).not.toContain('[default: ]');
    }
  });

  it('gives every command one USAGE style, its arguments as ARGUMENTS names them and its examples pass them', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { examples?: string[] }>;
    };
    const problems: string[] = [];
    for (const [id, command] of Object.entries(manifest.commands)) {
      const help = (await runCli([id, '--help'])).stdout;
      const section = (title: string) => help.split(`${title}\n`)[1]?.split('\n\n')[0] ?? '';
      const usage = section('USAGE').split('\n');
      for (const line of usage)
        if (!/^ {2}\$ drover [a-z-]+( [A-Z_[\]…|-]+)* \[FLAGS\]$/.test(line)) problems.push(`${id}: ${line}`);
      const shown = usage[0]!.replace(`  $ drover ${id}`, '').replace(' [FLAGS]', '');
      for (const [, name] of section('ARGUMENTS').matchAll(/^ {2}\[?([A-Z_]+)/gm))
        if (!shown.includes(name!)) problems.push(`${id}: ARGUMENTS names ${name}, USAGE shows "${shown}"`);
      const passed = (command.examples ?? []).find((example) =>
        /^[^-]/.test(example.split('<%= config.bin %> ')[1]!.split(' ')[1] ?? '-'),
      );
      if (passed && !shown)
        problems.push(`${id}: USAGE shows no argument, yet the example ${passed} passes one`);
    }
    expect(problems).toEqual([]);
  });

  it("prints drover's version, Node's and the platform", async () => {
    const result = await runCli(['version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `drover ${version}\nnode ${process.version}\nplatform ${process.platform}-${process.arch}\n`,
    );
    expect(result.stderr).toBe('');
  });

  it('prints the same version for --version as for the version command', async () => {
    expect(await runCli(['--version'])).toEqual(await runCli(['version']));
  });

  it('shows the same help for help, -h and --help, for drover and for a command', async () => {
    const listing = await runCli(['--help']);
    expect(listing.stdout).toContain('COMMANDS\n  apply ');
    expect(await runCli(['help'])).toEqual(listing);
    expect(await runCli(['-h'])).toEqual(listing);
    const plan = await runCli(['plan', '--help']);
    expect(plan).toEqual({ code: 0, stdout: expect.stringContaining('$ drover plan [PATHS…]'), stderr: '' });
    expect(await runCli(['help', 'plan'])).toEqual(plan);
    expect(await runCli(['plan', '-h'])).toEqual(plan);
    expect(await runCli(['help', 'force-unlock'])).toEqual(await runCli(['force-unlock', '-h']));
  });

  it('names the nearest command when asked for help on one drover does not have', async () => {
    expect(await runCli(['help', 'plna'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error: "plna" is not a drover command. Did you mean "plan"?\nSee drover --help for the list.\n',
    });
  });

  it('keeps a compile cache per command: written once, reused, rewritten when unusable, off with 0', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'drover-cache-')), 'cache');
    const env = { DROVER_COMPILE_CACHE: dir };
    const expected = `drover ${version}\nnode ${process.version}\nplatform ${process.platform}-${process.arch}\n`;
    expect(await runCli(['version'], env)).toEqual({ code: 0, stdout: expected, stderr: '' });
    const [file, ...others] = readdirSync(dir);
    expect([file, others]).toEqual([
      expect.stringMatching(/^drover\.cjs-[0-9a-f]{8}-\d+-\d+-v[\d.]+-\w+-version\.v8$/),
      [],
    ]);
    expect([statSync(dir).mode & 0o777, statSync(join(dir, file!)).mode & 0o777]).toEqual([0o700, 0o600]);
    const written = readFileSync(join(dir, file!));
    expect(await runCli(['version'], env)).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect(readFileSync(join(dir, file!)).equals(written)).toBe(true);
    writeFileSync(join(dir, file!), 'not a V8 code cache');
    expect(await runCli(['version'], env)).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect(readFileSync(join(dir, file!)).length).toBeGreaterThan(1000);
    expect((await runCli(['--help'], env)).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([expect.stringMatching(/-root\.v8$/), file]);
    const off = join(dirname(dir), 'off');
    expect(
      (await runCli(['version'], { DROVER_COMPILE_CACHE: '0', HOME: off, XDG_CACHE_HOME: off })).code,
    ).toBe(0);
    expect(existsSync(off)).toBe(false);
  });

  it("keeps two installations' compile caches side by side, and drops a rebuilt bundle's old one", () => {
    const root = mkdtempSync(join(tmpdir(), 'drover-installs-'));
    const cache = join(root, 'cache');
    const [a, b] = ['a', 'b'].map((name) => {
      mkdirSync(join(root, name));
      const file = join(root, name, 'drover.cjs');
      writeFileSync(file, `module.exports = { name: ${JSON.stringify(name)} };`);
      return file;
    }) as [string, string];
    const loader = JSON.stringify(join(ROOT, 'dist/cli/compile-cache.cjs'));
    const load = (file: string) =>
      spawnSync(
        process.execPath,
        [
          '-e',
          `console.log(require(${loader}).loadBundle(${JSON.stringify(file)}, 'version', ${JSON.stringify(cache)}).name)`,
        ],
        { encoding: 'utf8' },
      ).stdout.trim();
    expect([load(a), load(b), load(a), load(b)]).toEqual(['a', 'b', 'a', 'b']);
    const before = readdirSync(cache).sort();
    expect(before).toHaveLength(2);
    writeFileSync(a, "module.exports = { name: 'a, rebuilt' };");
    utimesSync(a, new Date(), new Date(Date.now() + 60_000));
    expect(load(a)).toBe('a, rebuilt');
    const after = readdirSync(cache).sort();
    expect(after).toHaveLength(2);
    expect(after.filter((f) => before.includes(f))).toHaveLength(1);
  });

  it('prints shell completion that completes commands, flags, flag values and files (bash, run in bash)', async () => {
    const script = await runCli(['completion', 'bash']);
    expect(script.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'drover-completion-'));
    writeFileSync(join(dir, 'drover.bash'), script.stdout);
    writeFileSync(join(dir, 'web.nomad.hcl'), '');
    const complete = (...words: string[]) =>
      spawnSync(
        'bash',
        [
          '-c',
          `source drover.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _drover_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { cwd: dir, encoding: 'utf8' },
      ).stdout.trim();
    expect(complete('drover', 'ap')).toBe('apply');
    expect(complete('drover', 'apply', '--wat')).toBe('--watch');
    expect(complete('drover', 'apply', '--watch', 'b')).toBe('blocking');
    expect(complete('drover', 'plan', '--log-level', 'de')).toBe('debug');
    expect(complete('drover', 'validate', 'web')).toBe('web.nomad.hcl');
    expect(complete('drover', 'logs', '--fo')).toBe('--follow');
  });

  it('prints completion for zsh (through bashcompinit) and fish, and refuses other shells', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^autoload -U \+X bashcompinit && bashcompinit$/m);
    expect(zsh.stdout).toContain('complete -o filenames -F _drover_complete drover');
    const fish = (await runCli(['completion', 'fish'])).stdout;
    expect(fish).toContain(
      "complete -c drover -n '__fish_seen_subcommand_from apply' -l watch -x -a 'blocking events' -d",
    );
    expect(fish).toMatch(/^complete -c drover -n __fish_use_subcommand -a plan -d 'Show what applying/m);
    const tcsh = await runCli(['completion', 'tcsh']);
    expect([tcsh.code, tcsh.stdout]).toEqual([1, '']);
    expect(tcsh.stderr).toContain('Expected tcsh to be one of: bash, zsh, fish');
  });

  it('show names a file that is not a drover plan, and says what reads one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-show-'));
    writeFileSync(join(dir, 'empty.json'), '{}\n');
    expect(await runCli(['show', 'empty.json'], {}, undefined, dir)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error: empty.json is not a drover plan: it has no "format", where a saved plan has "format": "drover-plan/2"\n' +
        'Hint: drover show and drover apply read a plan saved by drover plan --out FILE.\n',
    });
  });

  it('names DROVER_LOG, not --log-level, when the bad log level came from it', async () => {
    expect(await runCli(['version'], { DROVER_LOG: 'verbose' })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error: DROVER_LOG=verbose is not a log level: use error, warn, info or debug\n' +
        'Hint: Set DROVER_LOG to one of them, or unset it (--log-level wins over it).\n',
    });
    const flagged = await runCli(['version', '--log-level', 'verbose'], { DROVER_LOG: 'debug' });
    expect([flagged.code, flagged.stderr]).toEqual([
      1,
      expect.stringMatching(/^Error: Expected --log-level=verbose to be one of: error, warn, info, debug\n/),
    ]);
    expect((await runCli(['version', '--log-level=warn'], { DROVER_LOG: 'verbose' })).code).toBe(0);
  });

  it('refuses an unknown flag with exit code 1', async () => {
    const result = await runCli(['version', '--bogus']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: Nonexistent flag: --bogus');
  });

  it('exits 1 on an unknown command, never the 2 of "changes", naming the nearest one', async () => {
    const result = await runCli(['plna', '.', '--detailed-exitcode']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Error: "plna" is not a drover command. Did you mean "plan"?\nSee drover --help for the list.\n',
    );
  });

  it.each([
    [['plan', '-var', 'image=x'], '--var', " (drover's flags take two dashes)"],
    [['apply', '-auto-approve'], '--auto-approve', " (drover's flags take two dashes)"],
    [['plan', '-var-file=prod.hcl'], '--var-file', " (drover's flags take two dashes)"],
    [['plan', '--var-flie', 'x'], '--var-file', ''],
  ])('refuses %j with exit 1 and a did-you-mean', async (args, near, dashes) => {
    const result = await runCli(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Hint: did you mean ${near}?${dashes}\n`);
  });

  it('writes all of a long --json output through a pipe before a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-long-'));
    const attributes = Array.from({ length: 900 }, (_, i) => `    misspelt_${i} = ${i}`).join('\n');
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      writeFileSync(
        join(dir, `${name}.nomad.hcl`),
        `job "${name}" {\n  group "g" {\n${attributes}\n  }\n}\n`,
      );
    const result = await runCli(['validate', dir, '--json']);
    expect(result.code).toBe(1);
    expect(result.stdout.length).toBeGreaterThan(500_000);
    const document = JSON.parse(result.stdout) as { files: Array<{ diagnostics: unknown[] }> };
    expect(document.files.map((f) => f.diagnostics.length)).toEqual([901, 901, 901, 901, 901]);
  });

  it('names NOMAD_ADDR when the address has no scheme, and sends nothing', async () => {
    const result = await runCli(['ping'], { NOMAD_ADDR: 'nomad.example:4646' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Error: the Nomad address "nomad.example:4646" (from NOMAD_ADDR) has no scheme: it must start with http://, https:// or unix://',
    );
    expect(result.stdout).toBe('');
  });

  describe('against the simulator running as its own process', () => {
    let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
    beforeAll(async () => {
      sim = await startSimulatorProcess();
    });
    afterAll(() => sim.stop());

    it('pings Nomad at NOMAD_ADDR', async () => {
      const result = await runCli(['ping'], { NOMAD_ADDR: sim.address });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        `Nomad 2.0.5 at ${sim.address}: region global, datacenter dc1, leader 127.0.0.1:4647\n`,
      );
    });

    it('puts only JSON on stdout with --json, and takes --address over NOMAD_ADDR', async () => {
      const result = await runCli(['ping', '--json', '--address', sim.address], {
        NOMAD_ADDR: 'http://127.0.0.1:1',
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        address: sim.address,
        region: 'global',
        datacenter: 'dc1',
        version: '2.0.5',
        leader: '127.0.0.1:4647',
      });
    });

    it('traces every request on stderr with --log-level debug or DROVER_LOG=debug, never the token', async () => {
      for (const [args, env] of [
        [['ping', '--log-level', 'debug'], {}],
        [['ping'], { DROVER_LOG: 'debug' }],
      ] as const) {
        const result = await runCli(args, {
          NOMAD_ADDR: sim.address,
          NOMAD_TOKEN: 'super-secret-token',
          ...env,
        });
        expect(result.code).toBe(0);
        expect(result.stderr).toMatch(/^debug: GET \/v1\/agent\/self 200 \d+ms X-Nomad-Index=\d+$/m);
        expect(result.stderr).toMatch(/^debug: GET \/v1\/status\/leader 200 \d+ms X-Nomad-Index=\d+$/m);
        expect(result.stdout + result.stderr).not.toContain('super-secret-token');
      }
    });
  });

  it('says where the address came from when nothing answers there', async () => {
    const result = await runCli(['ping', '--address', 'http://127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Error: cannot reach Nomad at http://127.0.0.1:1 (from --address): connection refused',
    );
    expect(result.stderr).toContain('Hint: Is Nomad running there?');
  }, 30_000);
});
