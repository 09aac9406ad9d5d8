import { describeObjectDrift, detectObjectDrift } from '../../../src/drift/object-drift.js';
import type { OwnedObject } from '../../../src/stack/inventory-document.js';
import { startSimulatedNomad, type SimulatedNomad } from '../../support/simulated-nomad.js';

describe("drift of the objects a stack's inventory lists", () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  /** As drover records them after writing: the index its write left. */
  async function written(): Promise<OwnedObject[]> {
    const namespace = await env.nomad.namespaces.write({ Name: 'payments', Description: 'Payments team' });
    const pool = await env.nomad.nodePools.write({ Name: 'general', Description: 'Nodes for everyone' });
    return [
      { kind: 'namespace', name: 'payments', modifyIndex: namespace.index },
      { kind: 'node-pool', name: 'general', modifyIndex: pool.index },
    ];
  }

  it('finds none while Nomad holds each object at the index drover wrote it', async () => {
    expect(await detectObjectDrift(env.nomad, 'default', await written())).toEqual({
      facts: [],
      unchecked: [],
    });
  });

  it('names an object edited outside drover, with both indexes, and one deleted outside drover', async () => {
    const owned = await written();
    await env.nomad.namespaces.write({ Name: 'payments', Description: 'edited with nomad namespace apply' });
    await env.nomad.nodePools.delete('general');
    const { facts } = await detectObjectDrift(env.nomad, 'default', owned);
    expect(facts.map(describeObjectDrift).sort()).toEqual([
      expect.stringMatching(/^namespace payments: changed outside drover \(modify index \d+ → \d+\)$/),
      'node pool general: deleted outside drover',
    ]);
    const edited = facts.find((f) => f.change === 'edited')!;
    expect(edited.now).toBeGreaterThan(edited.recorded);
  });

  it('asks for every kind, and for the variables of each namespace, at the same time', async () => {
    const management = env.client({ token: env.sim.enableAcl().SecretID });
    const owned: OwnedObject[] = [
      { kind: 'node-pool', name: 'general', modifyIndex: 1 },
      { kind: 'namespace', name: 'payments', modifyIndex: 1 },
      { kind: 'acl-policy', name: 'deploy', modifyIndex: 1 },
      { kind: 'acl-role', name: 'ci', modifyIndex: 1 },
      ...['a', 'b', 'c'].map((namespace) => ({
        kind: 'variable' as const,
        namespace,
        name: 'nomad/jobs/api',
        modifyIndex: 1,
      })),
    ];
    // Seven lists of 300 ms each: one after another they would take 2.1 s.
    env.sim.addFault({
      kind: 'latency',
      path: '^/v1/(vars|node/pools|namespaces|acl/policies|acl/roles)$',
      latencyMs: 300,
    });
    const started = performance.now();
    const { facts } = await detectObjectDrift(management, 'default', owned);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(facts).toHaveLength(owned.length);
  });

  describe('ACL policies and roles, which only a management token sees whole', () => {
    const rules = 'node {\n  policy = "read"\n}\n';
    let management: ReturnType<SimulatedNomad['client']>;
    async function aclWritten(): Promise<OwnedObject[]> {
      management = env.client({ token: env.sim.enableAcl().SecretID });
      const deploy = await management.aclPolicies.write({ Name: 'deploy', Rules: rules });
      const reader = await management.aclPolicies.write({ Name: 'reader', Rules: rules });
      const role = await management.aclRoles.create({ Name: 'ci', Policies: [{ Name: 'deploy' }] });
      return [
        { kind: 'acl-policy', name: 'deploy', modifyIndex: deploy.index },
        { kind: 'acl-policy', name: 'reader', modifyIndex: reader.index },
        { kind: 'acl-role', name: 'ci', modifyIndex: role.ModifyIndex },
      ];
    }

    it('names a policy and a role edited outside drover, and a policy deleted outside drover', async () => {
      const owned = await aclWritten();
      expect(await detectObjectDrift(management, 'default', owned)).toEqual({ facts: [], unchecked: [] });
      await management.aclPolicies.write({ Name: 'deploy', Description: 'by hand', Rules: rules });
      const { ID } = (await management.aclRoles.readByName('ci')).body;
      await management.aclRoles.update(ID, {
        Name: 'ci',
        Description: 'by hand',
        Policies: [{ Name: 'deploy' }],
      });
      await management.aclPolicies.delete('reader');
      const { facts, unchecked } = await detectObjectDrift(management, 'default', owned);
      expect(unchecked).toEqual([]);
      expect(facts.map(describeObjectDrift).sort()).toEqual([
        expect.stringMatching(/^ACL policy deploy: changed outside drover \(modify index \d+ → \d+\)$/),
        'ACL policy reader: deleted outside drover',
        expect.stringMatching(/^ACL role ci: changed outside drover \(modify index \d+ → \d+\)$/),
      ]);
    });

    it('leaves them uncompared for a token that is not management, whose lists Nomad filters silently', async () => {
      const owned = await aclWritten();
      const limited = env.client({ token: env.sim.createToken({ node: 'read' }).SecretID });
      expect(await detectObjectDrift(limited, 'default', owned)).toEqual({
        facts: [],
        unchecked: [
          { kind: 'acl-policy', needs: 'a management token' },
          { kind: 'acl-role', needs: 'a management token' },
        ],
      });
    });
  });
});
