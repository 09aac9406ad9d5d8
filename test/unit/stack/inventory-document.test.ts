import {
  INVENTORY_ITEM,
  MAX_VARIABLE_BYTES,
  decodeInventory,
  encodeInventory,
  type OwnedObject,
} from '../../../src/stack/inventory-document.js';

const bytesOf = (items: Record<string, string>) => Buffer.byteLength(Object.entries(items).flat().join(''));

const policies = (count: number, nameLength: number): OwnedObject[] =>
  Array.from({ length: count }, (_, i) => ({
    kind: 'acl-policy',
    name: `p${String(i).padStart(nameLength - 1, '0')}`,
    modifyIndex: 1_000_000 + i,
  }));

describe('the inventory document', () => {
  it('lists each kind in write order, variables under their namespace, and reads back what it wrote', () => {
    const objects: OwnedObject[] = [
      { kind: 'variable', namespace: 'web', name: 'nomad/jobs/web', modifyIndex: 40 },
      { kind: 'acl-role', name: 'ci', modifyIndex: 30 },
      { kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api', modifyIndex: 41 },
      { kind: 'namespace', name: 'web', modifyIndex: 11 },
      { kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api/db', modifyIndex: 42 },
      { kind: 'node-pool', name: 'gpu', modifyIndex: 10 },
      { kind: 'acl-policy', name: 'deploy', modifyIndex: 20 },
      { kind: 'namespace', name: 'payments', modifyIndex: 12 },
    ];
    const items = encodeInventory('shop', objects);
    expect(items).toEqual({
      objects:
        '{"version":1,"node-pool":[["gpu",10]],"namespace":[["payments",12],["web",11]],"acl-policy":[["deploy",20]],' +
        '"acl-role":[["ci",30]],"variable":{"payments":[["nomad/jobs/api",41],["nomad/jobs/api/db",42]],"web":[["nomad/jobs/web",40]]}}',
    });
    expect(decodeInventory('shop', items)).toEqual([
      { kind: 'node-pool', name: 'gpu', modifyIndex: 10 },
      { kind: 'namespace', name: 'payments', modifyIndex: 12 },
      { kind: 'namespace', name: 'web', modifyIndex: 11 },
      { kind: 'acl-policy', name: 'deploy', modifyIndex: 20 },
      { kind: 'acl-role', name: 'ci', modifyIndex: 30 },
      { kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api', modifyIndex: 41 },
      { kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api/db', modifyIndex: 42 },
      { kind: 'variable', namespace: 'web', name: 'nomad/jobs/web', modifyIndex: 40 },
    ]);
    expect(encodeInventory('shop', [])).toEqual({ objects: '{"version":1}' });
  });

  it('takes an entry’s name and 13 bytes at seven-digit indexes: about 1 980 objects of 20-character names fit', () => {
    const growth =
      bytesOf(encodeInventory('shop', policies(101, 20))) - bytesOf(encodeInventory('shop', policies(1, 20)));
    expect(growth / 100).toBe(20 + 13);
    expect(bytesOf(encodeInventory('shop', policies(1_980, 20)))).toBeLessThanOrEqual(MAX_VARIABLE_BYTES);
    expect(() => encodeInventory('shop', policies(1_990, 20))).toThrow(/past Nomad's limit of 64 KiB/);
    const variables = Array.from({ length: 1_500 }, (_, i): OwnedObject => ({
      kind: 'variable',
      namespace: i % 2 ? 'payments' : 'web',
      name: `nomad/jobs/${String(i).padStart(19, '0')}`,
      modifyIndex: 1_000_000 + i,
    }));
    expect(bytesOf(encodeInventory('shop', variables))).toBeLessThanOrEqual(MAX_VARIABLE_BYTES);
  });

  it.each([
    ['no item', {}, `it has no item "${INVENTORY_ITEM}"`],
    ['not JSON', { objects: '{"version":1,' }, 'its item is not JSON'],
    ['no version', { objects: '{"acl-policy":[]}' }, 'its item is not a versioned inventory'],
    ['an older format', { objects: '{"version":0}' }, 'format 0 is unknown'],
    ['an unknown kind', { objects: '{"version":1,"job":[["api",3]]}' }, 'it lists an unknown kind "job"'],
    ['a prototype key', { objects: '{"version":1,"__proto__":[]}' }, 'it lists an unknown kind "__proto__"'],
    [
      'rows not in a list',
      { objects: '{"version":1,"namespace":{"a":1}}' },
      'its namespace entry is not a list',
    ],
    [
      'a row without index',
      { objects: '{"version":1,"namespace":[["a"]]}' },
      'it holds a malformed namespace entry ["a"]',
    ],
    [
      'a negative index',
      { objects: '{"version":1,"node-pool":[["a",-1]]}' },
      'it holds a malformed node-pool entry ["a",-1]',
    ],
    [
      'an empty name',
      { objects: '{"version":1,"acl-role":[["",4]]}' },
      'it holds a malformed acl-role entry ["",4]',
    ],
    [
      'variables not under a namespace',
      { objects: '{"version":1,"variable":[["nomad/jobs/api",4]]}' },
      'its variable entry is not an object of namespaces',
    ],
    [
      'variables under an empty namespace',
      { objects: '{"version":1,"variable":{"":[["nomad/jobs/api",4]]}}' },
      'it holds a malformed variable entry ["nomad/jobs/api",4]',
    ],
  ])('refuses %s: never reads it as owning nothing', (_, items, why) => {
    expect(() => decodeInventory('shop', items)).toThrow(
      `the inventory of stack "shop" cannot be read: ${why}`,
    );
  });
});
