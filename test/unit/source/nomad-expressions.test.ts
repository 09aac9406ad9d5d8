import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadJob } from '../../../src/source/load-job.js';
import { expressionJob } from '../../support/expression-cases.js';

interface Answer {
  expression: string;
  value?: string;
  error?: string;
}

/** Nomad 2.0.5's own answers (test/nomad/expressions.test.ts records them with `nomad job run -output`). */
const { answers } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/nomad-2.0.5/expressions.json'), 'utf8'),
) as { answers: Answer[] };

describe('expressions mean what they mean to Nomad: numbers, format verbs, functions', () => {
  const file = 'expressions.nomad.hcl';
  const read = (expression: string) =>
    loadJob(file, expressionJob([expression]), { env: {}, allowFilesystem: false });

  it('reads every expression Nomad reads to the same text', () => {
    const accepted = answers.filter((a) => a.error === undefined);
    expect(accepted.length).toBeGreaterThan(150);
    const loaded = loadJob(file, expressionJob(accepted.map((a) => a.expression)), {
      env: {},
      allowFilesystem: false,
    });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const meta = (loaded.job as { Meta: Record<string, string> }).Meta;
    const mine = accepted.map((a, i) => ({ expression: a.expression, value: meta[`e${i}`] }));
    expect(mine).toEqual(accepted.map(({ expression, value }) => ({ expression, value })));
  });

  it.each(answers.filter((a) => a.error !== undefined).map((a) => [a.expression, a.error!]))(
    'refuses %s at its position, as Nomad does (%s)',
    (expression) => {
      const loaded = read(expression);
      expect(loaded.job).toBeUndefined();
      const [problem] = loaded.diagnostics.filter((d) => d.severity === 'error');
      expect(problem).toMatchObject({ range: { file, start: { line: 3 } } });
    },
  );
});
