/**
 * One job file to Nomad API job JSON, offline: HCL2 (the files `nomad job run` takes) or API JSON. Collects every
 * diagnostic instead of stopping at the first, and keeps what registration needs (the Submission).
 */
import { dirname } from 'node:path';
import type { JobSubmissionInput } from '../nomad/types.js';
import { error, hasErrors, suggest, type Diagnostic } from './hcl/diagnostics.js';
import { MAX_ELEMENTS, type EvalContext } from './hcl/evaluate.js';
import { jobspecFunctions } from './hcl/functions.js';
import { parseHcl } from './hcl/parser.js';
import type { Value } from './hcl/types.js';
import { decodeJobBody, DecodingStopped } from './jobspec/decode.js';
import { hclPositions, jobRules } from './jobspec/job-rules.js';
import { nomadJobProblems } from './jobspec/nomad-validate/job.js';
import { placeProblems } from './jobspec/nomad-validate/findings.js';
import type { Places } from './jobspec/places.js';
import type { Verdict } from './jobspec/verdict.js';
import { readJsonJob } from './jobspec/json-job.js';
import { normalizeJob } from './jobspec/normalize.js';
import { evaluateLocals } from './jobspec/locals.js';
import { declareVariables, resolveVariables, type VariableInputs } from './jobspec/variables.js';
import { encodingProblem } from './source-text.js';
import { appendAll } from '../util/append-all.js';

export type JobJson = { [key: string]: Value };

export interface LoadOptions extends VariableInputs {
  /** file(), fileset() and friends, relative to the job file. Default true (as the Nomad CLI). */
  readonly allowFilesystem?: boolean;
  /** The directory file() paths start from: the job file's (default: `path`'s, from the process's directory). */
  readonly baseDir?: string;
  /**
   * Variables the project declares for its estate (drover.hcl): their NOMAD_VAR_ values stay out of the job's
   * submission unless the job declares them too (a Nomad Variable's value is no job's to keep).
   */
  readonly projectVariables?: readonly string[];
  /** Whose verdict the job gets where Nomad's differ (verdict.ts): a registering server's unless told. */
  readonly verdict?: Verdict;
}

export interface LoadedJob {
  readonly path: string;
  readonly format: 'hcl2' | 'json';
  /** The api Job, every field present (null where unset), as `nomad job run -output` prints it. */
  readonly job?: JobJson;
  readonly diagnostics: readonly Diagnostic[];
  /** What Nomad keeps as the job's source on registration. */
  readonly submission?: JobSubmissionInput;
  /** File texts by name, for printing diagnostics with their source lines. */
  readonly sources: ReadonlyMap<string, string>;
  /** The variables the file declares. */
  readonly declaredVariables: readonly string[];
  /**
   * The job follows from the submission alone: no function read a file, the home directory or chance (uuidv4),
   * so reading the same submission again gives the same job.
   */
  readonly selfContained?: boolean;
}

const TOP_LEVEL = ['variable', 'variables', 'locals', 'job'];

/**
 * The most the values of a job's attributes may weigh together (value-weight.ts units, about bytes): 128 Mi, two
 * of the largest value an expression may build; twenty 32 MiB strings would be 640 MB to render and send.
 */
const MAX_JOB_WEIGHT = 128 * 1024 * 1024;

/** Reads a job from its text. `path` names it in diagnostics and anchors file() calls. */
export function loadJob(path: string, source: string, options: LoadOptions = {}): LoadedJob {
  const sources = new Map<string, string>([
    [path, source],
    ...(options.varFiles ?? []).map((f) => [f.path, f.content] as const),
  ]);
  const badEncoding = [
    encodingProblem(source, path),
    ...(options.varFiles ?? []).map((f) => encodingProblem(f.content, f.path)),
  ].filter((d): d is Diagnostic => d !== undefined);
  if (badEncoding.length > 0)
    return { path, format: 'hcl2', declaredVariables: [], diagnostics: badEncoding, sources };
  if (/\.json$/i.test(path) || source.trimStart().startsWith('{')) {
    const { job, diagnostics } = readJsonJob(path, source, options.verdict ?? 'register');
    return {
      path,
      format: 'json',
      declaredVariables: [],
      ...(job && !hasErrors(diagnostics)
        ? { job, submission: { Source: source, Format: 'json' }, selfContained: true }
        : {}),
      diagnostics,
      sources,
    };
  }
  const diagnostics: Diagnostic[] = [];
  const declaredVariables: string[] = [];
  const outside = { read: false };
  const job = loadHcl(path, source, options, diagnostics, declaredVariables, outside);
  return {
    path,
    format: 'hcl2',
    declaredVariables,
    ...(job && !hasErrors(diagnostics)
      ? {
          job,
          submission: submissionOf(source, options, declaredVariables),
          selfContained: !outside.read,
        }
      : {}),
    diagnostics,
    sources,
  };
}

function loadHcl(
  path: string,
  source: string,
  options: LoadOptions,
  diagnostics: Diagnostic[],
  declaredVariables: string[],
  outside: { read: boolean },
): JobJson | undefined {
  const parsed = parseHcl(source, path);
  appendAll(diagnostics, parsed.diagnostics);
  if (hasErrors(diagnostics)) return undefined;
  const { body } = parsed;
  for (const attr of body.attributes)
    diagnostics.push(
      error(
        attr.nameRange,
        `Unsupported argument "${attr.name}"`,
        'A job file holds variable, variables, locals and job blocks; attributes belong inside them.',
      ),
    );
  for (const block of body.blocks) {
    if (TOP_LEVEL.includes(block.type)) continue;
    const hint = suggest(block.type, TOP_LEVEL);
    diagnostics.push(
      error(
        block.typeRange,
        `Unsupported block type "${block.type}"`,
        hint ? `Did you mean "${hint}"?` : 'A job file holds variable, variables, locals and job blocks.',
      ),
    );
  }
  const warnings: Diagnostic[] = [];
  const base: EvalContext = {
    variables: {},
    functions: jobspecFunctions(options.allowFilesystem ?? true),
    source,
    ...(options.allowFilesystem === false ? {} : { baseDir: options.baseDir ?? dirname(path) }),
    warnings,
    budget: { remaining: MAX_ELEMENTS },
    outside,
  };
  const declared = declareVariables(
    body.blocks.filter((b) => b.type === 'variable' || b.type === 'variables'),
    base,
    diagnostics,
  );
  appendAll(declaredVariables, declared.keys());
  const variables = resolveVariables(declared, options, base, diagnostics);
  const locals = evaluateLocals(
    body.blocks.filter((b) => b.type === 'locals'),
    { ...base, variables: { var: variables } },
    diagnostics,
  );
  const ctx: EvalContext = { ...base, variables: { var: variables, local: locals } };

  const jobs = body.blocks.filter((b) => b.type === 'job');
  if (jobs.length === 0) {
    diagnostics.push(error(body.range, 'Missing job block', 'A job block is required: job "name" { … }.'));
    return undefined;
  }
  for (const extra of jobs.slice(1))
    diagnostics.push(
      error(
        extra.typeRange,
        'Duplicate job block',
        `Only one job may be defined per file; the first one is at line ${jobs[0]!.range.start.line}. Put each job in its own file.`,
      ),
    );
  const jobBlock = jobs[0]!;
  if (jobBlock.labels.length !== 1) {
    diagnostics.push(
      error(jobBlock.typeRange, 'Missing job ID', 'A job block takes one label, its ID: job "web" { … }.'),
    );
    return undefined;
  }
  if (hasErrors(diagnostics)) return undefined;
  const places: Places = new WeakMap();
  const weight = { total: 0 };
  const verdict = options.verdict ?? 'register';
  const decoded = decodeStopping(
    () => decodeJobBody(jobBlock.body, { eval: ctx, diagnostics, places, weighed: weight, verdict }),
    diagnostics,
  );
  if (!decoded) return undefined;
  const { job, extras } = decoded;
  places.set(job, { struct: 'Job', body: jobBlock.body, block: jobBlock });
  normalizeJob(job, jobBlock.labels[0]!.value, extras);
  if (weight.total > MAX_JOB_WEIGHT) {
    diagnostics.push(
      error(
        jobBlock.typeRange,
        'Job too large',
        `The job's values come to about ${Math.round(weight.total / 1024 / 1024)} MiB as Nomad would receive them, past drover's bound of 128 MiB: no Nomad cluster takes a job that size in one request. Build fewer or smaller values.`,
      ),
    );
    return undefined;
  }
  appendAll(diagnostics, jobRules(job, hclPositions(jobBlock), verdict));
  if (!hasErrors(diagnostics))
    appendAll(diagnostics, placeProblems(nomadJobProblems(job), places, jobBlock.typeRange, verdict));
  if (((job.TaskGroups as unknown[] | null) ?? []).length === 0)
    diagnostics.push(
      error(
        jobBlock.typeRange,
        'Missing group',
        `Job "${jobBlock.labels[0]!.value}" has no group or task block; add group "name" { task "name" { … } }.`,
      ),
    );
  appendAll(diagnostics, warnings);
  return job;
}

/** The decoded job, or undefined when decoding stopped at too many errors (the last diagnostic says so). */
function decodeStopping<T>(decode: () => T, diagnostics: Diagnostic[]): T | undefined {
  try {
    return decode();
  } catch (caught) {
    if (!(caught instanceof DecodingStopped)) throw caught;
    diagnostics.push(caught.diagnostic);
    return undefined;
  }
}

/** The Submission the Nomad CLI sends (reference §11.6): the source, simple --var values, and the var files. */
/** Like Nomad's: NOMAD_VAR_ values are kept even when undeclared; a --var meant for another file of the run is not. */
function submissionOf(source: string, options: LoadOptions, declared: readonly string[]): JobSubmissionInput {
  const flags: Record<string, string> = {};
  const withheld = new Set((options.projectVariables ?? []).filter((name) => !declared.includes(name)));
  for (const [key, value] of Object.entries(options.env ?? {})) {
    const name = key.slice('NOMAD_VAR_'.length);
    if (key.startsWith('NOMAD_VAR_') && value !== undefined && !withheld.has(name)) flags[name] = value;
  }
  for (const { name, value } of options.vars ?? [])
    if (!options.ignoreUndeclared || declared.includes(name)) flags[name] = value;
  const variables = (options.varFiles ?? []).map((f) => f.content).join('\n');
  return { Source: source, Format: 'hcl2', VariableFlags: flags, Variables: variables };
}
