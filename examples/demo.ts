/**
 * `npm run demo`: drover's whole loop on the examples/ estate against the bundled Nomad API simulator (started on
 * 127.0.0.1, ten times faster than real time): plan, apply, a variable change planned (a line diff in the API's
 * template) and applied, then status. It never touches a real cluster, even with NOMAD_ADDR set.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT, startSimulatorProcess } from '../test/support/cli.js';

const heading = (text: string) =>
  process.stdout.write(process.stdout.isTTY ? `\n\u001b[1m${text}\u001b[22m\n` : `\n${text}\n`);

async function drover(address: string, args: readonly string[]): Promise<number> {
  heading(`$ drover ${args.join(' ')}`);
  const child = spawn(process.execPath, [join(ROOT, 'bin/run.cjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NOMAD_ADDR: address, NOMAD_TOKEN: '', NOMAD_NAMESPACE: '', NOMAD_REGION: '' },
    stdio: 'inherit',
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return code ?? 1;
}

if (process.env.NOMAD_ADDR)
  process.stdout.write(
    `NOMAD_ADDR is set (${process.env.NOMAD_ADDR}), but the demo uses its own simulator anyway.\n` +
      `To run against that cluster instead: node bin/run.cjs plan examples/, then node bin/run.cjs apply examples/.\n`,
  );

const sim = await startSimulatorProcess(['--speed', '10']);
process.stdout.write(`Nomad API simulator on ${sim.address} (10× real time)\n`);
const steps: { args: string[]; expect: number[] }[] = [
  { args: ['plan', 'examples/'], expect: [0] },
  { args: ['apply', 'examples/', '--auto-approve', '--auto-promote'], expect: [0] },
  { args: ['plan', 'examples/', '--var', 'log_level=debug', '--detailed-exitcode'], expect: [2] },
  { args: ['apply', 'examples/', '--var', 'log_level=debug', '--auto-approve'], expect: [0] },
  { args: ['status', 'examples/'], expect: [0] },
];
let failed: string | undefined;
try {
  for (const step of steps) {
    const code = await drover(sim.address, step.args);
    if (!step.expect.includes(code)) {
      failed = `drover ${step.args.join(' ')} exited ${code}`;
      break;
    }
  }
} finally {
  await sim.stop();
}
if (failed) {
  process.stderr.write(`\nThe demo stopped: ${failed}.\n`);
  process.exit(1);
}
process.stdout.write('\nDone. The simulator is stopped; nothing outside this process was touched.\n');
