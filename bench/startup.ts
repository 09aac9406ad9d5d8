/**
 * Cold start of the built CLI against `node -e 0` on the same machine. Goals: `drover --help`, `drover version`
 * and `drover validate FILE` ≤ 1.8× node -e 0; `drover plan` reaching its first request to Nomad ≤ 2×. Each run is
 * a fresh process; runs alternate so that machine noise hits every case alike. Measured with the compile cache
 * warm (every run after a command's first) and, for --help, cold (DROVER_COMPILE_CACHE=0).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { sized } from './size.js';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? sized(21, 2));
const CLI = join(ROOT, 'bin/run.cjs');
const JOB = join(ROOT, 'examples/jobs/web.nomad.hcl');

function timeExit(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore', env });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * From spawning `drover plan` to its first request reaching a server that stands in for Nomad; the answer (an
 * empty 404: not Nomad) ends the run at once, as a finished run that leaves its compile cache behind.
 */
async function timeFirstRequest(server: Server, address: string): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, 'plan', JOB, '--stack', 'bench'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, NOMAD_ADDR: address },
  });
  // Every request gets the answer (drover may send more than one at once); the first one's arrival is timed.
  const arrived = await new Promise<bigint>((resolve) => {
    const answer = (_req: unknown, res: ServerResponse) => {
      resolve(process.hrtime.bigint());
      res.writeHead(404).end();
    };
    server.on('request', answer);
    child.once('exit', () => server.off('request', answer));
  });
  await new Promise((resolve) => child.once('exit', resolve));
  return Number(arrived - started) / 1e6;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchStartup(): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const cold = { ...process.env, DROVER_COMPILE_CACHE: '0' };
  const cases: Record<string, { run: () => Promise<number> | number; goal?: number }> = {
    'node -e 0': { run: () => timeExit(['-e', '0']) },
    'drover --help': { run: () => timeExit([CLI, '--help']), goal: 1.8 },
    'drover version': { run: () => timeExit([CLI, 'version']), goal: 1.8 },
    'drover validate FILE': { run: () => timeExit([CLI, 'validate', JOB]), goal: 1.8 },
    'drover plan, 1st request': { run: () => timeFirstRequest(server, address), goal: 2 },
    'drover --help, no cache': { run: () => timeExit([CLI, '--help'], cold) },
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const { run } of Object.values(cases)) await run(); // warm the file cache and the compile cache
  for (let i = 0; i < RUNS; i++)
    for (const [name, { run }] of Object.entries(cases)) samples[name]!.push(await run());
  server.close();
  const baseline = median(samples['node -e 0']!);
  console.log(`startup (${RUNS} runs each, alternating; ms, median and min)`);
  for (const [name, values] of Object.entries(samples)) {
    const ratio = median(values) / baseline;
    const goal = cases[name]!.goal;
    const verdict = goal === undefined ? '' : `  goal ≤ ${goal}×: ${ratio <= goal ? 'met' : 'NOT met'}`;
    console.log(
      `  ${name.padEnd(26)} median ${median(values).toFixed(1).padStart(6)}  min ${Math.min(...values)
        .toFixed(1)
        .padStart(6)}  ${ratio.toFixed(2)}× node -e 0${verdict}`,
    );
  }
}
