/**
 * Runs hostile job files (test/unit/source/hostile-fuzz.test.ts) in a Node of its own, started with
 * --max-old-space-size=512 --expose-gc --single-threaded-gc and the arguments `manifest.json cpuLimitMs`: each
 * file through validate, render, plan's local path against a Nomad that runs the job as the file has it, fmt, fmt
 * of what fmt wrote, and plan's local path against a Nomad without the job, as drover's commands run them. Each
 * step is one command, measured alone: what the harness does around it is not, and what it keeps for a later
 * step (the job, the formatted text) it lets go once no step needs it, so that no step's garbage collector works
 * through the harness's memory as well as drover's. It reads case numbers
 * on stdin, one a line, and writes one JSON line per event on stdout, synchronously, so that the test knows which
 * step was running when the process is stopped or dies: `ready`, then per step `start` and `step` (its time, its
 * peak resident memory and the broken promises), and `done` per case.
 */
import { readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { formatFiles, type FormattedFile } from '../../src/actions/format-files.js';
import { planJobs } from '../../src/actions/plan-jobs.js';
import { UserError } from '../../src/errors.js';
import type { NomadClient } from '../../src/nomad/client.js';
import type { Job, JobSubmission } from '../../src/nomad/types.js';
import { planForDisplay } from '../../src/plan/mask.js';
import { renderPlanHuman } from '../../src/render/plan-human.js';
import { renderValidationHuman } from '../../src/render/validation.js';
import { formatHcl } from '../../src/source/hcl/format.js';
import { renderJobJson } from '../../src/source/job-json.js';
import { loadJob, type LoadedJob } from '../../src/source/load-job.js';
import { decodeSourceText } from '../../src/source/source-text.js';
import { summarizeValidation } from '../../src/source/validation.js';

const STEPS = ['validate', 'render', 'plan existing', 'fmt', 'fmt again', 'plan new'] as const;
export type StepName = (typeof STEPS)[number] | 'probe';

/** One case as the test wrote it to disk. */
export interface RunnerCase {
  readonly index: number;
  /** The job file, absolute; its directory holds the files it reads. */
  readonly path: string;
  readonly allowFilesystem: boolean;
  readonly env: Readonly<Record<string, string>>;
  /** Instead of drover's steps, what the harness must catch (its own test): 600 MB held, a spin, a block. */
  readonly probe?: 'ballast' | 'spin' | 'block';
}

export type RunnerMessage =
  | { readonly type: 'ready'; readonly rssMb: number }
  | { readonly type: 'start'; readonly case: number; readonly step: StepName }
  | StepReport
  | { readonly type: 'done'; readonly case: number; readonly faults: readonly string[] }
  /** From the watcher, just before it ends the process: the running step used more CPU than it may. */
  | { readonly type: 'overrun'; readonly cpuMs: number };

export interface StepReport {
  readonly type: 'step';
  readonly case: number;
  readonly step: StepName;
  /** Wall-clock time. */
  readonly ms: number;
  /** CPU time: what the step costs whatever else the machine runs (the runner collects garbage on one thread). */
  readonly cpuMs: number;
  /** The most resident memory the process held during the step, less what it held when the case began. */
  readonly growthMb: number;
  /** What the step came to: a job, errors, a refusal. */
  readonly outcome: string;
  /** Every broken promise: a thrown exception, an unpositioned diagnostic, an engine error passed off as one. */
  readonly faults: readonly string[];
}

interface Outcome {
  readonly outcome: string;
  readonly faults: readonly string[];
}

interface CaseState {
  readonly c: RunnerCase;
  loaded?: LoadedJob;
  /** What fmt made of the file, when it formats it. */
  formatted?: string;
}

const MB = 1024 * 1024;
/** Messages of JavaScript's own errors: drover let one through as if it were about the job file. */
const ENGINE_MESSAGE =
  /Maximum call stack size exceeded|Invalid string length|Invalid array length|Array buffer allocation failed|Cannot read properties of|Cannot set properties of|is not a function|is not iterable|is not defined|Cannot convert|Cannot mix BigInt|Maximum BigInt size|Division by zero|Invalid count value|Invalid time value|URI malformed|Invalid code point|\[object Object\]/;
/** A handful of faults say what is wrong; thousands would drown the report. */
const MAX_FAULTS = 5;

function send(message: RunnerMessage): void {
  writeSync(1, `${JSON.stringify(message)}\n`);
}

// ---- the steps -----------------------------------------------------------------------------------------

/** `drover validate`: the file's bytes read as drover reads them, loaded, and the report it prints. */
function validate(state: CaseState): Outcome {
  const { c } = state;
  const text = decodeSourceText(readFileSync(c.path));
  const loaded = loadJob(c.path, text, { env: c.env, allowFilesystem: c.allowFilesystem });
  state.loaded = loaded;
  renderValidationHuman(summarizeValidation([loaded]));
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
  const faults = diagnosticFaults(loaded, text, c);
  if (errors > 0 === (loaded.job !== undefined))
    faults.push(`${errors} errors, yet ${loaded.job ? 'a job' : 'no job'}`);
  return { outcome: loaded.job ? 'a job' : `${errors} errors: ${loaded.diagnostics[0]?.summary}`, faults };
}

function diagnosticFaults(loaded: LoadedJob, text: string, c: RunnerCase): string[] {
  // The file's lines, whichever line ends a reader counts.
  const lines = Math.max(text.split('\n').length, text.split(/\r\n?|\n/).length);
  const files = new Set([c.path, ...Object.keys(c.env)]);
  const faults: string[] = [];
  for (const d of loaded.diagnostics) {
    const { file, start } = d.range;
    const at = `${start.line}:${start.column} "${d.summary}"`;
    if (!files.has(file)) faults.push(`${at} names the file ${file}`);
    if (!(start.line >= 1) || (file === c.path && start.line > lines))
      faults.push(`${at} is at a line the file (${lines} lines) does not have`);
    if (!(start.column >= 1)) faults.push(`${at} has no column`);
    if (!d.summary || /internal error/i.test(d.summary)) faults.push(`${at} is an internal error`);
    const said = `${d.summary} ${d.detail ?? ''}`;
    if (ENGINE_MESSAGE.test(said))
      faults.push(`${at} passes off a JavaScript error as a diagnostic: ${said.slice(0, 300)}`);
  }
  return faults;
}

/** `drover render`: the loaded job as `nomad job run -output` prints it, which must be JSON. */
function render(state: CaseState): Outcome {
  const job = state.loaded?.job;
  if (!job) return { outcome: 'nothing to render', faults: [] };
  const json = renderJobJson(job);
  try {
    JSON.parse(json);
    return { outcome: `${json.length} characters`, faults: [] };
  } catch (error) {
    return { outcome: 'not JSON', faults: [`renders text that is not JSON: ${(error as Error).message}`] };
  }
}

/** `drover fmt --check`: errors at their positions, or the file as fmt would write it. */
function fmt(state: CaseState): Outcome {
  const checked = formatCheck(state.c.path);
  if (typeof checked === 'string') return { outcome: checked, faults: [] };
  const faults = checked.errors
    .filter((e) => !/^job\.nomad\.hcl:[1-9]\d*:[1-9]\d*: error: \S/.test(e))
    .map((e) => `fmt error without a position: ${e.slice(0, 200)}`);
  const { after, before } = checked;
  if (after === undefined) return { outcome: `${checked.errors.length} errors`, faults };
  state.formatted = after;
  return { outcome: after === before ? 'formatted already' : 'would reformat', faults };
}

/** `drover fmt` of what fmt wrote: it must read as the same file again, formatted once and for all. */
function fmtAgain(state: CaseState): Outcome {
  const after = state.formatted;
  state.formatted = undefined;
  if (after === undefined) return { outcome: 'nothing formatted', faults: [] };
  const again = formatHcl(after, 'job.nomad.hcl');
  if (again.text === undefined)
    return {
      outcome: 'does not parse',
      faults: [`the formatted text does not parse: ${again.diagnostics[0]?.summary ?? ''}`],
    };
  if (again.text !== after)
    return { outcome: 'changes again', faults: ['formatting the formatted text changes it again'] };
  return { outcome: 'formatted already', faults: [] };
}

/** The file as `drover fmt --check` sees it, or why it refuses it (a JSON job is no HCL file). */
function formatCheck(path: string): FormattedFile | string {
  try {
    return formatFiles({ paths: [path], cwd: dirname(path), check: true })[0]!;
  } catch (error) {
    if (error instanceof UserError) return `refused (${error.code})`;
    throw error;
  }
}

/** `drover plan` without a Nomad agent, read-only, against a Nomad without the job. */
async function planNew(state: CaseState): Promise<Outcome> {
  return { outcome: await planAgainst(state.c, offlineNomad()), faults: [] };
}

/** `drover plan` as planNew, against a Nomad that runs the job as the file has it (its source kept). */
async function planExisting(state: CaseState): Promise<Outcome> {
  const loaded = state.loaded;
  state.loaded = undefined;
  const job = loaded?.job;
  if (!job) return { outcome: 'no job to run', faults: [] };
  const live = {
    ...job,
    Namespace: job.Namespace ?? 'default',
    Version: 0,
    JobModifyIndex: 7,
    Stop: false,
  } as Job;
  const submission = loaded.submission && {
    ...loaded.submission,
    Namespace: 'default',
    JobID: String(job.ID),
    Version: 0,
    JobModifyIndex: 7,
  };
  return { outcome: await planAgainst(state.c, offlineNomad(live, submission)), faults: [] };
}

async function planAgainst(c: RunnerCase, client: NomadClient): Promise<string> {
  try {
    const { plan } = await planJobs({
      connect: () => client,
      paths: [c.path],
      cwd: dirname(c.path),
      env: c.env,
      readOnly: true,
    });
    const text = renderPlanHuman(planForDisplay(plan, { showSensitive: false }), { color: false });
    return `${plan.changes.map((change) => change.action).join(', ')} (${text.length} characters)`;
  } catch (error) {
    if (error instanceof UserError) return `refused (${error.code})`;
    throw error;
  }
}

/** What plan asks of Nomad in read-only mode, answered from memory: the job as given, its source, every namespace. */
function offlineNomad(live?: Job, submission?: JobSubmission): NomadClient {
  return {
    address: 'http://nomad.invalid:4646',
    jobs: {
      find: async () => ({ body: live ?? null }),
      submission: async () => ({ body: submission }),
    },
    namespaces: { exists: async () => true },
  } as unknown as NomadClient;
}

// ---- the probes of the harness's own test ---------------------------------------------------------------

let ballast: Buffer | undefined;

const PROBES: Record<NonNullable<RunnerCase['probe']>, () => Outcome> = {
  ballast: () => {
    ballast = Buffer.alloc(600 * MB, 1);
    return { outcome: `holds ${ballast.length / MB} MB`, faults: [] };
  },
  spin: () => {
    for (;;);
  },
  block: () => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    return { outcome: 'woke', faults: [] };
  },
};

// ---- running cases --------------------------------------------------------------------------------------

const STEP_RUNNERS: Record<(typeof STEPS)[number], (state: CaseState) => Outcome | Promise<Outcome>> = {
  validate,
  render,
  fmt,
  'fmt again': fmtAgain,
  'plan new': planNew,
  'plan existing': planExisting,
};

/**
 * Shared with the watcher: [0] the peak resident bytes of the step numbered [1], which began at [2] microseconds
 * of CPU (Infinity between steps). The main thread sets [2], then bumps [1], at each step's start.
 */
const watched = new Float64Array(new SharedArrayBuffer(24));
watched[2] = Infinity;
/**
 * A thread that runs while a step blocks this one: it samples resident memory every 2 ms, and ends the process
 * (saying so first) when a step has used more CPU than it may: a hang costs its limit, not the clock's deadline.
 */
const watcher = new Worker(
  `const { workerData } = require('node:worker_threads');
   const { writeSync } = require('node:fs');
   const watched = new Float64Array(workerData.buffer);
   let step = -1;
   setInterval(() => {
     if (watched[1] !== step) { step = watched[1]; watched[0] = 0; }
     watched[0] = Math.max(watched[0], process.memoryUsage.rss());
     const { user, system } = process.cpuUsage();
     const cpuMs = (user + system - watched[2]) / 1000;
     if (cpuMs <= workerData.cpuLimitMs) return;
     writeSync(1, JSON.stringify({ type: 'overrun', cpuMs: Math.round(cpuMs) }) + '\\n');
     process.kill(process.pid, 'SIGKILL');
   }, 2);`,
  { eval: true, workerData: { buffer: watched.buffer, cpuLimitMs: Number(process.argv[3]) } },
);
watcher.unref();

const prototypesNow = () =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((p) => Object.getOwnPropertyNames(p).join())
    .join('|');

async function runStep(state: CaseState, step: StepName, caseStartRss: number): Promise<void> {
  globalThis.gc?.();
  send({ type: 'start', case: state.c.index, step });
  const cpuBefore = process.cpuUsage();
  watched[2] = cpuBefore.user + cpuBefore.system;
  watched[1] = (watched[1] ?? 0) + 1;
  const started = performance.now();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let result: Outcome;
  try {
    result = step === 'probe' ? PROBES[state.c.probe!]() : await STEP_RUNNERS[step](state);
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    result = {
      outcome: 'threw',
      faults: [`threw ${text.split('\n').slice(0, 4).join(' / ').slice(0, 400)}`],
    };
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  watched[2] = Infinity;
  const maxRssAfter = process.resourceUsage().maxRSS * 1024;
  // A new high-water mark of the whole process was set during this step.
  const peak = Math.max(
    watched[0] ?? 0,
    process.memoryUsage.rss(),
    maxRssAfter > maxRssBefore ? maxRssAfter : 0,
  );
  send({
    type: 'step',
    case: state.c.index,
    step,
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    growthMb: Math.round((peak - caseStartRss) / MB),
    outcome: result.outcome.slice(0, 200),
    faults: result.faults.slice(0, MAX_FAULTS),
  });
}

async function runCase(c: RunnerCase): Promise<void> {
  // As drover's commands run: from the job file's directory (plan reads file() paths against the process's).
  process.chdir(dirname(c.path));
  globalThis.gc?.();
  const prototypes = prototypesNow();
  const state: CaseState = { c };
  const caseStartRss = process.memoryUsage.rss();
  for (const step of c.probe ? (['probe'] as const) : STEPS) await runStep(state, step, caseStartRss);
  state.loaded = undefined;
  const polluted = prototypesNow() !== prototypes || ({} as Record<string, unknown>).polluted !== undefined;
  send({ type: 'done', case: c.index, faults: polluted ? ['a prototype of the runner changed'] : [] });
}

async function main(manifestPath: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as RunnerCase[];
  globalThis.gc?.();
  send({ type: 'ready', rssMb: Math.round(process.memoryUsage.rss() / MB) });
  for await (const line of createInterface({ input: process.stdin })) await runCase(manifest[Number(line)]!);
}

await main(process.argv[2]!);
