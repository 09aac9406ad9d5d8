// npm run test:nomad: the real-agent suite when a nomad binary is at hand (NOMAD_BIN or PATH), else one line and exit 0.
import { spawnSync } from 'node:child_process';
import process from 'node:process';

const binary =
  process.env.NOMAD_BIN ||
  (spawnSync('/bin/sh', ['-c', 'command -v nomad'], { encoding: 'utf8' }).stdout ?? '').trim() ||
  undefined;
if (!binary) {
  process.stdout.write('test:nomad skipped: no nomad binary (set NOMAD_BIN, or put nomad on PATH)\n');
  process.exit(0);
}
const jest = spawnSync(
  process.execPath,
  ['node_modules/jest/bin/jest.js', '--config', 'jest.nomad.config.js', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      NOMAD_BIN: binary,
      NODE_OPTIONS: '--experimental-vm-modules --no-warnings=ExperimentalWarning',
    },
  },
);
process.exit(jest.status ?? 1);
