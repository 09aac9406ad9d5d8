/**
 * Runs a composite action (action.yml) the way the GitHub Actions runner does, far enough for drover's:
 * inputs with their defaults, `${{ }}` expressions over inputs, runner, github, env and earlier steps' outputs
 * (`==` and `!=` ignoring case as GitHub does, `&&`, `||`, `!`), each step's `if`, `env` and
 * `working-directory`, `run` steps in `bash --noprofile --norc -eo pipefail` with GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH and RUNNER_TEMP, the step's outputs read back from its GITHUB_OUTPUT,
 * steps after a failure skipped, and the action's outputs. Of `uses` steps it knows actions/setup-node (nothing
 * to do: Node is here), actions/upload-artifact and actions/download-artifact (a directory per artifact name).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

export interface ActionFile {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

export interface CompositeRun {
  /** The first failed step's exit code, else 0. */
  readonly code: number;
  readonly outputs: Record<string, string>;
  readonly stdout: string;
  readonly stderr: string;
  /** The job summary the steps wrote. */
  readonly summary: string;
  /** Each step by name: whether it ran, and what a `uses` step was given. */
  readonly steps: ReadonlyArray<{ name: string; ran: boolean; with?: Record<string, string> }>;
}

export interface CompositeOptions {
  readonly actionDir: string;
  readonly inputs: Record<string, string>;
  /** The job's environment (the workflow's env and the step's own). */
  readonly env: Record<string, string | undefined>;
  /** The workspace: where steps run unless told otherwise. */
  readonly workspace: string;
  /** Artifacts of the workflow run, by name: a directory each. Upload adds to it, download reads it. */
  readonly artifacts: Map<string, string>;
}

export function loadAction(actionDir: string): ActionFile {
  return parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as ActionFile;
}

export async function runCompositeAction(options: CompositeOptions): Promise<CompositeRun> {
  const action = loadAction(options.actionDir);
  for (const name of Object.keys(options.inputs))
    if (!(name in action.inputs)) throw new Error(`Unexpected input '${name}'`);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    inputs[name] = options.inputs[name] ?? spec.default ?? '';
    if (spec.required && !inputs[name]) throw new Error(`Input required and not supplied: ${name}`);
  }
  const runnerTemp = options.env.RUNNER_TEMP ?? mkdtempSync(join(tmpdir(), 'runner-temp-'));
  const summaryFile = join(runnerTemp, `step-summary-${Date.now()}.md`);
  writeFileSync(summaryFile, '');
  const context = {
    inputs,
    runner: { temp: runnerTemp },
    github: { action_path: options.actionDir, workspace: options.workspace },
    env: options.env,
    steps: {} as Record<string, { outputs: Record<string, string>; outcome: string }>,
  };
  let code = 0;
  let stdout = '';
  let stderr = '';
  const steps: Array<{ name: string; ran: boolean; with?: Record<string, string> }> = [];
  for (const step of action.runs.steps) {
    const name = interpolate(step.name ?? step.uses ?? step.run ?? '', context);
    const wanted = code === 0 && (step.if === undefined || condition(step.if, context));
    if (!wanted) {
      steps.push({ name, ran: false });
      continue;
    }
    if (step.uses) {
      const given = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]),
      );
      steps.push({ name, ran: true, with: given });
      const failure = useAction(step.uses, given, options.artifacts);
      if (failure) {
        stderr += `${failure}\n`;
        code = 1;
      }
      continue;
    }
    steps.push({ name, ran: true });
    const outputFile = join(runnerTemp, `output-${steps.length}-${Date.now()}`);
    writeFileSync(outputFile, '');
    const env: Record<string, string | undefined> = {
      ...options.env,
      ...Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]),
      ),
      GITHUB_ACTION_PATH: options.actionDir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_WORKSPACE: options.workspace,
      RUNNER_TEMP: runnerTemp,
    };
    const cwd = resolve(options.workspace, interpolate(step['working-directory'] ?? '.', context));
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { cwd, env });
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [exit] = (await once(child, 'close')) as [number | null];
    if (step.id)
      context.steps[step.id] = { outputs: readOutputs(outputFile), outcome: exit ? 'failure' : 'success' };
    if (exit !== 0) code = exit ?? 1;
  }
  const outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([name, spec]) => [name, interpolate(spec.value, context)]),
  );
  return { code, outputs, stdout, stderr, summary: readFileSync(summaryFile, 'utf8'), steps };
}

function useAction(
  uses: string,
  given: Record<string, string>,
  artifacts: Map<string, string>,
): string | undefined {
  const [action] = uses.split('@');
  if (action === 'actions/setup-node') return undefined;
  if (action === 'actions/upload-artifact') {
    const files = existsSync(given.path!) ? readdirSync(given.path!) : [];
    if (files.length === 0 && given['if-no-files-found'] === 'error')
      return `Error: No files were found with the provided path: ${given.path}. No artifacts will be uploaded.`;
    if (artifacts.has(given.name!) && given.overwrite !== 'true')
      return `Error: Failed to CreateArtifact: an artifact with this name already exists on the workflow run`;
    const copy = mkdtempSync(join(tmpdir(), 'artifact-'));
    cpSync(given.path!, copy, { recursive: true });
    artifacts.set(given.name!, copy);
    return undefined;
  }
  if (action === 'actions/download-artifact') {
    const stored = artifacts.get(given.name!);
    if (!stored) return `Error: Unable to download artifact(s): Artifact not found for name: ${given.name}`;
    cpSync(stored, given.path!, { recursive: true });
    return undefined;
  }
  throw new Error(`runCompositeAction does not know ${uses}`);
}

/** GITHUB_OUTPUT's two forms: `name=value` and `name<<DELIMITER` … `DELIMITER`. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i]!);
      outputs[heredoc[1]!] = value.join('\n');
    } else if (line.includes('='))
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

type Context = Record<string, unknown>;

/** A text with `${{ }}` expressions in it, as the runner fills in `with`, `env` and `name`. */
export function interpolate(text: string, context: Context): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_m, expression: string) => String(evaluate(expression, context)));
}

/** An `if:` condition, written with or without `${{ }}`. */
export function condition(text: string, context: Context): boolean {
  return truthy(evaluate(unwrap(text), context));
}

function unwrap(condition: string): string {
  const wrapped = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(condition);
  return wrapped ? wrapped[1]! : condition;
}

function truthy(value: unknown): boolean {
  return value !== '' && value !== undefined && value !== null && value !== false && value !== 0;
}

/** GitHub's expression language, as far as drover's action and workflows use it. */
function evaluate(expression: string, context: Context): unknown {
  const tokens = expression.match(/'(?:[^']|'')*'|==|!=|&&|\|\||!|\(|\)|[A-Za-z_][\w.-]*|\S/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const or = (): unknown => {
    let left = and();
    while (peek() === '||') {
      at++;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): unknown => {
    let left = compare();
    while (peek() === '&&') {
      at++;
      const right = compare();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const compare = (): unknown => {
    const left = unary();
    const op = peek();
    if (op !== '==' && op !== '!=') return left;
    at++;
    const right = unary();
    const same = String(left ?? '').toLowerCase() === String(right ?? '').toLowerCase();
    return op === '==' ? same : !same;
  };
  const unary = (): unknown => {
    if (peek() === '!') {
      at++;
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): unknown => {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`unfinished expression: ${expression}`);
    if (token === '(') {
      const value = or();
      if (tokens[at++] !== ')') throw new Error(`missing ) in ${expression}`);
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (token === 'true' || token === 'false') return token === 'true';
    if (/^[A-Za-z_]/.test(token))
      return (
        token
          .split('.')
          .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], context) ??
        ''
      );
    throw new Error(`unsupported token ${token} in ${expression}`);
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`unsupported expression: ${expression}`);
  return value;
}
