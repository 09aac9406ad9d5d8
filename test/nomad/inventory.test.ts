import { NomadClient } from '../../src/nomad/client.js';
import { encodeInventory, type OwnedObject } from '../../src/stack/inventory-document.js';
import {
  InventoryForbiddenError,
  inventoryPath,
  readInventory,
  updateInventory,
  type Inventory,
  type InventoryLocation,
} from '../../src/stack/inventory.js';
import { startNomadAgent, type NomadAgent } from './agent.js';

const shop: InventoryLocation = { cluster: 'default', stack: 'shop', namespace: 'payments' };

const policies = (count: number, from = 0): OwnedObject[] =>
  Array.from({ length: count }, (_, i) => ({
    kind: 'acl-policy',
    name: `p${String(from + i).padStart(19, '0')}`,
    modifyIndex: 1_000_000 + i,
  }));

/** The inventory on a real Nomad with ACLs on: as a management token and as a CI token with its variables rules. */
describe('the stack inventory on a real Nomad agent', () => {
  let agent: NomadAgent;
  const clients: NomadClient[] = [];
  const client = (token: string) => {
    const created = new NomadClient({ address: agent.address, token });
    clients.push(created);
    return created;
  };
  const tokenWith = async (name: string, rules: string) => {
    await agent.api('POST', `/v1/acl/policy/${name}`, { Name: name, Rules: rules });
    return (
      await agent.api<{ SecretID: string }>('POST', '/v1/acl/token', {
        Name: name,
        Type: 'client',
        Policies: [name],
      })
    ).SecretID;
  };
  const readable = async (nomad: NomadClient): Promise<Inventory> => {
    const result = await readInventory(nomad, shop);
    if (!result.readable) throw new Error('this token should read the inventory');
    return result.inventory;
  };

  beforeAll(async () => {
    agent = await startNomadAgent({ acl: true });
    await agent.api('POST', '/v1/namespace/payments', { Name: 'payments' });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await agent?.stop();
  });

  it('is written and read by management and by a token with variables read and write on drover/stacks/*', async () => {
    const management = client(agent.managementToken!);
    const ci = client(
      await tokenWith(
        'stack-state',
        'namespace "payments" {\n  variables {\n    path "drover/stacks/*" {\n      capabilities = ["read", "write"]\n    }\n  }\n}\n',
      ),
    );
    const nsReader = client(await tokenWith('ns-reader', 'namespace "payments" {\n  policy = "read"\n}\n'));

    expect(await readInventory(ci, shop)).toEqual({
      readable: true,
      inventory: { ...shop, objects: [], modifyIndex: 0 },
    });
    const first = await updateInventory(management, await readable(management), {
      written: [{ kind: 'namespace', name: 'payments', modifyIndex: 12 }],
      deleted: [],
    });
    // The CI token's run started from what it read before management wrote: its check-and-set loses, and it retries.
    const stale = { ...shop, objects: [], modifyIndex: 0 };
    await updateInventory(ci, stale, {
      written: [{ kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api', modifyIndex: 20 }],
      deleted: [],
    });
    expect((await readable(management)).objects).toEqual([
      { kind: 'namespace', name: 'payments', modifyIndex: 12 },
      { kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api', modifyIndex: 20 },
    ]);
    expect((await readable(ci)).modifyIndex).toBeGreaterThan(first.modifyIndex);

    expect(await readInventory(nsReader, shop)).toEqual({ readable: false, location: shop });
    const refused = await updateInventory(nsReader, first, { written: policies(1), deleted: [] }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(InventoryForbiddenError);
    expect(refused).toMatchObject({ capability: 'write' });
  }, 60_000);

  it('fills Nomad’s 64 KiB exactly, and is refused before Nomad is asked past it', async () => {
    const management = client(agent.managementToken!);
    const seen = await readable(management);
    const filled = (lastName: number) => [
      ...seen.objects,
      ...policies(1_900),
      { kind: 'acl-policy' as const, name: 'z'.repeat(lastName), modifyIndex: 2_000_000 },
    ];
    const size = (objects: OwnedObject[]) =>
      Buffer.byteLength(Object.entries(encodeInventory('shop', objects)).flat().join(''));
    const full = await updateInventory(management, seen, {
      written: filled(1 + 65_536 - size(filled(1))),
      deleted: [],
    });
    const { body } = await management.variables.read(inventoryPath('shop'), { namespace: 'payments' });
    expect(Buffer.byteLength(Object.entries(body!.Items!).flat().join(''))).toBe(65_536);
    expect((await readable(management)).objects).toEqual(full.objects);
    await expect(
      updateInventory(management, full, { written: policies(1, 5_000), deleted: [] }),
    ).rejects.toMatchObject({ code: 'inventory_too_large' });
  }, 60_000);
});
