import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  exerciseAclDisabled,
  exerciseEstate,
  type EstateAnswer,
  type EstateAnswers,
} from '../support/estate-answers.js';
import { startNomadAgent, type NomadAgent } from './agent.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/nomad-2.0.5/estate.json');

interface Recording extends EstateAnswers {
  readonly aclDisabled: EstateAnswer[];
}

/**
 * Namespaces, node pools, ACL policies and roles, and variables as a real Nomad answers them, for a management
 * token and for tokens with less; DROVER_RECORD=1 writes the fixture the simulator is held to.
 */
describe('namespaces, node pools, ACL policies and roles, and variables, as a real Nomad answers', () => {
  let agent: NomadAgent;
  let aclOff: NomadAgent;
  beforeAll(async () => {
    [agent, aclOff] = await Promise.all([startNomadAgent(), startNomadAgent({ acl: false })]);
  }, 120_000);
  afterAll(() => Promise.all([agent?.stop(), aclOff?.stop()]));

  it('answers as recorded', async () => {
    const exchange = await exerciseEstate(agent.address, agent.managementToken!, async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    const seen: Recording = { ...exchange, aclDisabled: await exerciseAclDisabled(aclOff.address) };
    if (process.env.DROVER_RECORD === '1')
      writeFileSync(
        FIXTURE,
        `${JSON.stringify({ recorded: `nomad agent -dev, Nomad v${agent.version}, ACLs on (and off for aclDisabled); times written TIME, UUIDs UUID, hashes HASH, numbers but 0 and 1 N`, ...seen }, null, 2)}\n`,
      );
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Recording;
    expect(seen.answers).toEqual(recorded.answers);
    expect(seen.blocking).toEqual(recorded.blocking);
    expect(seen.aclDisabled).toEqual(recorded.aclDisabled);
  }, 180_000);
});
