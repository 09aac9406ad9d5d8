/**
 * `npm run demo`: drover's whole loop on the examples/ estate: plan, apply, a variable change planned (a line diff
 * in the API's template) and applied, then status. By default against the bundled Nomad API simulator (started on
 * 127.0.0.1, ten times faster than real time); with NOMAD_ADDR set, against that Nomad, where every apply shows
 * its plan and asks (without a terminal to ask on, drover refuses and the demo stops before any write).
 * Arguments are added to every plan and apply: `npm run demo -- --var-file examples/env/no-docker.vars.hcl`
 * for a cluster without Docker.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT, startSimulatorProcess } from '../test/support/cli.js';

const heading = (text: string) =>
  process.stdout.write(process.stdout.isTTY ? `\n\u001b[1m${text}\u001b[22m\n` : `\n${text}\n`);

async function drover(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<number> {
  heading(`$ drover ${args.join(' ')}`);
  const child = spawn(process.execPath, [join(ROOT, 'bin/run.cjs'), ...args], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return code ?? 1;
}

const cluster = process.env.NOMAD_ADDR;
const sim = cluster ? undefined : await startSimulatorProcess(['--speed', '10']);
const env = sim
  ? { ...process.env, NOMAD_ADDR: sim.address, NOMAD_TOKEN: '', NOMAD_NAMESPACE: '', NOMAD_REGION: '' }
  : process.env;
process.stdout.write(
  sim
    ? `Nomad API simulator on ${sim.address} (10× real time)\n`
    : `Nomad at ${cluster} (NOMAD_ADDR): a real cluster, so every apply shows its plan and asks first.\n`,
);
// On the simulator nothing needs asking; on a cluster a person approves each write.
const approve = sim ? ['--auto-approve'] : [];
const extra = process.argv.slice(2);
const steps: { args: string[]; expect: number[] }[] = [
  // Six new jobs in full are some 600 lines each time: the demo shows them one line per group.
  { args: ['plan', 'examples/', ...extra, '--compact'], expect: [0] },
  { args: ['apply', 'examples/', ...extra, ...approve, '--auto-promote', '--compact'], expect: [0] },
  {
    args: ['plan', 'examples/', ...extra, '--var', 'log_level=debug', '--detailed-exitcode'],
    expect: [0, 2],
  },
  { args: ['apply', 'examples/', ...extra, '--var', 'log_level=debug', ...approve], expect: [0] },
  { args: ['status', 'examples/'], expect: [0] },
];
let failed: string | undefined;
try {
  for (const step of steps) {
    const code = await drover(env, step.args);
    if (!step.expect.includes(code)) {
      failed = `drover ${step.args.join(' ')} exited ${code}`;
      break;
    }
  }
} finally {
  await sim?.stop();
}
if (failed) {
  process.stderr.write(`\nThe demo stopped: ${failed}.\n`);
  process.exit(1);
}
if (!sim) {
  process.stdout.write(
    '\nDone. The jobs stay on that cluster: node bin/run.cjs destroy examples/ removes them.\n',
  );
  process.exit(0);
}
process.stdout.write('\nDone. The simulator is stopped; nothing outside this process was touched.\n');
