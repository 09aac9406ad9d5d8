import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputRecord, pauseCommands, runnerWorkflow } from '../../../src/github/workflow.js';

describe('what the step tells the runner', () => {
  it('outputs in the delimiter form, which takes any value; summaries appended; annotations escaped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
    const outputFile = join(dir, 'output');
    const summaryFile = join(dir, 'summary');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    let log = '';
    const workflow = runnerWorkflow({ outputFile, summaryFile, write: (text) => (log += text) });

    workflow.output('exitcode', '2');
    workflow.output('plan', 'line one\nline=two');
    const written = readFileSync(outputFile, 'utf8');
    expect(written).toMatch(
      /^exitcode<<(drover_[0-9a-f-]{36})\n2\n\1\nplan<<(drover_[0-9a-f-]{36})\nline one\nline=two\n\2\n$/,
    );

    workflow.summary('### one\n');
    workflow.summary('### two');
    expect(readFileSync(summaryFile, 'utf8')).toBe('### one\n\n### two\n\n');

    workflow.annotate('warning', 'drover plan skipped: fork, really', '100% sure\nsecond line');
    workflow.log('plain');
    expect(log).toBe(
      '::warning title=drover plan skipped%3A fork%2C really::100%25 sure%0Asecond line\nplain\n',
    );
  });

  it('pauses workflow commands with a token no one can guess, and resumes them with it', () => {
    let log = '';
    const resume = pauseCommands((text) => (log += text));
    log += '::error::from a job file\n';
    resume();
    expect(log).toMatch(/^::stop-commands::(drover-[0-9a-f-]{36})\n::error::from a job file\n::\1::\n$/);
  });

  it('two records never share a delimiter', () => {
    expect(outputRecord('a', 'x').split('\n')[0]).not.toBe(outputRecord('a', 'x').split('\n')[0]);
  });

  it('outside a runner (no files), outputs and summaries go nowhere', () => {
    const workflow = runnerWorkflow({ outputFile: undefined, summaryFile: undefined, write: () => {} });
    expect(() => workflow.output('a', 'b')).not.toThrow();
    expect(() => workflow.summary('x')).not.toThrow();
  });
});
