import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exerciseVariables, type VariableAnswer } from '../support/variable-answers.js';
import { startNomadAgent, type NomadAgent } from './agent.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/nomad-2.0.5/variables.json');

/** Nomad's variables and locks, as the stack lock and history use them; DROVER_RECORD=1 writes the fixture. */
describe('variables and their locks, as a real Nomad answers', () => {
  let agent: NomadAgent;
  beforeAll(async () => {
    agent = await startNomadAgent();
  }, 120_000);
  afterAll(() => agent?.stop());

  it('acquire, renew, release, refuse and expire as recorded', async () => {
    const answers = await exerciseVariables(
      agent.address,
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 21_500));
      },
      agent.managementToken,
    );
    if (process.env.DROVER_RECORD === '1')
      writeFileSync(
        FIXTURE,
        `${JSON.stringify({ recorded: `nomad agent -dev, Nomad v${agent.version}; UUIDs written UUID, numbers of 2+ digits N`, answers }, null, 2)}\n`,
      );
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { answers: VariableAnswer[] };
    expect(answers).toEqual(recorded.answers);
  }, 90_000);
});
