/**
 * Apply of 50 independent new jobs (one wave; each rollout ~2.5 s of simulated time: placement, start and a 1 s
 * min_healthy_time) on the simulator at 10× speed with 5 ms of latency per request, at several --parallelism
 * values, against one job alone (the slowest single rollout plus its registration) and one job at a time.
 * Goals at the default: ≥ 10× faster than one at a time, within 2× of one job alone.
 */
import { applyPlan } from '../src/apply/apply-plan.js';
import { DEFAULT_PARALLELISM } from '../src/apply/defaults.js';
import { NomadClient } from '../src/nomad/client.js';
import type { Job } from '../src/nomad/types.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { Simulator } from '../test/simulator/simulator.js';
import { settings as planSettings } from '../test/support/plan-env.js';
import { serviceJob } from '../test/support/simulated-nomad.js';
import { sized } from './size.js';

const JOBS = sized(50, 4);
const SPEED = sized(10, 100);

const job = (i: number): Job =>
  serviceJob(`app-${String(i).padStart(2, '0')}`, {}, { Count: 1, Update: { MinHealthyTime: 1e9 } });

/** Wall time of applying `count` new jobs at `parallelism` on a fresh simulator. */
async function applyNew(count: number, parallelism: number): Promise<{ ms: number; ok: boolean }> {
  const sim = await Simulator.start({ clock: { mode: 'realtime', speed: SPEED } });
  sim.addFault({ kind: 'latency', latencyMs: 5 });
  const client = new NomadClient({ address: sim.address });
  const settings = planSettings({ address: sim.address, stack: 'bench', maskPatterns: [] });
  const plan = await buildPlan({
    client,
    desired: { job: { jobs: Array.from({ length: count }, (_, i) => ({ job: job(i) })) } },
    settings,
  });
  const started = performance.now();
  const result = await applyPlan({ client, plan, parallelism });
  const ms = performance.now() - started;
  await client.close();
  await sim.stop();
  return { ms, ok: result.ok };
}

export async function benchApplyScale(): Promise<void> {
  const alone = await applyNew(1, 1);
  const serial = await applyNew(JOBS, 1);
  console.log(
    `apply, ${JOBS} new independent jobs (~2.5 s simulated rollout each) on the simulator at ${SPEED}× speed, 5 ms latency`,
  );
  console.log(`  one job alone:            ${(alone.ms / 1000).toFixed(2)} s`);
  console.log(`  one at a time:            ${(serial.ms / 1000).toFixed(2)} s`);
  let ok = alone.ok && serial.ok;
  for (const parallelism of [...new Set([4, 10, 16, 32, DEFAULT_PARALLELISM])].sort((a, b) => a - b)) {
    const run = await applyNew(JOBS, parallelism);
    ok &&= run.ok;
    const mark = parallelism === DEFAULT_PARALLELISM ? ' (default)' : '';
    console.log(
      `  --parallelism ${String(parallelism).padEnd(3)}${mark.padEnd(10)} ${(run.ms / 1000).toFixed(2)} s: ${(serial.ms / run.ms).toFixed(1)}× faster than one at a time, ${(run.ms / alone.ms).toFixed(2)}× one job alone`,
    );
    if (parallelism === DEFAULT_PARALLELISM)
      console.log(
        `  goals at the default: ≥ 10× faster ${serial.ms / run.ms >= 10 ? 'met' : 'NOT met'}, within 2× of one job alone ${run.ms / alone.ms <= 2 ? 'met' : 'NOT met'}`,
      );
  }
  console.log(`  all succeeded: ${ok}`);
}
