/**
 * The file one live job is written as, chosen by what reads back exactly: Nomad's stored submission (with its
 * variables in a var file beside it), else HCL generated from the job, else JSON (for what HCL cannot say). Each
 * candidate is read with drover's own reader and compared with the live job as the planner compares; the first
 * that matches wins. When none does, the generated file is kept with a comment naming each field that differs.
 */
import { dirname } from 'node:path';
import type { Job, JobSubmission } from '../nomad/types.js';
import { hasErrors } from '../source/hcl/diagnostics.js';
import { loadJob, type LoadedJob } from '../source/load-job.js';
import { quoted, Unrepresentable } from './hcl-literals.js';
import { jobHcl } from './job-hcl.js';
import { jobJson } from './job-json.js';
import { explicitSpec, minimalSpec } from './job-spec.js';

export interface WrittenFile {
  /** Relative to the output directory. */
  readonly path: string;
  readonly text: string;
}

export interface JobFileChoice {
  readonly origin: 'submission' | 'generated';
  readonly job: WrittenFile;
  readonly varFile?: WrittenFile;
  /** The job as drover reads the file back. */
  readonly loaded?: LoadedJob;
  /** Fields that differ from the live job: empty when the file is exact. */
  readonly differing: readonly string[];
}

/** Compares a job read from a file with the live job: the fields that differ. */
export type Compare = (job: Job) => Promise<string[]>;

export interface ChoiceOptions {
  /** Where files go, absolute: file() in a submission reads relative to it. */
  readonly outDir: string;
  /** The job's files without extension, relative to outDir: "jobs/web". */
  readonly base: string;
  readonly stampKey: string;
  /** Skip the submission (it does not fit the project's shared var files). */
  readonly withoutSubmission?: boolean;
}

export async function chooseJobFile(
  live: Job,
  submission: JobSubmission | undefined,
  compare: Compare,
  options: ChoiceOptions,
): Promise<JobFileChoice> {
  const tried: JobFileChoice[] = [];
  for (const candidate of candidates(live, options.withoutSubmission ? undefined : submission, options)) {
    const loaded = read(candidate, options.outDir);
    const differing = loaded?.job
      ? await compare(loaded.job as Job)
      : ['(the file does not read back as a job)'];
    const choice = { ...candidate, ...(loaded ? { loaded } : {}), differing };
    if (differing.length === 0) return choice;
    tried.push(choice);
  }
  // None exact: the generated file, saying on top what differs (HCL when it can be written, else JSON).
  const generated = tried.find((c) => c.origin === 'generated')!;
  return { ...generated, job: withComment(generated.job, generated.differing) };
}

function* candidates(
  live: Job,
  submission: JobSubmission | undefined,
  options: ChoiceOptions,
): Generator<Omit<JobFileChoice, 'differing' | 'loaded'>> {
  if (submission) {
    const hcl = submission.Format !== 'json';
    const varText = varFileText(submission);
    yield {
      origin: 'submission',
      job: { path: `${options.base}.nomad.${hcl ? 'hcl' : 'json'}`, text: submission.Source },
      ...(hcl && varText ? { varFile: { path: `${options.base}.vars.hcl`, text: varText } } : {}),
    };
  }
  try {
    yield {
      origin: 'generated',
      job: { path: `${options.base}.nomad.hcl`, text: jobHcl(minimalSpec(live, options)) },
    };
  } catch (error) {
    if (!(error instanceof Unrepresentable)) throw error;
  }
  yield {
    origin: 'generated',
    job: { path: `${options.base}.nomad.json`, text: jobJson(explicitSpec(live, options)) },
  };
}

/** A submission's variables as one var file: its var-file text, then its -var flags (which win, as last). */
function varFileText(submission: JobSubmission): string {
  const flags = Object.entries(submission.VariableFlags ?? {}).map(
    ([name, value]) => `${name} = ${quoted(value)}`,
  );
  const text = (submission.Variables ?? '').trimEnd();
  return [text, ...flags].filter((part) => part !== '').join('\n') + (text || flags.length ? '\n' : '');
}

function read(candidate: Omit<JobFileChoice, 'differing' | 'loaded'>, outDir: string): LoadedJob | undefined {
  const path = `${outDir}/${candidate.job.path}`;
  const loaded = loadJob(path, candidate.job.text, {
    baseDir: dirname(path),
    vars: [],
    varFiles: candidate.varFile
      ? [{ path: `${outDir}/${candidate.varFile.path}`, content: candidate.varFile.text }]
      : [],
    env: {},
    // A project's shared var file sets names other jobs declare (drover sends it whole); the project check
    // (import-jobs.ts) refuses a name no job declares.
    ignoreUndeclared: true,
  });
  return hasErrors(loaded.diagnostics) || !loaded.job ? undefined : loaded;
}

function withComment(file: WrittenFile, differing: readonly string[]): WrittenFile {
  if (file.path.endsWith('.json')) return file;
  const header = [
    'drover import could not write this job exactly: a plan of this file would change these fields',
    ...differing.map((field) => `  - ${field}`),
  ];
  return { ...file, text: `${header.map((line) => `# ${line}`).join('\n')}\n\n${file.text}` };
}
