import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidValueFiles } from '../support/invalid-values.js';
import { mapLimited, nomadValidate } from '../support/validate-oracle.js';
import { disagreements, recordVerdict } from '../support/validate-agreement.js';
import { nomadBinary } from './agent.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/nomad-2.0.5/validate.json');

/**
 * Every attribute of every jobspec block set to boundary and wrong values, through `nomad job validate` (offline)
 * and drover's validate: Nomad's verdicts recorded (DROVER_RECORD=1) for test/unit/source/validate-agreement, and
 * the disagreements left must be the recorded ones.
 */
describe('drover validate against nomad job validate, on a corpus of invalid values', () => {
  it('agrees on every file but the recorded, explained disagreements', async () => {
    const binary = nomadBinary()!;
    const files = invalidValueFiles();
    const verdicts = (await mapLimited(files, 4, (file) => nomadValidate(binary, file.source))).map((v, i) =>
      recordVerdict(files[i]!, v),
    );
    const found = disagreements(files, verdicts);
    process.stdout.write(
      `validate differential: ${files.length} files, ${files.length - found.length} agreed (${((100 * (files.length - found.length)) / files.length).toFixed(1)} %)\n`,
    );
    if (process.env.DROVER_RECORD === '1')
      writeFileSync(
        FIXTURE,
        `${JSON.stringify({ recorded: 'nomad job validate (offline), Nomad v2.0.5', verdicts, disagreements: found }, null, 1)}\n`,
      );
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
      verdicts: unknown[];
      disagreements: unknown[];
    };
    expect(verdicts).toEqual(recorded.verdicts);
    expect(found).toEqual(recorded.disagreements);
  }, 600_000);
});
