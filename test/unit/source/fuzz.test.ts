import fc from 'fast-check';
import { loadJob } from '../../../src/source/load-job.js';
import { blockJobFile, hclJobFile, jsonJobFile } from '../../support/job-generators.js';

/** Reads a generated file and holds drover to its promise: a job or positioned errors, never a crash or a hang. */
function readsCleanly(file: string, source: string): void {
  const started = performance.now();
  const loaded = loadJob(file, source, { env: {}, allowFilesystem: false });
  expect(performance.now() - started).toBeLessThan(2000);
  const lines = source.split('\n').length;
  for (const d of loaded.diagnostics) {
    expect(d.range.file).toBe(file);
    expect(d.range.start.line).toBeGreaterThanOrEqual(1);
    expect(d.range.start.line).toBeLessThanOrEqual(lines);
    expect(d.range.start.column).toBeGreaterThanOrEqual(1);
    expect(d.summary).not.toMatch(/^$|Internal error/);
  }
  const failed = loaded.diagnostics.some((d) => d.severity === 'error');
  expect(loaded.job === undefined).toBe(failed);
}

// With the mutated fixtures of properties.test.ts, over 10,000 generated files are read on every run.
describe('generated job files (fuzzing)', () => {
  it('HCL job files from the jobspec grammar: a job or positioned errors, within 2 s each', () => {
    fc.assert(
      fc.property(hclJobFile, (source) => readsCleanly('fuzz.nomad.hcl', source)),
      { numRuns: 6000, seed: 20261202 },
    );
  });

  it('HCL job files built from the jobspec blocks, values as users write them: the same', () => {
    fc.assert(
      fc.property(blockJobFile, (source) => readsCleanly('blocks.nomad.hcl', source)),
      { numRuns: 1000, seed: 20261202 },
    );
  });

  it('API JSON jobs, with fields of the wrong kinds and broken syntax: the same', () => {
    fc.assert(
      fc.property(jsonJobFile, (source) => readsCleanly('fuzz.json', source)),
      { numRuns: 3000, seed: 20261202 },
    );
  });
});
