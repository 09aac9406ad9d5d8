import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exerciseApi, exerciseErrors, type ErrorAnswer, type Shapes } from '../support/api-shapes.js';
import { startNomadAgent, type NomadAgent } from './agent.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/nomad-2.0.5/shapes.json');
const ERRORS = join(import.meta.dirname, '../fixtures/nomad-2.0.5/errors.json');

/**
 * The shapes of the answers drover reads, from the real agent: with DROVER_RECORD=1 they are written to the
 * fixture the simulator is held to; otherwise they must still match it (a newer Nomad that changes them shows).
 */
describe('the answers drover reads, as a real Nomad gives them', () => {
  let agent: NomadAgent;
  beforeAll(async () => {
    agent = await startNomadAgent();
  }, 120_000);
  afterAll(() => agent?.stop());

  it('refuse what they refuse with the recorded statuses and texts', async () => {
    const answers = await exerciseErrors(agent.address, agent.managementToken);
    if (process.env.DROVER_RECORD === '1')
      writeFileSync(
        ERRORS,
        `${JSON.stringify({ recorded: `nomad agent -dev, Nomad v${agent.version}; numbers of 2+ digits written N`, answers }, null, 2)}\n`,
      );
    const recorded = JSON.parse(readFileSync(ERRORS, 'utf8')) as { answers: ErrorAnswer[] };
    expect(answers).toEqual(recorded.answers);
  });

  it('match the recorded shapes', async () => {
    const settle = async () => {
      for (let i = 0; i < 60; i++) {
        const deployment = await agent.api<{ Status: string } | null>('GET', '/v1/job/shape/deployment');
        if (deployment?.Status === 'successful' || deployment?.Status === 'failed') return;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    const shapes = await exerciseApi(agent.address, settle, agent.managementToken);
    if (process.env.DROVER_RECORD === '1')
      writeFileSync(
        FIXTURE,
        `${JSON.stringify({ recorded: `nomad agent -dev, Nomad v${agent.version}`, shapes }, null, 2)}\n`,
      );
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { shapes: Shapes };
    expect(shapes).toEqual(recorded.shapes);
  });
});
