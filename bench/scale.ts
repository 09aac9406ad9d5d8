/**
 * A production-sized stack on the simulator (its own process, 10× speed): 2,000 jobs, each with a secret-looking
 * env value. Each drover run is a process of its own, as a user runs it; a preloaded probe reports its peak RSS
 * and the longest stall of its event loop. Goals: plan (full text, --json, --out) ≤ 5 s and ≤ 400 MB; the apply of
 * the saved plan succeeds under the stack lock, and a second apply started every 2 s meanwhile is refused each
 * time. Also printed: the plan file's size and the history variable's.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockPath } from '../src/lock/stack-lock.js';
import { startSimulatorProcess } from '../test/support/cli.js';
import { sized } from './size.js';

const ROOT = join(import.meta.dirname, '..');
const JOBS = sized(2000, 20);

/** Loaded into each drover process: at exit, its peak RSS and longest event-loop stall, into PROBE_OUT. */
const PROBE = `
const { monitorEventLoopDelay } = require('node:perf_hooks');
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify({
    rssMb: process.resourceUsage().maxRSS / 1024,
    stallMs: histogram.max / 1e6,
  }));
});
`;

interface Run {
  readonly code: number | null;
  readonly seconds: number;
  readonly rssMb: number;
  readonly stallMs: number;
  readonly stdout: string;
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-bench-scale-'));
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(join(dir, 'drover.hcl'), 'stack = "scale"\njobs  = ["jobs/*.nomad.hcl"]\n');
  for (let i = 0; i < JOBS; i++) {
    const id = `svc-${String(i).padStart(4, '0')}`;
    writeFileSync(
      join(dir, 'jobs', `${id}.nomad.hcl`),
      `job "${id}" {\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "/bin/sleep"\n        args    = ["3600"]\n      }\n      env {\n        DB_PASSWORD = "secret-${i}-pw"\n      }\n    }\n  }\n}\n`,
    );
  }
  return dir;
}

function drover(args: string[], cwd: string, address: string): Promise<Run> {
  const probe = join(cwd, 'probe.cjs');
  const out = join(cwd, `probe-${process.hrtime.bigint()}.json`);
  writeFileSync(probe, PROBE);
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', probe, join(ROOT, 'bin/run.cjs'), ...args], {
    cwd,
    env: { ...process.env, NOMAD_ADDR: address, PROBE_OUT: out, CI: 'true' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const probed = JSON.parse(readFileSync(out, 'utf8')) as { rssMb: number; stallMs: number };
      resolve({ code, seconds: (performance.now() - started) / 1000, stdout, ...probed });
    }),
  );
}

const figures = (run: Run) =>
  `${run.seconds.toFixed(2)} s, peak RSS ${run.rssMb.toFixed(0)} MB, longest event-loop stall ${run.stallMs.toFixed(0)} ms`;

/** Resolves once the stack's lock variable exists (or the apply is over), asking every 100 ms. */
async function lockTaken(address: string, over: () => boolean): Promise<void> {
  while (!over() && (await fetch(`${address}/v1/var/${lockPath('scale')}`)).status === 404)
    await new Promise((resolve) => setTimeout(resolve, 100));
}

export async function benchScale(): Promise<void> {
  const sim = await startSimulatorProcess(['--speed', '10']);
  try {
    const dir = project();
    console.log(
      `a stack of ${JOBS} jobs, each with a secret env value, on the simulator (own process, 10× speed)`,
    );
    const goal = (run: Run) => (run.seconds <= 5 && run.rssMb <= 400 ? 'met' : 'NOT met');
    for (const [name, args] of [
      ['plan (full text)', ['plan']],
      ['plan --json', ['plan', '--json']],
      ['plan --out', ['plan', '--out', 'scale.plan']],
    ] as const) {
      const run = await drover([...args], dir, sim.address);
      if (run.code !== 0) throw new Error(`${name} exited ${run.code}`);
      if (run.stdout.includes('secret-1-pw')) throw new Error(`${name} printed a secret`);
      console.log(`  ${name.padEnd(17)} ${figures(run)} (goal ≤ 5 s, ≤ 400 MB: ${goal(run)})`);
    }
    console.log(`  plan file         ${(statSync(join(dir, 'scale.plan')).size / 1e6).toFixed(1)} MB`);

    const applying = drover(['apply', 'scale.plan', '--auto-approve'], dir, sim.address);
    let refused = 0;
    let admitted = 0;
    let finished = false;
    void applying.then(() => (finished = true));
    // The second applies start once the first holds the stack's lock: reading a 16.8 MB plan may take it past 2 s
    // on a loaded machine, and a second apply that locked first would make the first one fail.
    await lockTaken(sim.address, () => finished);
    while (!finished) {
      const second = await drover(['apply', '--auto-approve'], dir, sim.address);
      if (finished) break;
      if (second.code === 1) refused++;
      else admitted++;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    const applied = await applying;
    const succeeded = applied.stdout.includes(`Apply complete: ${JOBS} succeeded.`);
    console.log(
      `  apply of the saved plan: ${figures(applied)}; ${succeeded ? 'all succeeded' : `FAILED (exit ${applied.code})`}`,
    );
    console.log(
      `  second applies meanwhile: ${refused} refused, ${admitted} let in (goal: none let in: ${admitted === 0 && refused > 0 ? 'met' : 'NOT met'})`,
    );
    const history = (await (await fetch(`${sim.address}/v1/var/drover/stacks/scale/history`)).json()) as {
      Items: { records: string };
    };
    console.log(
      `  history variable: ${(history.Items.records.length / 1024).toFixed(1)} KiB (Nomad's limit 64 KiB)`,
    );
    const replan = await drover(['plan', '--detailed-exitcode'], dir, sim.address);
    console.log(`  plan after the apply: exit ${replan.code} (goal 0), ${figures(replan)}`);
  } finally {
    await sim.stop();
  }
}
