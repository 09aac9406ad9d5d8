import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPRESSION_CASES, expressionJob } from '../support/expression-cases.js';
import { nomadRender } from '../support/nomad-render.js';
import { nomadBinary } from './agent.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/nomad-2.0.5/expressions.json');

export interface ExpressionAnswer {
  expression: string;
  value?: string;
  /** Nomad's diagnostic, first line of it. */
  error?: string;
}

/** Each expression's value as Nomad's reader prints it into a meta string; an expression Nomad refuses, alone. */
function askNomad(binary: string): ExpressionAnswer[] {
  const meta = (source: string) =>
    (nomadRender(binary, source).job as { Meta?: Record<string, string> } | undefined)?.Meta;
  const together = meta(expressionJob(EXPRESSION_CASES));
  return EXPRESSION_CASES.map((expression, i) => {
    if (together) return { expression, value: together[`e${i}`]! };
    const alone = nomadRender(binary, expressionJob([expression]));
    if (alone.job) return { expression, value: (alone.job as { Meta: Record<string, string> }).Meta.e0! };
    const diagnostic =
      alone.error!.split('\n').find((line) => /^\S+:\d+,\d+-\d+: /.test(line)) ?? alone.error!;
    return { expression, error: diagnostic.replace(/^\S+?: /, '') };
  });
}

/**
 * The expressions' values as Nomad's own reader gives them: with DROVER_RECORD=1 they are written to the fixture
 * drover is held to (test/unit/source/nomad-expressions.test.ts); otherwise they must still match it.
 */
describe('expression values, as Nomad reads them', () => {
  it('match the recorded answers', () => {
    const binary = nomadBinary()!;
    const answers = askNomad(binary);
    if (process.env.DROVER_RECORD === '1')
      writeFileSync(
        FIXTURE,
        `${JSON.stringify({ recorded: 'nomad job run -output, Nomad v2.0.5', answers }, null, 2)}\n`,
      );
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { answers: ExpressionAnswer[] };
    expect(answers).toEqual(recorded.answers);
  }, 120_000);
});
