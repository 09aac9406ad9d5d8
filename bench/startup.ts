/**
 * Cold start of the built CLI against `node -e 0` on the same machine (goal: `drover --help` ≤ 2.5× node -e 0).
 * Each run is a fresh process; runs alternate so that machine noise hits both sides alike.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { sized } from './size.js';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? sized(15, 2));

function time(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { mean, median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]! };
}

export function benchStartup(): void {
  const cases: Record<string, string[]> = {
    'node -e 0': ['-e', '0'],
    'drover --help': [join(ROOT, 'bin/run.js'), '--help'],
    'drover version': [join(ROOT, 'bin/run.js'), 'version'],
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const args of Object.values(cases)) time(args); // warm the file cache
  for (let i = 0; i < RUNS; i++)
    for (const [name, args] of Object.entries(cases)) samples[name]!.push(time(args));
  const baseline = stats(samples['node -e 0']!).mean;
  console.log(`startup (${RUNS} runs each, ms)`);
  for (const [name, values] of Object.entries(samples)) {
    const s = stats(values);
    console.log(
      `  ${name.padEnd(16)} mean ${s.mean.toFixed(1).padStart(6)}  median ${s.median.toFixed(1).padStart(6)}  min ${s.min.toFixed(1).padStart(6)}  ${(s.mean / baseline).toFixed(2)}× node -e 0`,
    );
  }
  const ratio = stats(samples['drover --help']!).mean / baseline;
  console.log(
    `  goal drover --help ≤ 2.5× node -e 0: ${ratio <= 2.5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}×)`,
  );
}
