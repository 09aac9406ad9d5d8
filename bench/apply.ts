/**
 * 100 jobs updated on the simulator (3 allocations each replaced one at a time, min_healthy_time 30s: over a
 * minute of simulated time per rollout), watched by drover's default (the event stream) and by --watch blocking,
 * against a baseline written here that polls each job's deployment once per second. The simulator runs 20× faster
 * than real time and the baseline polls every simulated second, so all see the same cluster. Goals for the default:
 * ≥ 10× fewer requests than the poller; completion noticed ≤ 50 ms (p95) after it happens.
 */
import { applyPlan } from '../src/apply/apply-plan.js';
import { NomadClient } from '../src/nomad/client.js';
import type { Job } from '../src/nomad/types.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { stamp } from '../src/plan/ownership.js';
import { Simulator } from '../test/simulator/simulator.js';
import { settings as planSettings } from '../test/support/plan-env.js';
import { serviceJob, withImage } from '../test/support/simulated-nomad.js';
import { sized } from './size.js';

const JOBS = sized(100, 3);
const SPEED = sized(20, 100);

const job = (i: number, prefix: string, image = 'example/app:1.0'): Job =>
  withImage(
    serviceJob(
      `${prefix}-${String(i).padStart(3, '0')}`,
      {},
      { Count: 3, Update: { MaxParallel: 1, MinHealthyTime: 30e9 } },
    ),
    image,
  );

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A simulator where every job already runs version 0 (not measured): the measured part is the update. */
async function start(prefix: string) {
  const sim = await Simulator.start({ clock: { mode: 'realtime', speed: SPEED } });
  const client = new NomadClient({ address: sim.address, connections: 256 });
  const settings = planSettings({ address: sim.address, stack: 'bench', maskPatterns: [] });
  const initial = await buildPlan({
    client,
    desired: { job: { jobs: Array.from({ length: JOBS }, (_, i) => ({ job: job(i, prefix) })) } },
    settings,
  });
  await applyPlan({ client, plan: initial, parallelism: JOBS });
  // When each deployment really finished, by the simulator's own account (real milliseconds).
  const finishedAt = new Map<string, number>();
  sim.ctx.store.onEvents((batch) => {
    for (const event of batch.Events) {
      const deployment = event.Payload.Deployment as { JobID: string; Status: string } | undefined;
      if (event.Topic === 'Deployment' && deployment?.Status === 'successful')
        finishedAt.set(deployment.JobID, performance.now());
    }
  });
  return { sim, client, finishedAt, settings };
}

interface Run {
  readonly wall: number;
  readonly requests: number;
  readonly delays: number[];
}

async function withDrover(watchWith: 'blocking' | 'events'): Promise<Run & { ok: boolean }> {
  const { sim, client, finishedAt, settings } = await start('drover');
  const plan = await buildPlan({
    client,
    desired: {
      job: { jobs: Array.from({ length: JOBS }, (_, i) => ({ job: job(i, 'drover', 'example/app:2.0') })) },
    },
    settings,
  });
  const noticed = new Map<string, number>();
  const before = sim.requests.length;
  const started = performance.now();
  const result = await applyPlan({
    client,
    plan,
    parallelism: JOBS,
    watchWith,
    emit: (event) => {
      if (event.type === 'finished') noticed.set(event.result.address.name, performance.now());
    },
  });
  const run = {
    wall: performance.now() - started,
    requests: sim.requests.length - before,
    delays: [...noticed].map(([id, at]) => at - finishedAt.get(id)!),
  };
  await client.close();
  await sim.stop();
  return { ...run, ok: result.ok };
}

async function withPolling(): Promise<Run> {
  const { sim, client, finishedAt } = await start('poll');
  const noticed = new Map<string, number>();
  const before = sim.requests.length;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: JOBS }, async (_, i) => {
      const spec = job(i, 'poll', 'example/app:2.0');
      await client.jobs.register({ Job: stamp(spec, 'drover.stack', 'bench') });
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 1000 / SPEED));
        const { body } = await client.jobs.latestDeployment(String(spec.ID));
        if (body?.JobVersion === 1 && body.Status === 'successful') {
          noticed.set(String(spec.ID), performance.now());
          return;
        }
      }
    }),
  );
  const run = {
    wall: performance.now() - started,
    requests: sim.requests.length - before,
    delays: [...noticed].map(([id, at]) => at - finishedAt.get(id)!),
  };
  await client.close();
  await sim.stop();
  return run;
}

export async function benchApply(): Promise<void> {
  const events = await withDrover('events');
  const drover = await withDrover('blocking');
  const polling = await withPolling();
  const describe = (name: string, r: Run) =>
    `  ${name.padEnd(26)} ${(r.wall / 1000).toFixed(1)} s wall, ${r.requests} requests (${(r.requests / JOBS).toFixed(1)}/job), completion noticed after median ${percentile(r.delays, 50).toFixed(1)} ms, p95 ${percentile(r.delays, 95).toFixed(1)} ms, max ${Math.max(...r.delays).toFixed(1)} ms`;
  console.log(
    `apply, ${JOBS} jobs updated (3 allocations each replaced one at a time) on the simulator at ${SPEED}× speed`,
  );
  console.log(describe('drover (event stream)', events));
  console.log(describe('drover --watch blocking', drover));
  console.log(describe('polling every 1 s (sim)', polling));
  const fewer = polling.requests / events.requests;
  const p95 = percentile(events.delays, 95);
  console.log(
    `  fewer requests than polling: event stream ${fewer.toFixed(1)}×, blocking queries ${(polling.requests / drover.requests).toFixed(1)}×; all succeeded: ${drover.ok && events.ok}`,
  );
  console.log(
    `  goals for the default (event stream): ≥ 10× fewer requests ${fewer >= 10 ? 'met' : 'NOT met'} (${fewer.toFixed(1)}×); completion noticed ≤ 50 ms p95 ${p95 <= 50 ? 'met' : 'NOT met'} (${p95.toFixed(1)} ms)`,
  );
}
