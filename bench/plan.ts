/**
 * Planning 200 jobs against the simulator with 10 ms of latency added to every request: one job at a time
 * (concurrency 1) against drover's default (DEFAULT_PLAN_CONCURRENCY), in the same run. Goal: ≥ 10× faster. Also peak RSS. The
 * simulator runs as its own process, as Nomad would (on a 2-core machine it still shares the CPUs).
 */
import { NomadClient } from '../src/nomad/client.js';
import { buildPlan, DEFAULT_PLAN_CONCURRENCY } from '../src/plan/build-plan.js';
import { stamp } from '../src/plan/ownership.js';
import { startSimulatorProcess } from '../test/support/cli.js';
import { settings as planSettings } from '../test/support/plan-env.js';
import { serviceJob, withImage } from '../test/support/simulated-nomad.js';
import { sized } from './size.js';

const JOBS = sized(200, 10);

const job = (i: number, image = 'example/app:1.0') =>
  withImage(serviceJob(`svc-${String(i).padStart(3, '0')}`), image);

export async function benchPlan(): Promise<void> {
  const sim = await startSimulatorProcess();
  const control = (action: string, body: unknown) =>
    fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) });
  const requestCount = async () =>
    ((await (await control('requests', {})).json()) as { count: number }).count;
  const client = new NomadClient({ address: sim.address, connections: 64 });
  for (let i = 0; i < JOBS; i++) await client.jobs.register({ Job: stamp(job(i), 'drover.stack', 'bench') });
  // A realistic mix: a fifth of the jobs change.
  const desired = Array.from({ length: JOBS }, (_, i) => ({
    job: i % 5 === 0 ? job(i, 'example/app:2.0') : job(i),
  }));
  await control('fault', { kind: 'latency', latencyMs: 10 });
  const settings = planSettings({ address: sim.address, stack: 'bench', maskPatterns: [] });
  const run = async (concurrency?: number) => {
    const before = await requestCount();
    const started = performance.now();
    const plan = await buildPlan({ client, desired: { job: { jobs: desired } }, settings, concurrency });
    const ms = performance.now() - started;
    const updates = plan.changes.filter((c) => c.action === 'update').length;
    return { ms, requests: (await requestCount()) - before, updates };
  };
  const one = await run(1);
  // The median of three: on a 2-core machine one run swings with whatever else the CPUs do.
  const runs = [await run(), await run(), await run()].sort((a, b) => a.ms - b.ms);
  const many = runs[1]!;
  console.log(`plan, ${JOBS} jobs, 10 ms added latency per request`);
  console.log(
    `  one at a time:   ${(one.ms / 1000).toFixed(2)} s, ${one.requests} requests (${one.updates} updates)`,
  );
  console.log(
    `  default (${DEFAULT_PLAN_CONCURRENCY}):    ${(many.ms / 1000).toFixed(2)} s median of ${runs.map((r) => (r.ms / 1000).toFixed(2)).join(', ')}, ${many.requests} requests (${(one.ms / many.ms).toFixed(1)}× faster; goal ≥ 10×)`,
  );
  console.log(
    `  requests per job: ${(many.requests / JOBS).toFixed(2)} (goal ≤ 2); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  await client.close();
  await sim.stop();
}
