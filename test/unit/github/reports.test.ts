import { applySummary, closingLines, fenced, planFailedMarkdown } from '../../../src/github/reports.js';

/** What `drover apply --auto-approve` prints in CI: the plan, timestamped progress, the closing table. */
const APPLIED = [
  'drover plan (stack shop, namespace default, http://127.0.0.1:4646, project deploy/drover.hcl)',
  '',
  '  # web will be updated  [wave 1]',
  '  ~ job "web"  deploy/web.nomad.hcl',
  '',
  'Plan: 0 to create, 1 to update, 0 to delete.',
  '2026-12-06T10:00:00Z wave 1: web',
  '2026-12-06T10:00:01Z web: succeeded: Deployment completed successfully',
  '',
  'JOB  ACTION  OUTCOME    VERSION  DEPLOYMENT  DURATION',
  'web  update  succeeded  3        1c2d3e4f    1.0s',
  '',
  'Apply complete: 1 succeeded, 1 unchanged.',
  '',
].join('\n');

describe('the Markdown the action writes', () => {
  it('fences text with more backticks than any run inside it', () => {
    expect(fenced('plain\n', 'text')).toBe('```text\nplain\n```');
    expect(fenced('a ``` fence and ```` four')).toBe('`````\na ``` fence and ```` four\n`````');
  });

  it('a failed plan: its errors, fenced; its exit code when it said nothing', () => {
    expect(planFailedMarkdown('Error: web.nomad.hcl:3: bad\nHint: fix it\n', 1)).toBe(
      '### drover plan failed\n\n```\nError: web.nomad.hcl:3: bad\nHint: fix it\n```\n',
    );
    expect(planFailedMarkdown('', 143)).toBe('### drover plan failed\n\n```\ndrover plan exited 143\n```\n');
  });

  it("apply's closing lines: what follows the last progress line; with no progress, a short output whole", () => {
    expect(closingLines(APPLIED)).toBe(
      'JOB  ACTION  OUTCOME    VERSION  DEPLOYMENT  DURATION\nweb  update  succeeded  3        1c2d3e4f    1.0s\n\nApply complete: 1 succeeded, 1 unchanged.',
    );
    expect(closingLines('No changes. Nomad matches the job files.\n')).toBe(
      'No changes. Nomad matches the job files.',
    );
    // A run that stopped before applying printed the plan only: its error is on stderr.
    expect(closingLines(APPLIED.split('\n').slice(0, 6).join('\n'))).toBe('');
  });

  it('the apply summary: outcome from the exit code, the closing table, the saved plan and the output folded', () => {
    expect(
      applySummary({
        code: 0,
        source: 'the saved plan from artifact `drover-plan`',
        stdout: APPLIED,
        stderr: '',
        planMarkdown: '### drover plan\n\n1 to update\n',
      }),
    ).toBe(
      [
        '### drover apply complete',
        '',
        'Applied the saved plan from artifact `drover-plan`.',
        '',
        '```text',
        'JOB  ACTION  OUTCOME    VERSION  DEPLOYMENT  DURATION',
        'web  update  succeeded  3        1c2d3e4f    1.0s',
        '',
        'Apply complete: 1 succeeded, 1 unchanged.',
        '```',
        '',
        '<details><summary>The plan applied</summary>',
        '',
        '### drover plan',
        '',
        '1 to update',
        '',
        '</details>',
        '',
        '<details><summary>drover apply output</summary>',
        '',
        '```text',
        APPLIED.trimEnd(),
        '```',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [1, '### drover apply FAILED (exit 1)'],
    [130, '### drover apply interrupted (exit 130)'],
    [143, '### drover apply interrupted (exit 143)'],
  ])('exit %i heads the summary as %s, errors fenced after the closing lines', (code, heading) => {
    const summary = applySummary({
      code,
      source: '`deploy/`, planned afresh',
      stdout: '',
      stderr: 'Error: stack "shop" is locked\n',
    });
    expect(summary).toBe(
      `${heading}\n\nApplied \`deploy/\`, planned afresh.\n\n\`\`\`text\nError: stack "shop" is locked\n\`\`\`\n`,
    );
  });

  it("an output past the summary's budget keeps its end, and says how much was left out", () => {
    const progress = Array.from({ length: 40_000 }, (_, i) => `2026-12-06T10:00:00Z job-${i}: registered`);
    const stdout = `${progress.join('\n')}\n\nApply complete: 40000 succeeded.\n`;
    const summary = applySummary({ code: 0, source: '`deploy/`, planned afresh', stdout, stderr: '' });
    expect(summary.length).toBeLessThan(700_000);
    expect(summary).toMatch(
      /```text\n\(\d+ earlier lines left out: the step's log has them all\)\n2026-12-06T10:00:00Z job-\d+: registered\n/,
    );
    expect(summary).toContain('job-39999: registered\n\nApply complete: 40000 succeeded.\n```');
  });
});
