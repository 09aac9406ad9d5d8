import type { AclPolicySpec, AclRoleSpec } from '../../../src/nomad/endpoints/acl.js';
import type { NomadClient } from '../../../src/nomad/client.js';
import { planForDisplay } from '../../../src/plan/mask.js';
import type { Plan } from '../../../src/plan/model.js';
import { renderPlanHuman } from '../../../src/render/plan-human.js';
import { renderPlanJson } from '../../../src/render/plan-json.js';
import { applyAcl, ownedAfter, planAcl, summary } from '../../support/acl-estate.js';
import { warningsOf } from '../../support/plan-changes.js';
import { validatePlanDocument } from '../../support/plan-schema.js';
import { startSimulatedNomad, type SimulatedNomad } from '../../support/simulated-nomad.js';

const policy = (Name: string): AclPolicySpec => ({ Name, Rules: `node {\n  policy = "read"\n}\n` });
const deploy = policy('payments-deploy');
const reader = policy('ns-reader');

const ci: AclRoleSpec = {
  Name: 'payments-ci',
  Description: 'Pipelines of the payments team',
  Policies: [{ Name: 'payments-deploy' }, { Name: 'ns-reader' }, { Name: 'payments-deploy' }],
};

const text = (plan: Plan) =>
  renderPlanHuman(planForDisplay(plan, { showSensitive: false }), { color: false });

describe('ACL roles planned and applied', () => {
  let env: SimulatedNomad;
  let nomad: NomadClient;
  beforeEach(async () => {
    env = await startSimulatedNomad();
    nomad = env.client({ token: env.sim.enableAcl().SecretID });
  });
  afterEach(() => env.close());

  it('creates a role after the policies it links, each policy once, and then plans nothing whatever their order', async () => {
    const first = await planAcl(nomad, { policies: [deploy, reader], roles: [ci] });
    expect(summary(first)).toEqual([
      '1 create acl-policy ns-reader',
      '1 create acl-policy payments-deploy',
      '2 create acl-role payments-ci',
    ]);
    expect(text(first)).toContain(
      [
        '  # ACL role "payments-ci" will be created  [wave 2]',
        '  + ACL role "payments-ci"  drover.hcl',
        '      + Description: "Pipelines of the payments team"',
        '      + Policies: "ns-reader"',
        '      + Policies: "payments-deploy"',
      ].join('\n'),
    );
    expect(text(first).split('\n').at(-1)).toBe(
      'Plan: 3 to create, 0 to update, 0 to delete (ACL policies: 2 to create; ACL roles: 1 to create).',
    );
    const result = await applyAcl(nomad, first);
    expect(result.results.map((r) => `${r.address.name}: ${r.outcome} ${r.message}`)).toEqual([
      'ns-reader: succeeded created',
      'payments-deploy: succeeded created',
      'payments-ci: succeeded created',
    ]);
    const live = (await nomad.aclRoles.readByName('payments-ci')).body;
    expect(result.results[2]).toMatchObject({ modifyIndex: live.ModifyIndex });
    expect(live).toMatchObject({
      Description: 'Pipelines of the payments team',
      Policies: [{ Name: 'payments-deploy' }, { Name: 'ns-reader' }],
    });
    const reordered = { ...ci, Policies: [{ Name: 'ns-reader' }, { Name: 'payments-deploy' }] };
    const again = await planAcl(
      nomad,
      { policies: [deploy, reader], roles: [reordered] },
      { owned: ownedAfter(first) },
    );
    expect(summary(again)).toEqual([
      '1 noop acl-policy ns-reader',
      '1 noop acl-policy payments-deploy',
      '2 noop acl-role payments-ci',
    ]);
  });

  it('updates a role in place (same ID), showing each policy linked and unlinked', async () => {
    const first = await planAcl(nomad, { policies: [deploy, reader], roles: [ci] });
    await applyAcl(nomad, first);
    const { ID } = (await nomad.aclRoles.readByName('payments-ci')).body;
    const edited: AclRoleSpec = {
      Name: 'payments-ci',
      Description: 'CI',
      Policies: [{ Name: 'ops' }, { Name: 'ns-reader' }],
    };
    const plan = await planAcl(
      nomad,
      { policies: [deploy, reader, policy('ops')], roles: [edited] },
      { owned: ownedAfter(first) },
    );
    expect(summary(plan)).toEqual([
      '1 noop acl-policy ns-reader',
      '1 create acl-policy ops',
      '1 noop acl-policy payments-deploy',
      '2 update acl-role payments-ci',
    ]);
    expect(text(plan)).toContain(
      [
        '  ~ ACL role "payments-ci"  drover.hcl',
        '      ~ Description: "Pipelines of the payments team" → "CI"',
        '      + Policies: "ops"',
        '      - Policies: "payments-deploy"',
      ].join('\n'),
    );
    expect((await applyAcl(nomad, plan)).ok).toBe(true);
    expect((await nomad.aclRoles.list()).body).toEqual([
      expect.objectContaining({ ID, Description: 'CI', Policies: [{ Name: 'ops' }, { Name: 'ns-reader' }] }),
    ]);
  });

  it('refuses a role linking a policy neither declared nor in Nomad, naming both; one declared or in Nomad is fine', async () => {
    await expect(planAcl(nomad, { policies: [deploy], roles: [ci] })).rejects.toMatchObject({
      message:
        'ACL role "payments-ci" links ACL policy "ns-reader", which neither the project declares nor Nomad holds',
      hint: `Declare acl_policy "ns-reader" in the project, create it in Nomad, or correct the name in the role's policies.`,
    });
    await nomad.aclPolicies.write(reader);
    expect(summary(await planAcl(nomad, { policies: [deploy], roles: [ci] }))).toEqual([
      '1 create acl-policy payments-deploy',
      '2 create acl-role payments-ci',
    ]);
  });

  it('refuses a role without policies and a role declared twice', async () => {
    await expect(planAcl(nomad, { roles: [{ Name: 'empty', Policies: [] }] })).rejects.toMatchObject({
      message: 'ACL role "empty" links no policy (drover.hcl)',
      hint: 'Nomad requires at least one policy per role: name one in its policies.',
    });
    await expect(planAcl(nomad, { policies: [deploy, reader], roles: [ci, ci] })).rejects.toThrow(
      'ACL role "payments-ci" is declared twice: in drover.hcl and drover.hcl',
    );
  });

  it('adopts an existing role by listing it, writes it only if it differs, and says so in every rendering', async () => {
    await nomad.aclPolicies.write(deploy);
    await nomad.aclPolicies.write(reader);
    const existing = await nomad.aclRoles.create({
      ...ci,
      Policies: [{ Name: 'ns-reader' }, { Name: 'payments-deploy' }],
    });
    const adopting = await planAcl(nomad, { roles: [ci] });
    expect(summary(adopting)).toEqual(['1 adopt acl-role payments-ci']);
    expect(warningsOf(adopting.changes[0])).toEqual([
      'drover takes this ACL role over by listing it in the inventory of stack "shop": prune and destroy may then delete it.',
    ]);
    const document = renderPlanJson(planForDisplay(adopting, { showSensitive: false }), {
      droverVersion: '0.0.0',
    }) as {
      changes: Array<{ address: unknown; notes: unknown[] }>;
    };
    expect(validatePlanDocument(document)).toEqual([]);
    expect(document.changes[0]).toMatchObject({
      address: { cluster: 'default', kind: 'acl-role', namespace: null, name: 'payments-ci' },
      action: 'adopt',
      notes: [{ type: 'adopt-inventory', message: expect.stringContaining('inventory of stack "shop"') }],
    });
    expect((await applyAcl(nomad, adopting)).results[0]).toMatchObject({
      outcome: 'succeeded',
      message: 'adopted',
    });
    expect((await nomad.aclRoles.read(existing.ID)).body.ModifyIndex).toBe(existing.ModifyIndex);

    const differing = await planAcl(nomad, { roles: [{ ...ci, Policies: [{ Name: 'ns-reader' }] }] });
    expect(text(differing)).toContain(
      ['  ≈ ACL role "payments-ci"  drover.hcl', '      - Policies: "payments-deploy"'].join('\n'),
    );
    expect((await applyAcl(nomad, differing)).ok).toBe(true);
    expect((await nomad.aclRoles.read(existing.ID)).body.Policies).toEqual([{ Name: 'ns-reader' }]);
  });

  it('prunes only the roles the inventory lists, by their ID', async () => {
    const first = await planAcl(nomad, { policies: [deploy, reader], roles: [ci] });
    await applyAcl(nomad, first);
    await nomad.aclRoles.create({ Name: 'by-hand', Policies: [{ Name: 'ns-reader' }] });
    const pruning = await planAcl(
      nomad,
      { policies: [deploy, reader] },
      {
        owned: ownedAfter(first),
        settings: { prune: true },
      },
    );
    expect(summary(pruning)).toEqual([
      '1 noop acl-policy ns-reader',
      '1 noop acl-policy payments-deploy',
      '2 delete acl-role payments-ci',
    ]);
    expect((await applyAcl(nomad, pruning)).ok).toBe(true);
    expect((await nomad.aclRoles.list()).body.map((r) => r.Name)).toEqual(['by-hand']);
    // Without prune, nothing is deleted.
    const owned = [...ownedAfter(first), { cluster: 'default', kind: 'acl-role' as const, name: 'by-hand' }];
    expect(summary(await planAcl(nomad, { policies: [deploy, reader] }, { owned }))).toEqual([
      '1 noop acl-policy ns-reader',
      '1 noop acl-policy payments-deploy',
    ]);
  });

  it('refuses a plan whose role changed or went since, before writing anything', async () => {
    const first = await planAcl(nomad, { policies: [deploy, reader], roles: [ci] });
    await applyAcl(nomad, first);
    const owned = ownedAfter(first);
    const plan = await planAcl(
      nomad,
      { policies: [deploy, reader], roles: [{ ...ci, Description: 'v2' }] },
      { owned },
    );
    const live = (await nomad.aclRoles.readByName('payments-ci')).body;
    await nomad.aclRoles.update(live.ID, { ...ci, Description: 'edited by hand' });
    const result = await applyAcl(nomad, plan);
    expect(result.ok).toBe(false);
    const role = result.results.find((r) => r.address.kind === 'acl-role')!;
    expect(role).toMatchObject({ outcome: 'failed', stale: true });
    expect(role.message).toMatch(
      /^ACL role payments-ci changed since the plan \(modify index \d+ → \d+\); run plan again$/,
    );
    expect((await nomad.aclRoles.read(live.ID)).body.Description).toBe('edited by hand');

    const deleting = await planAcl(
      nomad,
      { policies: [deploy, reader] },
      { owned, settings: { prune: true } },
    );
    await nomad.aclRoles.delete(live.ID);
    const gone = await applyAcl(nomad, deleting);
    expect(gone.results.find((r) => r.address.kind === 'acl-role')).toMatchObject({
      outcome: 'failed',
      stale: true,
      message: 'ACL role payments-ci changed since the plan (it is gone); run plan again',
    });
    await nomad.aclRoles.create({ ...ci, Description: 'made again' });
    const remade = await applyAcl(nomad, deleting);
    expect(remade.results.find((r) => r.address.kind === 'acl-role')!.message).toMatch(
      /^ACL role payments-ci changed since the plan \(modify index \d+ → \d+\); run plan again$/,
    );
    expect((await nomad.aclRoles.readByName('payments-ci')).body.Description).toBe('made again');
  });
});
