/**
 * What checks add to a plan: 200 jobs, read from job files as drover reads them (every field the API gets),
 * planned against the simulator with 10 ms of latency per request (as bench/plan.ts), and the project's 10 rules
 * evaluated on that plan. Goal: checks ≤ 5 % of the plan's time, the time a person waits for `drover plan`.
 * - in the CLI: the evaluation as `drover plan --log-level debug` reports it (src/actions/plan-checks.ts), every
 *   rule passing, then every rule failing (failures name their objects, which costs a second pass);
 * - warm: evaluated again and again in this process, to follow the evaluator's own speed;
 * - whole command: `drover plan` of 200 job files with and without the 10 checks, each a fresh process, in turn,
 *   each side with its own code cache (src/cli/compile-cache.cts), made by a first run that is not counted.
 * The masking of the plan is reported apart: the plan's rendering shares it (src/plan/mask.ts), so a plan without
 * checks pays it too.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const CLI_RUNS = sized(11, 1);
const COMMAND_RUNS = sized(21, 1);

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

/** One `drover plan` in a fresh process: its time, and what it said on stderr. */
const plan = (dir: string, env: Record<string, string>) => {
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/run.cjs'), 'plan', dir], {
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  // A failed error-level check makes plan exit 1.
  if (run.status !== 0 && run.status !== 1) throw new Error(`drover plan ${dir} exited ${run.status}`);
  return { ms: performance.now() - started, stderr: run.stderr };
};

const CHECKS_LINE =
  /^debug: checks: (\d+) evaluated on \d+ changes? in ([\d.]+) ms \(([^)]*)\), after ([\d.]+) ms masking/m;

/** The checks' evaluation as the CLI reports it (--log-level debug), median of `runs`, after one unmeasured run. */
function cliChecks(dir: string, env: Record<string, string>, runs: number) {
  const reports = Array.from({ length: runs + 1 }, () => {
    const line = CHECKS_LINE.exec(plan(dir, { ...env, DROVER_LOG: 'debug' }).stderr);
    if (!line) throw new Error(`drover plan ${dir} reported no checks`);
    return { ms: Number(line[2]), maskMs: Number(line[4]), results: line[3]! };
  }).slice(1);
  return {
    ms: median(reports.map((r) => r.ms)),
    maskMs: median(reports.map((r) => r.maskMs)),
    results: reports[0]!.results,
  };
}

/** Project directories of the same 200 job files: the 10 checks passing, the 10 failing, and none. */
function projects(root: string) {
  const rulesOf = { passing: rules(false), failing: rules(true), none: '' };
  const dirs = { passing: join(root, 'passing'), failing: join(root, 'failing'), none: join(root, 'none') };
  for (const [which, dir] of Object.entries(dirs)) {
    mkdirSync(join(dir, '.git'), { recursive: true });
    writeFileSync(join(dir, 'drover.hcl'), `stack = "bench-command"\n${rulesOf[which as keyof typeof dirs]}`);
  }
  const write = (image: (i: number) => string) => {
    for (const dir of Object.values(dirs))
      for (let i = 0; i < JOBS; i++) writeFileSync(join(dir, `cmd-${i}.nomad.hcl`), jobFile(i, image(i)));
  };
  return { dirs, write };
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
  const commands = projects(root);
  commands.write(() => 'example/cmd:1.0');
  const applied = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/run.cjs'), 'apply', commands.dirs.passing, '--auto-approve'],
    { env: { ...cleanEnv(), NOMAD_ADDR: address }, stdio: 'ignore' },
  );
  if (applied.status !== 0) throw new Error(`drover apply exited ${applied.status}`);
  commands.write((i) => (i % 5 === 0 ? 'example/cmd:2.0' : 'example/cmd:1.0'));
  await control('fault', { kind: 'latency', latencyMs: 10 });

  // Each project its own code cache, as each is a user's own project; their first runs make it.
  const env = (which: keyof typeof commands.dirs) => ({
    NOMAD_ADDR: address,
    DROVER_COMPILE_CACHE: join(root, `cache-${which}`),
  });
  const inCli = {
    passing: cliChecks(commands.dirs.passing, env('passing'), CLI_RUNS),
    failing: cliChecks(commands.dirs.failing, env('failing'), CLI_RUNS),
  };
  const whole = { checks: [] as number[], none: [] as number[] };
  for (let i = 0; i <= COMMAND_RUNS; i++) {
    const checks = plan(commands.dirs.passing, env('passing')).ms;
    const none = plan(commands.dirs.none, env('none')).ms;
    if (i === 0) continue;
    whole.checks.push(checks);
    whole.none.push(none);
  }
  const ratios = whole.checks.map((ms, i) => ms / whole.none[i]!);

  const settings = planSettings({ address, stack: 'bench' });
  const built = await buildPlan({ client, desired: { job: { jobs: desired } }, settings });
  await client.close();
  planForDisplay(built, { showSensitive: false });
  const time = new Date();
  const warm = (dir: string, runs: number) => {
    const project = readChecks(dir);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      evaluateChecks(project, built, { time });
      times.push(performance.now() - started);
    }
    return median(times);
  };
  warm(commands.dirs.passing, 3);
  warm(commands.dirs.failing, 3);
  const warmPassing = warm(commands.dirs.passing, 11);
  const warmFailing = warm(commands.dirs.failing, 11);

  const planMs = median(whole.none);
  const share = (ms: number) => `${((ms / planMs) * 100).toFixed(1)} % of the plan (goal ≤ 5 %)`;
  console.log(
    `checks, ${JOBS} jobs, 10 rules, on a drover plan of ${(planMs / 1000).toFixed(2)} s without them (median of ${whole.none.length} runs, 10 ms latency)`,
  );
  for (const [what, r] of [
    ['in the CLI, all pass', inCli.passing],
    ['in the CLI, all fail', inCli.failing],
  ] as const)
    console.log(
      `  ${what}: ${r.ms.toFixed(1)} ms (${r.results}; median of ${CLI_RUNS} runs), ${share(r.ms)}`,
    );
  console.log(
    `  warm, evaluated again in one process: all pass ${warmPassing.toFixed(1)} ms, all fail ${warmFailing.toFixed(1)} ms`,
  );
  console.log(
    `  masking the plan, which its rendering shares (in the CLI): ${inCli.passing.maskMs.toFixed(1)} ms, ${((inCli.passing.maskMs / planMs) * 100).toFixed(1)} % of the plan`,
  );
  console.log(
    `  drover plan, whole command: ${(median(whole.checks) / 1000).toFixed(2)} s with the 10; ratio ${median(ratios).toFixed(3)} (median of ${ratios.length} pairs, ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`,
  );
}
