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
    expect(await detectObjectDrift(env.nomad, 'default', await written())).toEqual([]);
  });

  it('names an object edited outside drover, with both indexes, and one deleted outside drover', async () => {
    const owned = await written();
    await env.nomad.namespaces.write({ Name: 'payments', Description: 'edited with nomad namespace apply' });
    await env.nomad.nodePools.delete('general');
    const facts = await detectObjectDrift(env.nomad, 'default', owned);
    expect(facts.map(describeObjectDrift).sort()).toEqual([
      expect.stringMatching(/^namespace payments: changed outside drover \(modify index \d+ → \d+\)$/),
      'node pool general: deleted outside drover',
    ]);
    const edited = facts.find((f) => f.change === 'edited')!;
    expect(edited.now).toBeGreaterThan(edited.recorded);
  });
});
