import { actionInputsFrom, applyArgs, planArgs } from '../../../src/github/action-inputs.js';

describe("the action's inputs", () => {
  it('reads lists one item a line, flags split at whitespace, and defaults', () => {
    const inputs = actionInputsFrom({
      INPUT_COMMAND: 'plan',
      INPUT_PATHS: 'deploy/\n  more/jobs.nomad.hcl  \n',
      INPUT_STACK: 'shop',
      INPUT_VAR_FILES: 'env/prod.vars.hcl\nenv/eu.vars.hcl',
      INPUT_ARGS: '--timeout 2m\n--compact',
    });
    expect(inputs).toEqual({
      command: 'plan',
      paths: ['deploy/', 'more/jobs.nomad.hcl'],
      stack: 'shop',
      varFiles: ['env/prod.vars.hcl', 'env/eu.vars.hcl'],
      args: ['--timeout', '2m', '--compact'],
      comment: true,
      commentKey: '',
      savedPlan: undefined,
    });
    expect(planArgs(inputs, '/tmp/p/plan.json')).toEqual([
      'plan',
      'deploy/',
      'more/jobs.nomad.hcl',
      '--markdown',
      '--detailed-exitcode',
      '--out',
      '/tmp/p/plan.json',
      '--stack',
      'shop',
      '--var-file',
      'env/prod.vars.hcl',
      '--var-file',
      'env/eu.vars.hcl',
      '--timeout',
      '2m',
      '--compact',
    ]);
    expect(applyArgs(inputs, undefined)).toEqual([
      'apply',
      'deploy/',
      'more/jobs.nomad.hcl',
      '--stack',
      'shop',
      '--var-file',
      'env/prod.vars.hcl',
      '--var-file',
      'env/eu.vars.hcl',
      '--auto-approve',
      '--timeout',
      '2m',
      '--compact',
    ]);
  });

  it('apply of a saved plan passes the plan alone: what shaped it is in the file', () => {
    const inputs = actionInputsFrom({
      INPUT_COMMAND: 'apply',
      INPUT_PATHS: 'deploy/',
      INPUT_STACK: 'shop',
      INPUT_PLAN_ARTIFACT: 'drover-plan',
      INPUT_SAVED_PLAN_DIR: '/runner/temp/drover-saved-plan',
      INPUT_ARGS: '--timeout 15m',
    });
    expect(inputs.savedPlan).toEqual({ artifact: 'drover-plan', dir: '/runner/temp/drover-saved-plan' });
    expect(applyArgs(inputs, '/runner/temp/drover-saved-plan/plan.json')).toEqual([
      'apply',
      '/runner/temp/drover-saved-plan/plan.json',
      '--auto-approve',
      '--timeout',
      '15m',
    ]);
    // Without an artifact named, the directory action.yml always passes means nothing.
    expect(
      actionInputsFrom({ INPUT_COMMAND: 'apply', INPUT_SAVED_PLAN_DIR: '/x' }).savedPlan,
    ).toBeUndefined();
  });

  it.each([
    [{}, "the action's command is missing", 'Give it `with: command: plan`'],
    [{ INPUT_COMMAND: 'deploy' }, 'the action\'s command is "deploy"', 'or `with: command: apply`'],
    [
      { INPUT_COMMAND: 'plan', INPUT_COMMENT: 'yes' },
      'the action\'s comment input is "yes"',
      'Give true (the default) or false.',
    ],
  ])('refuses %j with the fix', (env, message, hint) => {
    expect(() => actionInputsFrom(env)).toThrow(message);
    try {
      actionInputsFrom(env);
    } catch (error) {
      expect((error as { hint: string }).hint).toContain(hint);
    }
  });
});
