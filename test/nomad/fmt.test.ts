import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { formatHcl } from '../../src/source/hcl/format.js';
import { formatCorpus } from '../support/format-cases.js';
import { FMT_FIXTURE, sha256, type FormatAnswer } from '../support/format-record.js';
import { nomadBinary } from './agent.js';

/** `nomad fmt -` on one source: what it writes, or null when it refuses the source. */
function nomadFmt(binary: string, source: string): string | null {
  try {
    return execFileSync(binary, ['fmt', '-'], { input: source, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
  } catch {
    return null;
  }
}

/**
 * drover fmt against `nomad fmt` on the whole corpus; with DROVER_RECORD=1 Nomad's answers (hashes) are written to
 * the fixture test/unit/source/format.test.ts holds drover to without a binary.
 */
describe('drover fmt against nomad fmt', () => {
  it('writes every file of the corpus byte for byte as nomad fmt does, and refuses what it refuses', () => {
    const binary = nomadBinary()!;
    const corpus = formatCorpus();
    const answers: FormatAnswer[] = corpus.map(({ name, source }) => {
      const formatted = nomadFmt(binary, source);
      return {
        name,
        source_sha256: sha256(source),
        formatted_sha256: formatted === null ? null : sha256(formatted),
      };
    });
    if (process.env.DROVER_RECORD === '1')
      writeFileSync(
        FMT_FIXTURE,
        `${JSON.stringify({ recorded: 'nomad fmt -, Nomad v2.0.5', answers }, null, 2)}\n`,
      );
    expect(answers).toEqual(
      (JSON.parse(readFileSync(FMT_FIXTURE, 'utf8')) as { answers: FormatAnswer[] }).answers,
    );
    const disagreeing = corpus
      .filter(({ source }, i) => {
        const mine = formatHcl(source, 'corpus.hcl').text;
        return (mine === undefined ? null : sha256(mine)) !== answers[i]!.formatted_sha256;
      })
      .map((c) => c.name);
    expect(disagreeing).toEqual([]);
  }, 300_000);
});
