// npm run test:nomad: the real-agent suite when a nomad binary is at hand (NOMAD_BIN or PATH), else one line and exit 0.
// The run's temporary files (agents' data directories, test projects) go to one directory of its own, which must be
// left with no mount and no process in it: what is left is named, cleaned up, and fails the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

const binary =
  process.env.NOMAD_BIN ||
  (spawnSync('/bin/sh', ['-c', 'command -v nomad'], { encoding: 'utf8' }).stdout ?? '').trim() ||
  undefined;
if (!binary) {
  process.stdout.write('test:nomad skipped: no nomad binary (set NOMAD_BIN, or put nomad on PATH)\n');
  process.exit(0);
}
const runDir = mkdtempSync(join(tmpdir(), 'drover-test-nomad-'));
const jest = spawnSync(
  process.execPath,
  ['node_modules/jest/bin/jest.js', '--config', 'jest.nomad.config.js', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      NOMAD_BIN: binary,
      TMPDIR: runDir,
      NODE_OPTIONS: '--experimental-vm-modules --no-warnings=ExperimentalWarning',
    },
  },
);
const leftovers = leftBehind(runDir);
rmSync(runDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
if (leftovers.length > 0) {
  process.stderr.write(
    `test:nomad left behind (now cleaned up):\n${leftovers.map((l) => `  ${l}\n`).join('')}`,
  );
  process.exit(1);
}
process.exit(jest.status ?? 1);

/** What is still mounted or running in `dir` (processes killed, mounts unmounted): one line each. */
function leftBehind(dir) {
  const found = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let command;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    if (!command.includes(`${dir}/`)) continue;
    found.push(`process ${pid}: ${command}`);
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1])
    .filter((path) => path?.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const path of mounts) {
    found.push(`mount ${path}`);
    spawnSync('umount', ['-l', path]);
  }
  return found;
}
