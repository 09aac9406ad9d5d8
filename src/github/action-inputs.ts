/**
 * The action's inputs, as action.yml hands them to the step: INPUT_* variables (never interpolated into a
 * script, so no input can inject shell). Secrets are not inputs: NOMAD_TOKEN and GITHUB_TOKEN come from `env`.
 */
import { UserError } from '../errors.js';

export interface ActionInputs {
  readonly command: 'plan' | 'apply';
  readonly paths: readonly string[];
  readonly stack: string | undefined;
  readonly varFiles: readonly string[];
  /** More drover flags, split at whitespace. */
  readonly args: readonly string[];
  /** plan: post or update the comment on the pull request. */
  readonly comment: boolean;
  /** plan: tells apart the comments of several projects planned for one pull request. */
  readonly commentKey: string;
  /** apply: the artifact holding the saved plan to apply, and where action.yml downloaded it; else plan afresh. */
  readonly savedPlan: { readonly artifact: string; readonly dir: string } | undefined;
}

export function actionInputsFrom(env: Readonly<Record<string, string | undefined>>): ActionInputs {
  const input = (name: string) => env[`INPUT_${name}`]?.trim() ?? '';
  const command = input('COMMAND');
  if (command !== 'plan' && command !== 'apply')
    throw new UserError(`the action's command is ${command ? `"${command}"` : 'missing'}`, {
      code: 'bad_input',
      hint: 'Give it `with: command: plan` (pull requests) or `with: command: apply` (the main branch).',
    });
  const comment = input('COMMENT') || 'true';
  if (comment !== 'true' && comment !== 'false')
    throw new UserError(`the action's comment input is "${comment}"`, {
      code: 'bad_input',
      hint: 'Give true (the default) or false.',
    });
  return {
    command,
    paths: lines(input('PATHS')),
    stack: input('STACK') || undefined,
    varFiles: lines(input('VAR_FILES')),
    args: input('ARGS').split(/\s+/).filter(Boolean),
    comment: comment === 'true',
    commentKey: input('COMMENT_KEY'),
    savedPlan:
      input('PLAN_ARTIFACT') && input('SAVED_PLAN_DIR')
        ? { artifact: input('PLAN_ARTIFACT'), dir: input('SAVED_PLAN_DIR') }
        : undefined,
  };
}

/** A list input: one item per line, as GitHub's own actions take lists. */
function lines(value: string): string[] {
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** drover's arguments for the plan the action comments: Markdown, detailed exit code, saved to `out`. */
export function planArgs(inputs: ActionInputs, out: string): string[] {
  return [
    'plan',
    ...inputs.paths,
    '--markdown',
    '--detailed-exitcode',
    '--out',
    out,
    ...shapeFlags(inputs),
    ...inputs.args,
  ];
}

/**
 * drover's arguments for apply: a saved plan as it is (what shaped it is in the file: drover refuses paths,
 * --stack and --var-file beside it), or the paths planned afresh. Either way under the stack's lock.
 */
export function applyArgs(inputs: ActionInputs, savedPlan: string | undefined): string[] {
  const what = savedPlan ? [savedPlan] : [...inputs.paths, ...shapeFlags(inputs)];
  return ['apply', ...what, '--auto-approve', ...inputs.args];
}

function shapeFlags(inputs: ActionInputs): string[] {
  return [
    ...(inputs.stack ? ['--stack', inputs.stack] : []),
    ...inputs.varFiles.flatMap((file) => ['--var-file', file]),
  ];
}
