/**
 * What checks add to a plan: 200 jobs planned against the simulator with 10 ms of latency per request (as
 * bench/plan.ts), then the project's 10 rules read, checked offline and evaluated on that plan (masking and the
 * plan object included), once with every rule passing and once with every rule failing (failures name their
 * objects, which costs a second pass). Goal: checks ≤ 5 % of the plan's time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateChecks } from '../src/checks/evaluate-checks.js';
import { validateChecks } from '../src/checks/validate-checks.js';
import { NomadClient } from '../src/nomad/client.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { stamp } from '../src/plan/ownership.js';
import { readEstate } from '../src/source/estate.js';
import { readProjectDocument } from '../src/source/project-file.js';
import { startSimulatorProcess } from '../test/support/cli.js';
import { settings as planSettings } from '../test/support/plan-env.js';
import { serviceJob, withImage } from '../test/support/simulated-nomad.js';
import { sized } from './size.js';

const JOBS = sized(200, 10);

/** Ten rules, five of them the issue's; `failing` flips each so that every one fails on the plan. */
const rules = (failing: boolean) => {
  const not = failing ? '!' : '';
  return `
check "pinned_images" {
  condition     = ${not}alltrue([for t in plan.tasks : !endswith(try(t.config.image, ""), ":latest")])
  error_message = "Pin every image."
}
check "no_prod_deletes" {
  severity      = "warning"
  condition     = ${not}(length([for c in plan.changes : c if c.action == "delete" && c.namespace == "prod"]) == 0)
  error_message = "Deletes in prod."
}
check "shutdown_delay" {
  condition     = ${not}alltrue([for t in plan.tasks : t.shutdown_delay >= 0])
  error_message = "Give every service a shutdown_delay."
}
check "big_memory" {
  condition     = ${not}alltrue([for t in plan.tasks : t.resources.memory <= 4096 if t.action != "noop"])
  error_message = "Above 4 GiB."
}
check "no_friday_changes" {
  condition     = ${not}(formatdate("EEE", plan.time) != "Fri" || length([for c in plan.changes : c if c.action != "noop"]) >= 0)
  error_message = "No changes on Fridays."
}
check "no_drift" {
  condition     = ${not}(length(plan.drift) == 0)
  error_message = "Drift."
}
check "no_replacement" {
  condition     = ${not}alltrue([for c in plan.changes : !coalesce(c.replaces, false) || c.namespace != "prod"])
  error_message = "Replaces in prod."
}
check "docker_only" {
  condition     = ${not}alltrue([for t in plan.tasks : contains(["docker", "exec"], t.driver)])
  error_message = "Docker or exec."
}
check "known_datacenters" {
  condition     = ${not}alltrue([for c in plan.changes : c.desired == null || length(try(c.desired.Datacenters, [])) <= 3])
  error_message = "Too many datacenters."
}
check "small_changes" {
  condition     = ${not}(length(flatten([for c in plan.changes : c.changed])) < 100000)
  error_message = "Too large."
}
`;
};

const job = (i: number, image = 'example/app:1.0') =>
  withImage(serviceJob(`svc-${String(i).padStart(3, '0')}`), image);

function project(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'drover-bench-checks-'));
  try {
    writeFileSync(join(dir, 'drover.hcl'), text);
    const document = readProjectDocument(join(dir, 'drover.hcl'), undefined, 'drover.hcl');
    const estate = readEstate(document, { cwd: dir, namespace: 'default', values: () => ({}) });
    if (validateChecks(estate.checks, estate.checkScope).length > 0)
      throw new Error('bench rules are broken');
    return { checks: estate.checks, scope: estate.checkScope, sources: estate.sources };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchChecks(): Promise<void> {
  const sim = await startSimulatorProcess();
  const control = (action: string, body: unknown) =>
    fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) });
  const client = new NomadClient({ address: sim.address, connections: 64 });
  for (let i = 0; i < JOBS; i++) await client.jobs.register({ Job: stamp(job(i), 'drover.stack', 'bench') });
  const desired = Array.from({ length: JOBS }, (_, i) => ({
    job: i % 5 === 0 ? job(i, 'example/app:2.0') : job(i),
  }));
  await control('fault', { kind: 'latency', latencyMs: 10 });
  const settings = planSettings({ address: sim.address, stack: 'bench' });
  const planTimes: number[] = [];
  let plan;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    plan = await buildPlan({ client, desired: { job: { jobs: desired } }, settings });
    planTimes.push(performance.now() - started);
  }
  const time = new Date();
  // Each run masks the plan afresh (a copy of its list of changes): what a plan's rendering would share is counted.
  const checked = (failing: boolean, runs: number) => {
    const times: number[] = [];
    let failed = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const report = evaluateChecks(
        project(rules(failing)),
        { ...plan!, changes: [...plan!.changes] },
        { time },
      );
      times.push(performance.now() - started);
      failed = report.results.filter((r) => r.status !== 'passed').length;
    }
    return { ms: median(times), failed };
  };
  // Warmed up first, as a long-running process would be; a CLI run pays its first evaluation cold (below).
  const cold = checked(false, 1);
  checked(true, 3);
  const passing = checked(false, 7);
  const failing = checked(true, 7);
  const planMs = median(planTimes);
  console.log(
    `checks, ${JOBS} jobs, 10 rules, on a plan of ${(planMs / 1000).toFixed(2)} s (median of 3, 10 ms latency)`,
  );
  for (const [what, r] of [
    ['first run, cold', cold],
    ['all pass', passing],
    ['all fail', failing],
  ] as const)
    console.log(
      `  ${what}: ${r.ms.toFixed(1)} ms (${r.failed} failed), ${((r.ms / planMs) * 100).toFixed(1)} % of the plan (goal ≤ 5 %)`,
    );
  await client.close();
  await sim.stop();
}
