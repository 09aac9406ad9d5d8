import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadJob } from '../../src/source/load-job.js';
import { renderJobJson } from '../../src/source/job-json.js';
import { acceptedJobFile } from '../support/job-generators.js';
import { nomadRender } from '../support/nomad-render.js';
import { nomadBinary } from './agent.js';

const FILES = 150;
const FIXTURE = join(import.meta.dirname, '../fixtures/nomad-2.0.5/differential.json');

/**
 * Generated job files rendered by drover and by `nomad job run -output`: the same job JSON, byte for byte, or
 * both refuse the file. Prints how many were compared and how many agreed.
 */
describe('generated job files, drover against nomad job run -output', () => {
  it(`agree on ${FILES} generated files, but for the recorded disagreements`, () => {
    const binary = nomadBinary()!;
    const sources = fc.sample(acceptedJobFile, { numRuns: FILES, seed: 20261202 });
    const disagreements: Array<{ source: string; nomad: string; drover: string }> = [];
    let refusedByBoth = 0;
    for (const source of sources) {
      const nomad = nomadRender(binary, source);
      const loaded = loadJob('job.nomad.hcl', source, { env: {}, allowFilesystem: false });
      const mine = loaded.job ? renderJobJson(loaded.job) : undefined;
      const theirs = nomad.output;
      if (mine === undefined && theirs === undefined) refusedByBoth++;
      else if (mine !== theirs)
        disagreements.push({
          source,
          nomad: theirs ?? nomad.error!,
          drover: mine ?? loaded.diagnostics.map((d) => `${d.summary}: ${d.detail ?? ''}`).join('\n'),
        });
    }
    process.stdout.write(
      `differential: ${sources.length} files compared, ${sources.length - disagreements.length} agreed (${refusedByBoth} refused by both)\n`,
    );
    // With DROVER_RECORD=1 the disagreements are kept as fixtures with Nomad's output; a new one fails the test.
    if (process.env.DROVER_RECORD === '1')
      writeFileSync(
        FIXTURE,
        `${JSON.stringify({ recorded: 'nomad job run -output, Nomad v2.0.5', compared: sources.length, disagreements }, null, 2)}\n`,
      );
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { disagreements: typeof disagreements };
    expect(disagreements).toEqual(recorded.disagreements);
  }, 600_000);
});
