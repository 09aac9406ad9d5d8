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

  it('hands numbers in config to the job as Nomad decodes them: int64 when whole, float64 otherwise', () => {
    // What `nomad job run -output` 2.0.5 printed for this config.
    const source = expressionJob(['1 / 3']).replace(
      'command = "true"',
      'command = "true"\n        a = 1 / 3\n        b = 12345678901234567890\n        c = [0.1 + 0.2, 5, -0]\n        d = { e = 2.5 }',
    );
    const loaded = loadJob(file, source, { env: {}, allowFilesystem: false });
    const job = loaded.job as { TaskGroups: Array<{ Tasks: Array<{ Config: unknown }> }> };
    expect(JSON.parse(JSON.stringify(job.TaskGroups[0]!.Tasks[0]!.Config))).toEqual({
      command: 'true',
      a: 0.3333333333333333,
      b: 12345678901234567000,
      c: [0.3, 5, 0],
      d: [{ e: 2.5 }],
    });
  });
});
