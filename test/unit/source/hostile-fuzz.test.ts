/**
 * Generated hostile job files (issue 24): each kind's generator (test/support/hostile-generators.ts) makes job
 * files aimed at drover's limits and past them, and every file goes through validate, render, fmt and plan's
 * local path. Each must end in a job or positioned diagnostics, no step past twice STEP_BUDGET_MS of CPU (a
 * hang), and the process under MEMORY_BUDGET_MB at its peak. The files run in Nodes of their own (test/support/hostile-runner.ts)
 * whose heap is capped at 512 MB, two at a time; a step that hangs is stopped, one that kills its Node is
 * reported, and the next case goes on in a new one.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import {
  HOSTILE_KINDS,
  hostileCases,
  type Fixture,
  type HostileCase,
} from '../../support/hostile-generators.js';
import type { RunnerCase, RunnerMessage, StepName, StepReport } from '../../support/hostile-runner.js';

const ROOT = join(import.meta.dirname, '../../..');
const RUNNER = join(ROOT, 'test/support/hostile-runner.ts');
/** Each a drover command, measured alone: fmt again formats what fmt wrote, plan runs against two Nomads. */
const STEPS: readonly StepName[] = ['validate', 'render', 'plan existing', 'fmt', 'fmt again', 'plan new'];
const CASES_PER_KIND = 12;
const SEED = 20261207;
/**
 * CPU time, not wall-clock time: the machine may be running other suites (a Nomad agent, the other runner), and
 * a step's cost is what it does, not what it waits for. How fast a step is belongs to the benchmarks: a step is a
 * fault here only once it passes twice this budget, where a hang is told from a slow machine.
 */
const STEP_BUDGET_MS = 3000;
/** The bound: any job file up to 10 MB validated in at most 512 MB. */
const MEMORY_BUDGET_MB = 512;
/** A step that used twice its budget of CPU has hung: its Node is stopped. */
const STEP_CPU_LIMIT_MS = 2 * STEP_BUDGET_MS;
/** A step still running after this long by the clock waits on something (a FIFO?): its Node is stopped. */
const STEP_DEADLINE_MS = 30_000;
const LANES = 2;

interface CaseResult {
  readonly steps: StepReport[];
  /** The case's own faults: it hung, its Node died, a prototype changed. */
  readonly faults: string[];
}

/** When a runner is stopped: past `cpuMs` of CPU in one step (its watcher ends it), or `wallMs` without a word. */
interface Limits {
  readonly cpuMs: number;
  readonly wallMs: number;
}

interface Run {
  readonly results: ReadonlyMap<number, CaseResult>;
  /** What a fresh runner holds before any case: a step's growth is counted on top of it. */
  readonly freshRssMb: number;
}

// ---- the files on disk ----------------------------------------------------------------------------------

function makeFixture(dir: string, fixture: Fixture): void {
  const path = join(dir, fixture.name);
  switch (fixture.type) {
    case 'fifo':
      execFileSync('mkfifo', [path]);
      break;
    case 'sparse':
      writeFileSync(path, '');
      truncateSync(path, fixture.bytes);
      break;
    case 'symlink':
      symlinkSync(fixture.target, path);
      break;
    case 'tree': {
      const deepest = join(path, ...Array<string>(fixture.depth).fill('d'));
      mkdirSync(deepest, { recursive: true });
      for (let i = 0; i < fixture.width; i++) writeFileSync(join(deepest, `${'f'.repeat(100)}${i}.txt`), '');
    }
  }
}

function writeCase(root: string, index: number, c: HostileCase): RunnerCase {
  const dir = join(root, String(index));
  mkdirSync(dir);
  const path = join(dir, c.fileName);
  writeFileSync(path, c.source);
  for (const fixture of c.fixtures) makeFixture(dir, fixture);
  return { index, path, allowFilesystem: c.allowFilesystem, env: c.env };
}

// ---- the runners ----------------------------------------------------------------------------------------

type Runner = ReturnType<typeof startRunner>;

function startRunner(manifest: string, cpuLimitMs: number) {
  const node = ['--import', 'tsx', '--max-old-space-size=512', '--expose-gc', '--single-threaded-gc'];
  const child = spawn(process.execPath, [...node, RUNNER, manifest, String(cpuLimitMs)], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-1000)));
  // A runner that died takes no more cases: what it was doing is reported from its output.
  child.stdin.on('error', () => {});
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    run: (index: number) => child.stdin.write(`${index}\n`),
    /** The runner's next message, or why none came within `ms`. */
    async next(ms: number): Promise<RunnerMessage | { type: 'hung' | 'died' }> {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
      const line = await Promise.race([lines.next(), late]);
      clearTimeout(timer);
      if (line === 'hung') return { type: 'hung' };
      return line.done ? { type: 'died' } : (JSON.parse(line.value as string) as RunnerMessage);
    },
    lastWords: () => stderr.trim().split('\n').slice(-3).join(' / '),
    stop: () => child.kill('SIGKILL'),
  };
}

/** One case in the runner: what it reported, and whether the runner lives to take another. */
async function runOne(runner: Runner, index: number, limits: Limits) {
  const result: CaseResult = { steps: [], faults: [] };
  const stopped = (fault: string) => {
    result.faults.push(fault);
    return { result, alive: false };
  };
  runner.run(index);
  let step: StepName | undefined;
  for (;;) {
    const message = await runner.next(limits.wallMs);
    switch (message.type) {
      case 'start':
        step = message.step;
        break;
      case 'step':
        result.steps.push(message);
        break;
      case 'done':
        result.faults.push(...message.faults);
        return { result, alive: true };
      case 'overrun':
        return stopped(
          `${step} used ${message.cpuMs} ms of CPU, past the limit of ${limits.cpuMs / 1000} s: stopped`,
        );
      case 'hung':
        return stopped(`${step} did not end within ${limits.wallMs / 1000} s`);
      case 'died':
        return stopped(`its Node died during ${step}: ${runner.lastWords()}`);
    }
  }
}

/** Runs queued cases in the runner until the queue is empty or the runner is stopped or dies. */
async function feed(runner: Runner, queue: number[], results: Map<number, CaseResult>, limits: Limits) {
  for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
    const { result, alive } = await runOne(runner, index, limits);
    results.set(index, result);
    if (!alive) return;
  }
}

/** Every case of the manifest, LANES runners at a time, each taking the next case when it is done with one. */
async function runAll(manifest: string, count: number, limits: Limits): Promise<Run> {
  const queue = Array.from({ length: count }, (_, i) => i);
  const results = new Map<number, CaseResult>();
  const fresh: number[] = [];
  const lane = async () => {
    while (queue.length > 0) {
      const runner = startRunner(manifest, limits.cpuMs);
      try {
        const ready = await runner.next(60_000);
        if (ready.type !== 'ready') throw new Error(`the runner did not start: ${runner.lastWords()}`);
        fresh.push(ready.rssMb);
        await feed(runner, queue, results, limits);
      } finally {
        runner.stop();
      }
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  return { results, freshRssMb: Math.max(...fresh) };
}

function runCases(
  root: string,
  cases: readonly (HostileCase | Omit<RunnerCase, 'index' | 'path'>)[],
  limits: Limits,
) {
  const runnerCases = cases.map((c, i) =>
    'kind' in c ? writeCase(root, i, c) : { ...c, index: i, path: join(root, 'none') },
  );
  const manifest = join(root, 'manifest.json');
  writeFileSync(manifest, JSON.stringify(runnerCases));
  return runAll(manifest, runnerCases.length, limits);
}

// ---- the tests ------------------------------------------------------------------------------------------

const cases = HOSTILE_KINDS.flatMap((kind, k) =>
  fc.sample(hostileCases[kind], { seed: SEED + k, numRuns: CASES_PER_KIND }),
);
const root = mkdtempSync(join(tmpdir(), 'drover-hostile-'));
let run: Run;

beforeAll(async () => {
  run = await runCases(root, cases, { cpuMs: STEP_CPU_LIMIT_MS, wallMs: STEP_DEADLINE_MS });
}, 600_000);

afterAll(() => {
  // HOSTILE_REPORT=file.json keeps every step's time, memory and outcome, to find the slowest and hungriest.
  if (process.env.HOSTILE_REPORT && run)
    writeFileSync(
      process.env.HOSTILE_REPORT,
      JSON.stringify(
        {
          freshRssMb: run.freshRssMb,
          cases: cases.map((c, i) => ({ kind: c.kind, label: c.label, ...run.results.get(i) })),
        },
        null,
        1,
      ),
    );
  rmSync(root, { recursive: true, force: true });
});

/** "label: what", for each case of the kind and each thing `check` finds in its result. */
function findings(kind: string, check: (result: CaseResult) => string[]): string[] {
  return cases.flatMap((c, i) =>
    c.kind === kind ? check(run.results.get(i)!).map((f) => `${c.label}: ${f}`) : [],
  );
}

describe.each(HOSTILE_KINDS)('generated hostile job files: %s', (kind) => {
  it('each goes through validate, render, fmt and plan to a job or positioned diagnostics, never a crash or a hang', () => {
    expect(
      findings(kind, (result) => {
        const stepFaults = result.steps.flatMap((r) => r.faults.map((f) => `${r.step}: ${f}`));
        const ran = result.steps.map((r) => r.step);
        const unfinished =
          result.faults.length === 0 && ran.join() !== STEPS.join() ? [`ran only ${ran.join(', ')}`] : [];
        return [...result.faults, ...stepFaults, ...unfinished];
      }),
    ).toEqual([]);
  });

  it(`holds at most ${MEMORY_BUDGET_MB} MB per step`, () => {
    expect(
      findings(kind, (result) =>
        result.steps
          .filter((r) => run.freshRssMb + r.growthMb > MEMORY_BUDGET_MB)
          .map((r) => `${r.step} peaked at ${run.freshRssMb + r.growthMb} MB`),
      ),
    ).toEqual([]);
  });
});

describe('the hostile files harness', () => {
  it('finds a step that holds 600 MB over the budget, and stops one that spins or one that blocks', async () => {
    const probeRoot = mkdtempSync(join(tmpdir(), 'drover-hostile-probe-'));
    try {
      const probes = await runCases(
        probeRoot,
        (['ballast', 'spin', 'block'] as const).map((probe) => ({ allowFilesystem: false, env: {}, probe })),
        // The wall clock leaves room for a loaded machine: the spinning probe must reach its CPU limit first.
        { cpuMs: 2000, wallMs: 10_000 },
      );
      const [ballast, spin, block] = [0, 1, 2].map((i) => probes.results.get(i)!);
      expect(probes.freshRssMb + ballast!.steps[0]!.growthMb).toBeGreaterThan(MEMORY_BUDGET_MB);
      expect(spin!.faults).toEqual([
        expect.stringMatching(/^probe used \d+ ms of CPU, past the limit of 2 s: stopped$/),
      ]);
      expect(block!.faults).toEqual(['probe did not end within 10 s']);
    } finally {
      rmSync(probeRoot, { recursive: true, force: true });
    }
  }, 60_000);
});
