/**
 * BENCH_SMOKE=1 shrinks every benchmark to a few seconds so that a test can check `npm run bench` still runs
 * end to end; the figures it prints then mean nothing.
 */
const SMOKE = process.env.BENCH_SMOKE === '1';

export function sized(full: number, smoke: number): number {
  return SMOKE ? smoke : full;
}
