import { UserError } from '../../../src/errors.js';
import { encodeInventory, type OwnedObject } from '../../../src/stack/inventory-document.js';
import {
  InventoryForbiddenError,
  inventoryPath,
  readInventory,
  updateInventory,
  type Inventory,
  type InventoryLocation,
} from '../../../src/stack/inventory.js';
import { startSimulatedNomad, type SimulatedNomad } from '../../support/simulated-nomad.js';

const shop: InventoryLocation = { cluster: 'default', stack: 'shop', namespace: 'payments' };
const PATH = inventoryPath('shop');

const policy = (name: string, modifyIndex: number): OwnedObject => ({
  kind: 'acl-policy',
  name,
  modifyIndex,
});

async function read(env: SimulatedNomad, location = shop): Promise<Inventory> {
  const result = await readInventory(env.nomad, location);
  if (!result.readable) throw new Error('the test token should read the inventory');
  return result.inventory;
}

/** The inventory variable as Nomad holds it. */
async function stored(env: SimulatedNomad) {
  return (await env.nomad.variables.read(PATH, { namespace: 'payments' })).body;
}

const inventoryWrites = (env: SimulatedNomad) =>
  env.sim.requests.filter((r) => r === `PUT /v1/var/${PATH}`).length;

describe('the stack inventory in Nomad', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
    env.sim.createNamespace('payments');
  });
  afterEach(() => env.close());

  it('reads a missing inventory as empty, then writes, reads and updates it in the stack namespace', async () => {
    const empty = await read(env);
    expect(empty).toEqual({ ...shop, objects: [], modifyIndex: 0 });

    const written = await updateInventory(env.nomad, empty, {
      written: [
        { kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api', modifyIndex: 31 },
        { kind: 'namespace', name: 'payments', modifyIndex: 12 },
        policy('payments-deploy', 20),
        { kind: 'node-pool', name: 'general', modifyIndex: 14 },
        { kind: 'acl-role', name: 'payments-ci', modifyIndex: 25 },
      ],
      deleted: [],
    });
    expect((await stored(env))?.Items).toEqual({
      objects:
        '{"version":1,"node-pool":[["general",14]],"namespace":[["payments",12]],"acl-policy":[["payments-deploy",20]],' +
        '"acl-role":[["payments-ci",25]],"variable":{"payments":[["nomad/jobs/api",31]]}}',
    });
    expect(await env.nomad.variables.read(PATH)).toMatchObject({ body: null });
    expect(await read(env)).toEqual(written);
    expect(written.modifyIndex).toBe((await stored(env))?.ModifyIndex);

    const updated = await updateInventory(env.nomad, written, {
      written: [policy('payments-deploy', 40)],
      deleted: [{ kind: 'acl-role', name: 'payments-ci', modifyIndex: 25 }],
    });
    expect((await read(env)).objects).toEqual([
      { kind: 'node-pool', name: 'general', modifyIndex: 14 },
      { kind: 'namespace', name: 'payments', modifyIndex: 12 },
      policy('payments-deploy', 40),
      { kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api', modifyIndex: 31 },
    ]);
    expect(updated.objects).toEqual((await read(env)).objects);
  });

  it('writes nothing when the change changes nothing', async () => {
    const first = await updateInventory(env.nomad, await read(env), {
      written: [policy('deploy', 7)],
      deleted: [],
    });
    const writes = inventoryWrites(env);
    const again = await updateInventory(env.nomad, first, {
      written: [policy('deploy', 7)],
      deleted: [policy('never-owned', 3)],
    });
    expect(again).toEqual(first);
    expect(inventoryWrites(env)).toBe(writes);
  });

  it('keeps both runs’ objects when two runs update it at once', async () => {
    const seen = await updateInventory(env.nomad, await read(env), {
      written: [policy('shared', 5)],
      deleted: [],
    });
    await Promise.all([
      updateInventory(env.nomad, seen, { written: [policy('from-a', 10)], deleted: [] }),
      updateInventory(env.nomad, seen, {
        written: [{ kind: 'namespace', name: 'from-b', modifyIndex: 11 }],
        deleted: [],
      }),
    ]);
    expect((await read(env)).objects).toEqual([
      { kind: 'namespace', name: 'from-b', modifyIndex: 11 },
      policy('from-a', 10),
      policy('shared', 5),
    ]);
    // Three writes: the first of the two runs, the other's lost check-and-set, and its retry.
    expect(inventoryWrites(env)).toBe(1 + 3);
  });

  it('retries a lost check-and-set on what the other run left, applying the same change again', async () => {
    const seen = await updateInventory(env.nomad, await read(env), {
      written: [policy('old', 5), policy('dropped', 6)],
      deleted: [],
    });
    // Another run writes meanwhile: it updates "old" and adds "theirs".
    await updateInventory(env.nomad, seen, {
      written: [policy('old', 50), policy('theirs', 51)],
      deleted: [],
    });
    const writes = inventoryWrites(env);
    const result = await updateInventory(env.nomad, seen, {
      written: [policy('mine', 60)],
      deleted: [policy('dropped', 6)],
    });
    expect(inventoryWrites(env) - writes).toBe(2);
    expect(result.objects).toEqual([policy('mine', 60), policy('old', 50), policy('theirs', 51)]);
    expect((await read(env)).objects).toEqual(result.objects);
  });

  it('keeps an object another run wrote after this run deleted it, and the later of two writes', async () => {
    const seen = await updateInventory(env.nomad, await read(env), {
      written: [policy('recreated', 5), policy('rewritten', 6)],
      deleted: [],
    });
    // The other run re-creates "recreated" (index 70) and writes "rewritten" last (index 80).
    await updateInventory(env.nomad, seen, {
      written: [policy('recreated', 70), policy('rewritten', 80)],
      deleted: [],
    });
    // This run, still holding what it read first, had deleted "recreated" as it was and written "rewritten" earlier.
    await updateInventory(env.nomad, seen, {
      written: [policy('rewritten', 75)],
      deleted: [policy('recreated', 5)],
    });
    expect((await read(env)).objects).toEqual([policy('recreated', 70), policy('rewritten', 80)]);
  });

  it('gives up after five lost check-and-sets in a row, saying so', async () => {
    const seen = await read(env);
    env.sim.addFault({
      kind: 'status',
      method: 'PUT',
      path: `/v1/var/${PATH}`,
      status: 409,
      body: '{"CreateIndex":0,"CreateTime":0,"ModifyIndex":0,"ModifyTime":0,"Namespace":"payments","Path":"x"}',
    });
    await expect(
      updateInventory(env.nomad, seen, { written: [policy('p', 1)], deleted: [] }),
    ).rejects.toMatchObject({
      code: 'inventory_contended',
      message: 'the inventory of stack "shop" kept changing while drover wrote it',
    });
    expect(inventoryWrites(env)).toBe(5);
  });

  it('refuses an inventory past 64 KiB whole, naming the stack and the limit, and writes nothing', async () => {
    const seen = await updateInventory(env.nomad, await read(env), {
      written: [policy('kept', 1)],
      deleted: [],
    });
    const tooMany = Array.from({ length: 3_000 }, (_, i) =>
      policy(`policy-${String(i).padStart(13, '0')}`, 1_000_000 + i),
    );
    const error = await updateInventory(env.nomad, seen, { written: tooMany, deleted: [] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({
      code: 'inventory_too_large',
      message: expect.stringMatching(
        /^the inventory of stack "shop" would take \d+ bytes for its 3001 objects, past Nomad's limit of 64 KiB \(65536 bytes\) per variable$/,
      ),
    });
    expect((await read(env)).objects).toEqual([policy('kept', 1)]);
    expect((await stored(env))?.ModifyIndex).toBe(seen.modifyIndex);
  });

  it('writes an inventory of exactly 64 KiB, which Nomad takes', async () => {
    const filled = (last: number) => [
      ...Array.from({ length: 1980 }, (_, i) => policy(`p${String(i).padStart(19, '0')}`, 1_000_000 + i)),
      policy('z'.repeat(last), 2_000_000),
    ];
    const short = Buffer.byteLength(
      Object.entries(encodeInventory('shop', filled(1)))
        .flat()
        .join(''),
    );
    const full = filled(1 + 65_536 - short);
    const written = await updateInventory(env.nomad, await read(env), { written: full, deleted: [] });
    const items = (await stored(env))!.Items!;
    expect(Buffer.byteLength(Object.entries(items).flat().join(''))).toBe(65_536);
    expect((await read(env)).objects).toHaveLength(1981);
    await expect(
      updateInventory(env.nomad, written, { written: [policy('one-more', 1)], deleted: [] }),
    ).rejects.toMatchObject({ code: 'inventory_too_large' });
  });

  it('never holds a variable’s values, even when given the variable whole', async () => {
    await env.nomad.variables.write(
      'nomad/jobs/api',
      { db_password: 's3cret-value' },
      { namespace: 'payments' },
    );
    const { body: variable } = await env.nomad.variables.read('nomad/jobs/api', { namespace: 'payments' });
    const owned = {
      ...variable!,
      kind: 'variable' as const,
      namespace: variable!.Namespace,
      name: variable!.Path,
      modifyIndex: variable!.ModifyIndex,
    };
    const result = await updateInventory(env.nomad, await read(env), { written: [owned], deleted: [] });
    expect(JSON.stringify(await stored(env))).not.toContain('s3cret-value');
    expect(JSON.stringify(result)).not.toContain('s3cret-value');
    expect(result.objects).toEqual([
      { kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api', modifyIndex: variable!.ModifyIndex },
    ]);
  });

  it('refuses to read an inventory it cannot understand, rather than taking it for empty', async () => {
    await env.nomad.variables.write(
      PATH,
      { objects: '{"version":1,"acl-policy":[["p"]]}' },
      { namespace: 'payments' },
    );
    await expect(readInventory(env.nomad, shop)).rejects.toMatchObject({
      code: 'inventory_unreadable',
      message: 'the inventory of stack "shop" cannot be read: it holds a malformed acl-policy entry ["p"]',
    });
    await env.nomad.variables.write(PATH, { objects: '{"version":2,"kinds":{}}' }, { namespace: 'payments' });
    await expect(readInventory(env.nomad, shop)).rejects.toMatchObject({
      code: 'inventory_newer',
      message:
        'the inventory of stack "shop" was written by a newer drover (format 2; this drover reads format 1)',
    });
  });

  describe('with ACLs on', () => {
    let management: string;
    beforeEach(() => {
      management = env.sim.enableAcl().SecretID;
    });

    const rules = (capabilities: string[]) => ({
      namespaces: { payments: { policy: 'read' as const, variables: { 'drover/stacks/*': capabilities } } },
    });

    it('reads and writes it with the variables capabilities read and write on drover/stacks/*', async () => {
      const ci = env.client({ token: env.sim.createToken(rules(['read', 'write'])).SecretID });
      const seen = await readInventory(ci, shop);
      expect(seen).toEqual({ readable: true, inventory: { ...shop, objects: [], modifyIndex: 0 } });
      if (!seen.readable) return;
      await updateInventory(ci, seen.inventory, { written: [policy('deploy', 3)], deleted: [] });
      const asManagement = await readInventory(env.client({ token: management }), shop);
      expect(asManagement).toMatchObject({ readable: true, inventory: { objects: [policy('deploy', 3)] } });
    });

    it('says when the token may not read it: never an empty inventory', async () => {
      const asManagement = env.client({ token: management });
      const seen = await readInventory(asManagement, shop);
      if (!seen.readable) throw new Error('management reads everything');
      await updateInventory(asManagement, seen.inventory, { written: [policy('deploy', 3)], deleted: [] });

      const tokens = {
        'a namespace reader': env.sim.createToken({ namespaces: { payments: { policy: 'read' } } }).SecretID,
        'a variables writer without read': env.sim.createToken(rules(['write'])).SecretID,
        'a token of another namespace': env.sim.createToken({
          namespaces: { default: { variables: { 'drover/stacks/*': ['read', 'write'] } } },
        }).SecretID,
        'an unknown token': '00000000-0000-4000-8000-000000000000',
        'no token': undefined,
      };
      for (const [who, token] of Object.entries(tokens))
        expect([who, await readInventory(env.client({ token }), shop)]).toEqual([
          who,
          { readable: false, location: shop },
        ]);
    });

    it('refuses an update by a token that may read but not write, naming the capability', async () => {
      const reader = env.client({ token: env.sim.createToken(rules(['read'])).SecretID });
      const seen = await readInventory(reader, shop);
      if (!seen.readable) throw new Error('the reader reads');
      const error = await updateInventory(reader, seen.inventory, {
        written: [policy('deploy', 3)],
        deleted: [],
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InventoryForbiddenError);
      expect(error).toMatchObject({
        capability: 'write',
        message:
          'the token may not write the inventory of stack "shop" (drover/stacks/shop/inventory in namespace "payments")',
        hint: expect.stringContaining(
          'namespace "payments" { variables { path "drover/stacks/*" { capabilities = ["read", "write"] } } }',
        ),
      });
      const { body } = await env
        .client({ token: management })
        .variables.read(PATH, { namespace: 'payments' });
      expect(body).toBeNull();
    });
  });
});
