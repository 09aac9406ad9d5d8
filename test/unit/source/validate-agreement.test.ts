import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidValueFiles } from '../../support/invalid-values.js';
import { disagreements, type Disagreement, type RecordedVerdict } from '../../support/validate-agreement.js';

const recorded = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/nomad-2.0.5/validate.json'), 'utf8'),
) as { verdicts: RecordedVerdict[]; disagreements: Disagreement[] };

/**
 * drover's validate on every attribute of every jobspec block set to boundary and wrong values, held to the
 * verdicts `nomad job validate` gave (recorded by test/nomad/validate-differential.test.ts): the same verdict and
 * Nomad's messages, but for the recorded disagreements (each explained in docs/hcl-reader.md).
 */
describe('validate agrees with nomad job validate on the invalid-value corpus', () => {
  const files = invalidValueFiles();

  it('is the corpus Nomad answered', () => {
    expect(files.map((f) => [f.name, f.value])).toEqual(recorded.verdicts.map((v) => [v.name, v.value]));
  });

  it('refuses what Nomad refuses, with its messages, and accepts what it accepts', () => {
    expect(disagreements(files, recorded.verdicts)).toEqual(recorded.disagreements);
  });
});
