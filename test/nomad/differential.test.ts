import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadJob } from '../../src/source/load-job.js';
import { renderJobJson } from '../../src/source/job-json.js';
import { acceptedJobFile, blockJobFile, expression } from '../support/job-generators.js';
import { nomadRender } from '../support/nomad-render.js';
import { tokenHeader } from '../support/api-shapes.js';
import { nomadBinary, startNomadAgent, type NomadAgent } from './agent.js';

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

  it('agree on 2,000 generated expressions: the same value, or both refuse', () => {
    const binary = nomadBinary()!;
    const head = `variable "region" {\n  default = "eu"\n}\nvariable "count" {\n  type    = number\n  default = 2\n}\nvariable "ports" {\n  default = [80, 443]\n}\nlocals {\n  tags = { a = "1", b = "2" }\n}\n`;
    const job = (exprs: readonly string[]) =>
      `${head}job "x" {\n  meta {\n${exprs.map((e, i) => `    e${i} = jsonencode(${e})\n`).join('')}  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "true"\n      }\n    }\n  }\n}\n`;
    const meta = (job: unknown) => (job as { Meta: Record<string, string> }).Meta;
    const mine = (e: string) => {
      const loaded = loadJob('job.nomad.hcl', job([e]), { env: {}, allowFilesystem: false });
      return loaded.job ? meta(loaded.job).e0 : undefined;
    };
    const theirs = (e: string) => {
      const answer = nomadRender(binary, job([e]));
      return answer.job ? meta(answer.job).e0 : undefined;
    };
    const expressions = [...new Set(fc.sample(expression, { numRuns: 2000, seed: 20261203 }))];
    const accepted = expressions.filter((e) => mine(e) !== undefined);
    const disagreements: Array<{ expression: string; nomad?: string; drover?: string }> = [];
    // Accepted ones go to Nomad 40 to a file; a file Nomad refuses is asked again one expression at a time.
    for (let i = 0; i < accepted.length; i += 40) {
      const batch = accepted.slice(i, i + 40);
      const answer = nomadRender(binary, job(batch));
      batch.forEach((e, k) => {
        const nomad = answer.job ? meta(answer.job)[`e${k}`] : theirs(e);
        if (nomad !== mine(e)) disagreements.push({ expression: e, nomad, drover: mine(e) });
      });
    }
    const refused = expressions.filter((e) => mine(e) === undefined).slice(0, 150);
    for (const e of refused) {
      const nomad = theirs(e);
      if (nomad !== undefined) disagreements.push({ expression: e, nomad });
    }
    process.stdout.write(
      `expressions: ${accepted.length} read by drover, ${refused.length} of its refusals asked; ${accepted.length + refused.length - disagreements.length} agree with Nomad\n`,
    );
    expect(disagreements).toEqual([]);
  }, 300_000);

  describe('job files built from the jobspec blocks', () => {
    let agent: NomadAgent;
    beforeAll(async () => {
      agent = await startNomadAgent();
    }, 120_000);
    afterAll(() => agent?.stop());

    it('agree on 300 files: the same job, or refused by both; what only register refuses, refused by the agent in the same words', async () => {
      const binary = nomadBinary()!;
      const sources = fc.sample(blockJobFile, { numRuns: 300, seed: 20261204 });
      const disagreements: Array<{ source: string; nomad: string; drover: string }> = [];
      let readByBoth = 0;
      let refusedAtRegister = 0;
      for (const source of sources) {
        const nomad = nomadRender(binary, source);
        const loaded = loadJob('job.nomad.hcl', source, { env: {}, allowFilesystem: false });
        const mine = loaded.job ? renderJobJson(loaded.job) : undefined;
        const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
        if (mine !== undefined && mine === nomad.output) readByBoth++;
        if (mine === nomad.output) continue;
        // drover refuses offline what Nomad's register (here its plan endpoint) refuses: held to the agent's words.
        if (mine === undefined && nomad.job) {
          const id = String((nomad.job as { ID: string }).ID);
          const answer = await fetch(`${agent.address}/v1/job/${encodeURIComponent(id)}/plan`, {
            method: 'PUT',
            headers: tokenHeader(agent.managementToken),
            body: JSON.stringify({ Job: nomad.job }),
          });
          const refusal = answer.status >= 400 ? await answer.text() : '';
          if (errors.length > 0 && errors.every((d) => refusal.includes(d.summary))) {
            refusedAtRegister++;
            continue;
          }
        }
        disagreements.push({
          source,
          nomad: nomad.output ?? nomad.error!,
          drover: mine ?? errors.map((d) => `${d.summary}: ${d.detail ?? ''}`).join('\n'),
        });
      }
      process.stdout.write(
        `blocks: ${sources.length} files compared, ${sources.length - disagreements.length} agreed (${readByBoth} read the same, ${refusedAtRegister} refused by drover as the agent refuses them, the rest refused by both)\n`,
      );
      expect(disagreements).toEqual([]);
    }, 300_000);
  });
});
