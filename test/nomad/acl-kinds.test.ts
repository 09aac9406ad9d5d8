import { NomadClient } from '../../src/nomad/client.js';
import type { AclPolicySpec, AclRoleSpec } from '../../src/nomad/endpoints/acl.js';
import { planForDisplay } from '../../src/plan/mask.js';
import type { Address } from '../../src/plan/model.js';
import { renderPlanHuman } from '../../src/render/plan-human.js';
import { applyAcl, ownedAfter, planAcl, summary } from '../support/acl-estate.js';
import { startNomadAgent, type NomadAgent } from './agent.js';

const RULES = `namespace "default" {
  policy = "read"
}
`;

const deploy: AclPolicySpec = {
  Name: 'deploy',
  Description: 'CI deploys',
  Rules: RULES,
  JobACL: { Namespace: 'default', JobID: 'api' },
};
const reader: AclPolicySpec = { Name: 'reader', Rules: 'node {\n  policy = "read"\n}\n' };
const ci: AclRoleSpec = {
  Name: 'ci',
  Description: 'Pipelines',
  Policies: [{ Name: 'deploy' }, { Name: 'reader' }, { Name: 'deploy' }],
};

/** ACL policies and roles planned and applied by drover's kinds on a real Nomad with ACLs on. */
describe('ACL policies and roles on a real Nomad agent', () => {
  let agent: NomadAgent;
  let nomad: NomadClient;
  const clients: NomadClient[] = [];
  const client = (address: string, token?: string) => {
    const created = new NomadClient({ address, ...(token ? { token } : {}) });
    clients.push(created);
    return created;
  };
  let owned: Address[] = [];

  beforeAll(async () => {
    agent = await startNomadAgent({ acl: true });
    nomad = client(agent.address, agent.managementToken);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await agent?.stop();
  });

  it('creates policies before the role, each policy linked once; then nothing changes, whatever the order', async () => {
    const first = await planAcl(nomad, { policies: [deploy, reader], roles: [ci] });
    expect(summary(first)).toEqual([
      '1 create acl-policy deploy',
      '1 create acl-policy reader',
      '2 create acl-role ci',
    ]);
    expect((await applyAcl(nomad, first)).ok).toBe(true);
    owned = ownedAfter(first);
    expect((await nomad.aclRoles.readByName('ci')).body.Policies).toEqual([
      { Name: 'deploy' },
      { Name: 'reader' },
    ]);
    const reordered = { ...ci, Policies: [{ Name: 'reader' }, { Name: 'deploy' }] };
    expect(
      summary(await planAcl(nomad, { policies: [deploy, reader], roles: [reordered] }, { owned })),
    ).toEqual(['1 noop acl-policy deploy', '1 noop acl-policy reader', '2 noop acl-role ci']);
  });

  it('compares the rules text as Nomad keeps it, and updates a role in place', async () => {
    const edited: AclPolicySpec = { ...deploy, Rules: `${RULES}\nnode {\n  policy = "read"\n}\n` };
    const role: AclRoleSpec = { ...ci, Description: 'CI', Policies: [{ Name: 'deploy' }] };
    const plan = await planAcl(nomad, { policies: [edited, reader], roles: [role] }, { owned });
    expect(summary(plan)).toEqual([
      '1 update acl-policy deploy',
      '1 noop acl-policy reader',
      '2 update acl-role ci',
    ]);
    const text = renderPlanHuman(planForDisplay(plan, { showSensitive: false }), { color: false });
    expect(text).toContain(
      [
        '      ~ Rules:',
        '          @@ -2,2 +2,6 @@',
        '             policy = "read"',
        '           }',
        '          +',
        '          +node {',
        '          +  policy = "read"',
        '          +}',
      ].join('\n'),
    );
    expect(text).toContain('      - Policies: "reader"');
    const { ID } = (await nomad.aclRoles.readByName('ci')).body;
    expect((await applyAcl(nomad, plan)).ok).toBe(true);
    expect((await nomad.aclRoles.read(ID)).body).toMatchObject({
      Description: 'CI',
      Policies: [{ Name: 'deploy' }],
    });
    expect(summary(await planAcl(nomad, { policies: [edited, reader], roles: [role] }, { owned }))).toEqual([
      '1 noop acl-policy deploy',
      '1 noop acl-policy reader',
      '2 noop acl-role ci',
    ]);
  });

  it('adopts a policy made by hand without writing it', async () => {
    await nomad.aclPolicies.write({ Name: 'by-hand', Rules: RULES });
    const index = (await nomad.aclPolicies.read('by-hand')).body.ModifyIndex;
    const plan = await planAcl(
      nomad,
      { policies: [{ Name: 'by-hand', Rules: RULES }, deploy, reader], roles: [ci] },
      { owned },
    );
    expect(summary(plan)[0]).toBe('1 adopt acl-policy by-hand');
    const result = await applyAcl(nomad, plan);
    expect(result.results[0]).toMatchObject({ outcome: 'succeeded', message: 'adopted', modifyIndex: index });
    expect((await nomad.aclPolicies.read('by-hand')).body.ModifyIndex).toBe(index);
    owned = ownedAfter(plan, owned);
  });

  it('refuses deleting a policy a role still links, and prunes the role before its policies', async () => {
    const prune = { owned, settings: { prune: true } };
    await expect(planAcl(nomad, { policies: [deploy], roles: [ci] }, prune)).rejects.toThrow(
      'ACL policy "reader" would be deleted, but ACL role "ci" still links it',
    );
    const pruning = await planAcl(nomad, { policies: [deploy] }, prune);
    expect(summary(pruning)).toEqual([
      '1 noop acl-policy deploy',
      '2 delete acl-role ci',
      '3 delete acl-policy by-hand',
      '3 delete acl-policy reader',
    ]);
    expect((await applyAcl(nomad, pruning)).ok).toBe(true);
    expect((await nomad.aclRoles.list()).body).toEqual([]);
    expect((await nomad.aclPolicies.list()).body.map((p) => p.Name)).toEqual(['deploy']);
    owned = ownedAfter(pruning, owned);
  });

  it('refuses a stale plan before writing', async () => {
    const plan = await planAcl(nomad, { policies: [{ ...deploy, Description: 'v2' }] }, { owned });
    await nomad.aclPolicies.write({ ...deploy, Description: 'by hand' });
    const result = await applyAcl(nomad, plan);
    expect(result.results[0]).toMatchObject({ outcome: 'failed', stale: true });
    expect((await nomad.aclPolicies.read('deploy')).body.Description).toBe('by hand');
  });

  it('names both kinds unseen for a token that is not management, whose lists Nomad filters silently', async () => {
    await nomad.aclRoles.create({ Name: 'ci', Policies: [{ Name: 'deploy' }] });
    const { SecretID } = await agent.api<{ SecretID: string }>('POST', '/v1/acl/token', {
      Name: 'ci',
      Type: 'client',
      Roles: [{ Name: 'ci' }],
    });
    const limited = client(agent.address, SecretID);
    await nomad.aclPolicies.write(reader);
    expect((await limited.aclPolicies.list()).body.map((p) => p.Name)).toEqual(['deploy']);
    const plan = await planAcl(limited, { policies: [deploy, reader], roles: [ci] }, { owned });
    expect(plan.changes).toEqual([]);
    expect(plan.unseen).toEqual([
      { kind: 'acl-policy', needs: 'a management token' },
      { kind: 'acl-role', needs: 'a management token' },
    ]);
  });

  it('refuses ACL objects on a cluster running without ACLs, saying what to do', async () => {
    const plain = await startNomadAgent({ acl: false });
    try {
      await expect(planAcl(client(plain.address), { policies: [deploy] })).rejects.toMatchObject({
        code: 'acl_disabled',
        message:
          "this Nomad runs with ACLs disabled: it has no ACL system to hold the project's ACL policies",
      });
    } finally {
      await plain.stop();
    }
  });
});
