import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, out };
}

/** docs/development.md's commands that no other test runs. */
describe('development commands', () => {
  it('node bin/dev.js runs the CLI from the TypeScript sources', async () => {
    const { code, out } = await run([join(ROOT, 'bin/dev.js'), 'version']);
    expect([code, out.split('\n')[0]]).toEqual([0, 'drover 0.1.0']);
  });

  it('npm run bench runs every benchmark to its figures (shrunk by BENCH_SMOKE; npm test has built already)', async () => {
    const { code, out } = await run(['--import', 'tsx', join(ROOT, 'bench/run-all.ts')], {
      BENCH_SMOKE: '1',
    });
    expect(code).toBe(0);
    expect(out).toMatch(
      /drover plan, 1st request +median +[\d.]+ +min +[\d.]+ +[\d.]+× node -e 0 {2}goal ≤ 2×: (met|NOT met)/,
    );
    expect(out).toMatch(/parse \+ evaluate \+ map, 40 job files .*\n {2}median \d+ ms = \d+ files\/s/);
    expect(out).toContain('requests per job: 2.00 (goal ≤ 2)');
    expect(out).toMatch(
      /checks, \d+ jobs, 10 rules[^\n]*\n {2}in the CLI, all pass: [\d.]+ ms \(10 passed;[^]*all fail: [\d.]+ ms \(10 failed;[^]*drover plan, whole command: [\d.]+ s with the 10; ratio [\d.]+/,
    );
    expect(out).toMatch(
      /jobs and estate: +median [\d.]+ s, [\d.]+–[\d.]+ s \([\d., ]+\), \d+ requests, \d+ changes\n {2}ratio of medians: +[\d.]+× \(goal ≤ 1\.2×: (met|NOT met)\)/,
    );
    expect(out).toMatch(/drover \(event stream\) +[\d.]+ s wall, \d+ requests/);
    expect(out).toMatch(/drover --watch blocking +[\d.]+ s wall, \d+ requests/);
    expect(out).toContain('all succeeded: true');
    expect(out).toMatch(/--parallelism 64 +\(default\) [\d.]+ s: [\d.]+× faster than one at a time/);
    expect(out).toMatch(/plan --out +[\d.]+ s, peak RSS \d+ MB, longest event-loop stall \d+ ms/);
    expect(out).toMatch(
      /apply of the saved plan: .*; all succeeded\n {2}second applies meanwhile: \d+ refused, 0 let in/,
    );
    expect(out).toContain('plan after the apply: exit 0');
  }, 90_000);

  it('npm run test:nomad skips in one line, exit 0, where no nomad binary is found', async () => {
    const { code, out } = await run([join(ROOT, 'test/nomad/run.js')], {
      PATH: '/nonexistent',
      NOMAD_BIN: '',
    });
    expect([code, out]).toEqual([
      0,
      'test:nomad skipped: no nomad binary (set NOMAD_BIN, or put nomad on PATH)\n',
    ]);
  });
});
