import type { OwnedObject } from '../../../src/stack/inventory-document.js';
import { pruneCandidates } from '../../../src/stack/prune-candidates.js';

const owned: OwnedObject[] = [
  { kind: 'node-pool', name: 'gpu', modifyIndex: 10 },
  { kind: 'namespace', name: 'payments', modifyIndex: 11 },
  { kind: 'namespace', name: 'legacy', modifyIndex: 12 },
  { kind: 'acl-policy', name: 'deploy', modifyIndex: 20 },
  { kind: 'acl-policy', name: 'old-deploy', modifyIndex: 21 },
  { kind: 'acl-role', name: 'ci', modifyIndex: 30 },
  { kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api', modifyIndex: 40 },
  { kind: 'variable', namespace: 'legacy', name: 'nomad/jobs/api', modifyIndex: 41 },
];
const inventory = { cluster: 'eu', objects: owned };

describe('prune candidates: inventoried objects no longer declared', () => {
  it('lists them in delete order: variables, roles, policies, namespaces, node pools', () => {
    expect(pruneCandidates(inventory, [])).toEqual([
      { kind: 'variable', namespace: 'legacy', name: 'nomad/jobs/api', modifyIndex: 41 },
      { kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api', modifyIndex: 40 },
      { kind: 'acl-role', name: 'ci', modifyIndex: 30 },
      { kind: 'acl-policy', name: 'deploy', modifyIndex: 20 },
      { kind: 'acl-policy', name: 'old-deploy', modifyIndex: 21 },
      { kind: 'namespace', name: 'legacy', modifyIndex: 12 },
      { kind: 'namespace', name: 'payments', modifyIndex: 11 },
      { kind: 'node-pool', name: 'gpu', modifyIndex: 10 },
    ]);
  });

  it('keeps what the project declares in this cluster, a variable by its namespace and path', () => {
    const declared = [
      { cluster: 'eu', kind: 'node-pool', name: 'gpu' },
      { cluster: 'eu', kind: 'namespace', name: 'payments' },
      { cluster: 'eu', kind: 'acl-policy', name: 'deploy' },
      { cluster: 'eu', kind: 'acl-role', name: 'ci' },
      { cluster: 'eu', kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api' },
      // Not these: another cluster's policy, a job named like a namespace, a policy's name as a role.
      { cluster: 'us', kind: 'acl-policy', name: 'old-deploy' },
      { cluster: 'eu', kind: 'job', namespace: 'default', name: 'legacy' },
      { cluster: 'eu', kind: 'acl-role', name: 'old-deploy' },
    ];
    expect(pruneCandidates(inventory, declared)).toEqual([
      { kind: 'variable', namespace: 'legacy', name: 'nomad/jobs/api', modifyIndex: 41 },
      { kind: 'acl-policy', name: 'old-deploy', modifyIndex: 21 },
      { kind: 'namespace', name: 'legacy', modifyIndex: 12 },
    ]);
  });
});
