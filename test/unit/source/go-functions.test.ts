import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobspecFunctions } from '../../../src/source/hcl/functions.js';
import type { EvalContext } from '../../../src/source/hcl/evaluate.js';
import type { Range } from '../../../src/source/hcl/diagnostics.js';

interface Answer {
  fn: 'regex_replace' | 'replace' | 'title' | 'jsonencode';
  str: string;
  pattern: string;
  repl: string;
  result?: string;
  error?: string;
}

/** Go's own answers, from scripts/go-reference (test/fixtures/go/functions.json). */
const { answers } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/go/functions.json'), 'utf8'),
) as { answers: Answer[] };

describe('regex_replace, replace, title and jsonencode mean what they mean in Go', () => {
  const functions = jobspecFunctions(false);
  const call = (answer: Answer) => {
    try {
      return {
        result: functions[answer.fn]!.call!(
          answer.fn === 'title' || answer.fn === 'jsonencode'
            ? [answer.str]
            : [answer.str, answer.pattern, answer.repl],
          {} as EvalContext,
          {} as Range,
        ) as string,
      };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it.each(
    answers.map((a) => [
      `${a.fn}(${(a.fn === 'title' || a.fn === 'jsonencode' ? [a.str] : [a.str, a.pattern, a.repl]).map((v) => JSON.stringify(v)).join(', ')})`,
      a,
    ]),
  )('%s', (_name, answer) => {
    const expected = answer.error === undefined ? { result: answer.result ?? '' } : { error: answer.error };
    expect(call(answer)).toEqual(expected);
  });

  it('runs in linear time: a pattern that backtracks catastrophically in JavaScript', () => {
    // JavaScript's backtracking engine would not finish this within the test's timeout; RE2 does at once.
    const text = `${'a'.repeat(30_000)}!`;
    expect(call({ fn: 'regex_replace', str: text, pattern: '^(a+)+$', repl: '' })).toEqual({ result: text });
  });
});
