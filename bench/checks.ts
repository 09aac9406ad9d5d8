/**
 * What checks add to a plan: 200 jobs, read from job files as drover reads them (every field the API gets),
 * planned against the simulator with 10 ms of latency per request (as bench/plan.ts), and the project's 10 rules
 * evaluated on that plan. Goal: checks ≤ 5 % of the plan's time.
 * - first run: the checks' first evaluation in a fresh process, as every CLI run pays it (bench/checks-first-run.ts,
 *   compiled afresh: the CLI compiles from V8's cache after its first run, so this is the slower side);
 * - warm: evaluated again in this process, every rule passing, then every rule failing (failures name their objects,
 *   which costs a second pass);
 * - whole command: `drover plan` of 200 job files with and without the 10 checks, each a fresh process, in turn.
 * The masking of the plan is timed apart: the plan's rendering shares it (src/plan/mask.ts), so a plan without
 * checks pays it too.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { savePlanFile } from '../src/actions/plan-file.js';
import { evaluateChecks } from '../src/checks/evaluate-checks.js';
import { validateChecks } from '../src/checks/validate-checks.js';
import { NomadClient } from '../src/nomad/client.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { planForDisplay } from '../src/plan/mask.js';
import { stamp } from '../src/plan/ownership.js';
import { readEstate } from '../src/source/estate.js';
import { loadJob } from '../src/source/load-job.js';
import { readProjectDocument } from '../src/source/project-file.js';
import { cleanEnv, ROOT, startSimulatorProcess } from '../test/support/cli.js';
import { settings as planSettings } from '../test/support/plan-env.js';
import { sized } from './size.js';

const JOBS = sized(200, 10);
const FIRST_RUNS = sized(5, 1);
const COMMAND_RUNS = sized(7, 1);

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
  condition     = ${not}alltrue([for c in plan.changes : c.desired == null || try(length(c.desired.Datacenters), 0) <= 3])
  error_message = "Too many datacenters."
}
check "small_changes" {
  condition     = ${not}(length(flatten([for c in plan.changes : c.changed])) < 100000)
  error_message = "Too large."
}
`;
};

/** A job file: one group of two, a service, one docker task; `prefix`-NNN. */
const jobFile = (i: number, image: string, prefix = 'cmd') => {
  const id = `${prefix}-${String(i).padStart(3, '0')}`;
  return `job "${id}" {
  group "web" {
    count = 2
    network {
      port "http" {}
    }
    service {
      name     = "${id}"
      port     = "http"
      provider = "nomad"
    }
    task "app" {
      driver = "docker"
      config {
        image = "${image}"
      }
      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
`;
};

/** A job as drover reads it from its file (Nomad's defaults filled in, as the API gets it). */
function job(i: number, image = 'example/app:1.0') {
  const loaded = loadJob(`svc-${i}.nomad.hcl`, jobFile(i, image, 'svc'));
  if (!loaded.job) throw new Error('bench job is broken');
  return loaded.job;
}

function readChecks(dir: string) {
  const document = readProjectDocument(join(dir, 'drover.hcl'), undefined, 'drover.hcl');
  const estate = readEstate(document, { cwd: dir, namespace: 'default', values: () => ({}) });
  if (validateChecks(estate.checks, estate.checkScope).length > 0) throw new Error('bench rules are broken');
  return { checks: estate.checks, scope: estate.checkScope, sources: estate.sources };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cli = (args: string[], env: Record<string, string>) => {
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/run.cjs'), ...args], {
    env: { ...cleanEnv(), ...env },
    stdio: 'ignore',
  });
  if (run.status !== 0) throw new Error(`drover ${args.join(' ')} exited ${run.status}`);
  return performance.now() - started;
};

/** Project directories of the same 200 job files, with the 10 checks (`rules`) and without. */
function projects(root: string, rules: string) {
  const dirs = { checks: join(root, 'checks'), none: join(root, 'none') };
  for (const [which, dir] of Object.entries(dirs)) {
    mkdirSync(join(dir, '.git'), { recursive: true });
    writeFileSync(join(dir, 'drover.hcl'), `stack = "bench-command"\n${which === 'checks' ? rules : ''}`);
  }
  const write = (image: (i: number) => string) => {
    for (const dir of Object.values(dirs))
      for (let i = 0; i < JOBS; i++) writeFileSync(join(dir, `cmd-${i}.nomad.hcl`), jobFile(i, image(i)));
  };
  return { dirs, write };
}

function firstRuns(planFile: string, dir: string) {
  const runs = Array.from({ length: FIRST_RUNS }, () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bench/checks-first-run.ts'), planFile, dir],
      { env: { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`checks-first-run exited ${run.status}: ${run.stderr}`);
    return JSON.parse(run.stdout) as { maskMs: number; checksMs: number; failed: number };
  });
  return {
    ms: median(runs.map((r) => r.checksMs)),
    maskMs: median(runs.map((r) => r.maskMs)),
    failed: runs[0]!.failed,
  };
}

export async function benchChecks(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'drover-bench-checks-'));
  const sim = await startSimulatorProcess();
  try {
    await measure(root, sim.address);
  } finally {
    await sim.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function measure(root: string, address: string): Promise<void> {
  const control = (action: string, body: unknown) =>
    fetch(`${address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) });
  const client = new NomadClient({ address, connections: 64 });
  for (let i = 0; i < JOBS; i++) await client.jobs.register({ Job: stamp(job(i), 'drover.stack', 'bench') });
  const desired = Array.from({ length: JOBS }, (_, i) => ({
    job: i % 5 === 0 ? job(i, 'example/app:2.0') : job(i),
  }));
  // The whole-command projects' jobs (a stack of their own), registered by drover, one in five then changed on disk.
  const commands = projects(root, rules(false));
  commands.write(() => 'example/cmd:1.0');
  cli(['apply', commands.dirs.checks, '--auto-approve'], { NOMAD_ADDR: address });
  commands.write((i) => (i % 5 === 0 ? 'example/cmd:2.0' : 'example/cmd:1.0'));
  await control('fault', { kind: 'latency', latencyMs: 10 });
  const settings = planSettings({ address, stack: 'bench' });
  const planTimes: number[] = [];
  let plan;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    plan = await buildPlan({ client, desired: { job: { jobs: desired } }, settings });
    planTimes.push(performance.now() - started);
  }
  await client.close();
  const planFile = join(root, 'bench.plan');
  savePlanFile(planFile, plan!, 'bench');
  const ruleDirs = { passing: join(root, 'passing'), failing: join(root, 'failing') };
  for (const [which, dir] of Object.entries(ruleDirs)) {
    mkdirSync(dir);
    writeFileSync(join(dir, 'drover.hcl'), rules(which === 'failing'));
  }
  const first = firstRuns(planFile, ruleDirs.passing);
  const firstFailing = firstRuns(planFile, ruleDirs.failing);

  planForDisplay(plan!, { showSensitive: false });
  const time = new Date();
  const checked = (dir: string, runs: number) => {
    const project = readChecks(dir);
    const times: number[] = [];
    let failed = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const report = evaluateChecks(project, plan!, { time });
      times.push(performance.now() - started);
      failed = report.results.filter((r) => r.status !== 'passed').length;
    }
    return { ms: median(times), failed };
  };
  checked(ruleDirs.passing, 3);
  checked(ruleDirs.failing, 3);
  const passing = checked(ruleDirs.passing, 7);
  const failing = checked(ruleDirs.failing, 7);

  // The whole command, each run a fresh process, with and without the checks in turn (a first run each unmeasured:
  // it writes V8's code cache, as a user's first run of a version does).
  const env = { NOMAD_ADDR: address };
  const whole = { checks: [] as number[], none: [] as number[] };
  for (let i = 0; i <= COMMAND_RUNS; i++)
    for (const which of ['checks', 'none'] as const) {
      const ms = cli(['plan', commands.dirs[which]], env);
      if (i > 0) whole[which].push(ms);
    }
  const ratios = whole.checks.map((ms, i) => ms / whole.none[i]!);

  const planMs = median(planTimes);
  const share = (ms: number) => `${((ms / planMs) * 100).toFixed(1)} % of the plan (goal ≤ 5 %)`;
  console.log(
    `checks, ${JOBS} jobs, 10 rules, on a plan of ${(planMs / 1000).toFixed(2)} s (median of 3, 10 ms latency)`,
  );
  for (const [what, r] of [
    ['first run, fresh process, all pass', first],
    ['first run, fresh process, all fail', firstFailing],
    ['warm, all pass', passing],
    ['warm, all fail', failing],
  ] as const)
    console.log(`  ${what}: ${r.ms.toFixed(1)} ms (${r.failed} failed), ${share(r.ms)}`);
  console.log(
    `  masking the plan (its rendering shares it; first run): ${first.maskMs.toFixed(1)} ms, ${((first.maskMs / planMs) * 100).toFixed(1)} % of the plan`,
  );
  console.log(
    `  drover plan, whole command: ${(median(whole.none) / 1000).toFixed(2)} s without checks, ${(median(whole.checks) / 1000).toFixed(2)} s with the 10; ratio ${median(ratios).toFixed(3)} (median of ${ratios.length} pairs, ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`,
  );
}
