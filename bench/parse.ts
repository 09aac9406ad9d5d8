/**
 * Parse + evaluate + map of 1000 realistic job files in one process (issue 12's goal: ≥ 3,000 files/s; the reader
 * runs on one thread, V8's garbage collector partly on others, which the CPU-time line shows). It runs the built library, dist/index.js (the reader `drover validate` runs, bundled alike; `npm run bench` builds first): through tsx
 * the same files read about 40 % slower. The cold start of `drover validate` is in startup.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as Drover from '../src/index.js';
import { sized } from './size.js';

const ROOT = join(import.meta.dirname, '..');
const JOBS = join(ROOT, 'test/fixtures/jobs');

export async function benchParse(): Promise<void> {
  // A path in a variable: the type checker reads src/, which dist/ is built from (and need not exist to lint).
  const built = '../dist/index.js';
  const { loadJob } = (await import(built)) as typeof Drover;
  // The fixture corpus: every block of the jobspec, variables, locals, functions, dynamic blocks, heredocs.
  const corpus = readdirSync(JOBS)
    .filter((f) => f.endsWith('.nomad.hcl') && !f.startsWith('43-'))
    .map((f) => ({ path: join(JOBS, f), source: readFileSync(join(JOBS, f), 'utf8') }));
  const count = sized(1000, 40);
  const files = Array.from({ length: count }, (_, i) => corpus[i % corpus.length]!);
  const bytes = files.reduce((sum, f) => sum + f.source.length, 0);
  // V8 reaches its optimised code for the reader only after a few thousand files: two untimed rounds first.
  for (let warm = 0; warm < 2; warm++) for (const f of files) loadJob(f.path, f.source, { env: {} });
  const rounds: number[] = [];
  // CPU time beside wall time: on a shared machine the wall clock also counts time other tenants took.
  const cpuRounds: number[] = [];
  for (let round = 0; round < 7; round++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (const f of files) {
      const loaded = loadJob(f.path, f.source, { env: {} });
      if (!loaded.job) throw new Error(`${f.path} did not load`);
    }
    rounds.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuRounds.push((used.user + used.system) / 1000);
  }
  const cpuMedian = [...cpuRounds].sort((a, b) => a - b)[3]!;
  const best = Math.min(...rounds);
  const median = [...rounds].sort((a, b) => a - b)[3]!;
  console.log(
    `parse + evaluate + map, ${count} job files (${(bytes / 1e6).toFixed(2)} MB, ${corpus.length} distinct), 7 rounds after 2 to warm up`,
  );
  console.log(
    `  median ${median.toFixed(0)} ms = ${((count / median) * 1000).toFixed(0)} files/s; best ${((count / best) * 1000).toFixed(0)} files/s (goal ≥ 3000)`,
  );
  console.log(
    `  CPU time: median ${cpuMedian.toFixed(0)} ms = ${((count / cpuMedian) * 1000).toFixed(0)} files per CPU-second (this process's threads, GC included)`,
  );
}
