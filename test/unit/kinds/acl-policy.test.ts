import type { AclPolicySpec } from '../../../src/nomad/endpoints/acl.js';
import type { NomadClient } from '../../../src/nomad/client.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { planForDisplay } from '../../../src/plan/mask.js';
import { hasChanges, type Plan } from '../../../src/plan/model.js';
import { renderPlanHuman } from '../../../src/render/plan-human.js';
import { renderPlanJson } from '../../../src/render/plan-json.js';
import { aclToken, applyAcl, ownedAfter, planAcl, summary } from '../../support/acl-estate.js';
import { warningsOf } from '../../support/plan-changes.js';
import { settings } from '../../support/plan-env.js';
import { validatePlanDocument } from '../../support/plan-schema.js';
import { serviceJob, startSimulatedNomad, type SimulatedNomad } from '../../support/simulated-nomad.js';

const RULES = `namespace "payments" {
  policy = "write"
}
node {
  policy = "read"
}
`;

const deploy: AclPolicySpec = {
  Name: 'payments-deploy',
  Description: 'CI deploys payments',
  Rules: RULES,
  JobACL: { Namespace: 'payments', JobID: 'api' },
};

const text = (plan: Plan) =>
  renderPlanHuman(planForDisplay(plan, { showSensitive: false }), { color: false });

describe('ACL policies planned and applied', () => {
  let env: SimulatedNomad;
  let management: string;
  let nomad: NomadClient;
  beforeEach(async () => {
    env = await startSimulatedNomad();
    management = env.sim.enableAcl().SecretID;
    nomad = env.client({ token: management });
  });
  afterEach(() => env.close());

  it('creates a policy with its workload identity, then plans nothing more once the inventory lists it', async () => {
    const first = await planAcl(nomad, { policies: [deploy] });
    expect(summary(first)).toEqual(['1 create acl-policy payments-deploy']);
    expect(text(first)).toContain(
      [
        '  # ACL policy "payments-deploy" will be created  [wave 1]',
        '  + ACL policy "payments-deploy"  drover.hcl',
        '      + Description: "CI deploys payments"',
        '      + JobACL.JobID: "api"',
        '      + JobACL.Namespace: "payments"',
        `      + Rules: ${JSON.stringify(RULES)}`,
      ].join('\n'),
    );
    const result = await applyAcl(nomad, first);
    expect(result.results.map((r) => `${r.outcome} ${r.message}`)).toEqual(['succeeded created']);
    const live = (await nomad.aclPolicies.read('payments-deploy')).body;
    // The index of drover's own write, for the stack's inventory.
    expect(result.results[0]).toMatchObject({ modifyIndex: live.ModifyIndex });
    expect(live).toMatchObject({
      Description: 'CI deploys payments',
      Rules: RULES,
      JobACL: { Namespace: 'payments', JobID: 'api', Group: '', Task: '' },
    });
    const again = await planAcl(nomad, { policies: [deploy] }, { owned: ownedAfter(first) });
    expect(summary(again)).toEqual(['1 noop acl-policy payments-deploy']);
    expect(hasChanges(again)).toBe(false);
  });

  it('shows edited rules as a line diff, compares the text as written, and writes the whole policy', async () => {
    const created = await planAcl(nomad, { policies: [deploy] });
    await applyAcl(nomad, created);
    const owned = ownedAfter(created);
    const edited: AclPolicySpec = {
      Name: 'payments-deploy',
      Description: 'CI deploys payments',
      Rules: RULES.replace('"write"', '"read"') + 'agent {\n  policy = "read"\n}\n',
    };
    const plan = await planAcl(nomad, { policies: [edited] }, { owned });
    expect(summary(plan)).toEqual(['1 update acl-policy payments-deploy']);
    expect(text(plan)).toContain(
      [
        '  ~ ACL policy "payments-deploy"  drover.hcl',
        '      - JobACL.JobID: "api"',
        '      - JobACL.Namespace: "payments"',
        '      ~ Rules:',
        '          @@ -1,6 +1,9 @@',
        '           namespace "payments" {',
        '          -  policy = "write"',
        '          +  policy = "read"',
        '           }',
        '           node {',
        '             policy = "read"',
        '           }',
        '          +agent {',
        '          +  policy = "read"',
        '          +}',
      ].join('\n'),
    );
    expect((await applyAcl(nomad, plan)).ok).toBe(true);
    expect((await nomad.aclPolicies.read('payments-deploy')).body).toMatchObject({
      Rules: edited.Rules,
      JobACL: null,
    });
    // Nomad keeps the rules as written: a trailing newline more is a change, and only that.
    const newline = await planAcl(
      nomad,
      { policies: [{ ...edited, Rules: `${edited.Rules}\n` }] },
      { owned },
    );
    expect(summary(newline)).toEqual(['1 update acl-policy payments-deploy']);
    expect(text(newline)).toContain(
      [
        '      ~ Rules:',
        '          @@ -8,2 +8,3 @@',
        '             policy = "read"',
        '           }',
        '          +',
      ].join('\n'),
    );
  });

  it('adopts an existing policy by listing it, without writing it when it is as declared', async () => {
    await nomad.aclPolicies.write(deploy);
    const index = (await nomad.aclPolicies.read('payments-deploy')).body.ModifyIndex;
    const adopting = await planAcl(nomad, { policies: [deploy] });
    expect(summary(adopting)).toEqual(['1 adopt acl-policy payments-deploy']);
    expect(warningsOf(adopting.changes[0])).toEqual([
      'drover takes this ACL policy over by listing it in the inventory of stack "shop": prune and destroy may then delete it.',
    ]);
    const result = await applyAcl(nomad, adopting);
    expect(result.results[0]).toMatchObject({ outcome: 'succeeded', message: 'adopted', modifyIndex: index });
    expect((await nomad.aclPolicies.read('payments-deploy')).body.ModifyIndex).toBe(index);

    const differing = await planAcl(nomad, { policies: [{ ...deploy, Description: 'Deploys' }] });
    expect(summary(differing)).toEqual(['1 adopt acl-policy payments-deploy']);
    expect(text(differing)).toContain('      ~ Description: "CI deploys payments" → "Deploys"');
    expect((await applyAcl(nomad, differing)).ok).toBe(true);
    expect((await nomad.aclPolicies.read('payments-deploy')).body.Description).toBe('Deploys');
  });

  it('without a stack, an existing policy is updated or unchanged, never adopted', async () => {
    await nomad.aclPolicies.write(deploy);
    const plan = await planAcl(nomad, { policies: [deploy] }, { settings: { stack: undefined } });
    expect(summary(plan)).toEqual(['1 noop acl-policy payments-deploy']);
  });

  it('prunes only the policies the inventory lists, after the roles', async () => {
    const created = await planAcl(nomad, {
      policies: [deploy, { Name: 'reader', Rules: 'node {\n  policy = "read"\n}\n' }],
      roles: [{ Name: 'ci', Policies: [{ Name: 'reader' }] }],
    });
    await applyAcl(nomad, created);
    await nomad.aclPolicies.write({ Name: 'by-hand', Rules: '' });
    const pruning = await planAcl(
      nomad,
      { policies: [deploy] },
      {
        owned: ownedAfter(created),
        settings: { prune: true },
      },
    );
    expect(summary(pruning)).toEqual([
      '1 noop acl-policy payments-deploy',
      '2 delete acl-role ci',
      '3 delete acl-policy reader',
    ]);
    expect(text(pruning)).toContain(
      ['  # ACL policy "reader" will be deleted  [wave 3]', '  - ACL policy "reader"'].join('\n'),
    );
    expect((await applyAcl(nomad, pruning)).ok).toBe(true);
    expect((await nomad.aclPolicies.list()).body.map((p) => p.Name)).toEqual(['by-hand', 'payments-deploy']);
    expect((await nomad.aclRoles.list()).body).toEqual([]);
  });

  it('refuses to delete a policy a role would still link, naming the role', async () => {
    const created = await planAcl(nomad, {
      policies: [deploy, { Name: 'reader', Rules: '' }],
      roles: [{ Name: 'ci', Policies: [{ Name: 'reader' }, { Name: 'payments-deploy' }] }],
    });
    await applyAcl(nomad, created);
    const owned = ownedAfter(created);
    const prune = { owned, settings: { prune: true } };
    await expect(
      planAcl(nomad, { policies: [deploy], roles: [{ Name: 'ci', Policies: [{ Name: 'reader' }] }] }, prune),
    ).rejects.toThrow('ACL policy "reader" would be deleted, but ACL role "ci" still links it');
    // A role drover does not own links it too.
    await nomad.aclRoles.create({ Name: 'by-hand', Policies: [{ Name: 'reader' }] });
    await expect(
      planAcl(
        nomad,
        { policies: [deploy], roles: [{ Name: 'ci', Policies: [{ Name: 'payments-deploy' }] }] },
        prune,
      ),
    ).rejects.toThrow('ACL policy "reader" would be deleted, but ACL role "by-hand" still links it');
    await expect(
      planAcl(nomad, { policies: [deploy], roles: [{ Name: 'ci', Policies: [{ Name: 'reader' }] }] }, prune),
    ).rejects.toThrow('ACL policy "reader" would be deleted, but ACL roles "by-hand", "ci" still link it');
    const byHand = (await nomad.aclRoles.readByName('by-hand')).body;
    await nomad.aclRoles.delete(byHand.ID);
    // Unlinked in the same plan, or deleted with it: accepted.
    const unlinking = await planAcl(
      nomad,
      { policies: [deploy], roles: [{ Name: 'ci', Policies: [{ Name: 'payments-deploy' }] }] },
      prune,
    );
    expect(summary(unlinking)).toEqual([
      '1 noop acl-policy payments-deploy',
      '2 update acl-role ci',
      '3 delete acl-policy reader',
    ]);
    expect(summary(await planAcl(nomad, { policies: [deploy] }, prune))).toEqual([
      '1 noop acl-policy payments-deploy',
      '2 delete acl-role ci',
      '3 delete acl-policy reader',
    ]);
    expect((await applyAcl(nomad, unlinking)).ok).toBe(true);
    expect((await nomad.aclRoles.readByName('ci')).body.Policies).toEqual([{ Name: 'payments-deploy' }]);
  });

  it('refuses a plan whose policy changed since, before writing anything', async () => {
    const created = await planAcl(nomad, { policies: [deploy] });
    await applyAcl(nomad, created);
    const plan = await planAcl(
      nomad,
      { policies: [{ ...deploy, Description: 'v2' }] },
      { owned: ownedAfter(created) },
    );
    await nomad.aclPolicies.write({ ...deploy, Description: 'edited by hand' });
    const result = await applyAcl(nomad, plan);
    expect(result.ok).toBe(false);
    expect(result.results[0]).toMatchObject({ outcome: 'failed', stale: true });
    expect(result.results[0]!.message).toMatch(
      /^ACL policy payments-deploy changed since the plan \(modify index \d+ → \d+\); run plan again$/,
    );
    expect((await nomad.aclPolicies.read('payments-deploy')).body.Description).toBe('edited by hand');

    const creating = await planAcl(nomad, { policies: [{ Name: 'late', Rules: '' }] });
    await nomad.aclPolicies.write({ Name: 'late', Description: 'first', Rules: '' });
    expect((await applyAcl(nomad, creating)).results[0]!.message).toBe(
      'ACL policy late changed since the plan (it exists now); run plan again',
    );
  });

  it('names the ACL kinds a token that is not management cannot see, and apply refuses the plan', async () => {
    await nomad.aclPolicies.write({ Name: 'reader', Rules: 'namespace "default" {\n  policy = "read"\n}\n' });
    await nomad.aclRoles.create({ Name: 'ci', Policies: [{ Name: 'reader' }] });
    // This token sees the policy and role linked to it, and nothing else: a list that looks complete.
    const limited = env.client({ token: await aclToken(env, management, { roles: ['ci'] }) });
    expect((await limited.aclPolicies.list()).body.map((p) => p.Name)).toEqual(['reader']);
    const plan = await planAcl(limited, {
      policies: [deploy],
      roles: [{ Name: 'ci', Policies: [{ Name: 'reader' }] }],
    });
    expect(plan.changes).toEqual([]);
    expect(plan.unseen).toEqual([
      { kind: 'acl-policy', needs: 'a management token' },
      { kind: 'acl-role', needs: 'a management token' },
    ]);
    expect(hasChanges(plan)).toBe(true);
    expect(text(plan)).toContain(
      '  ! ACL policies: the token may not read them (it needs a management token); what changes is unknown, and apply refuses this plan',
    );
    await expect(applyAcl(limited, plan)).rejects.toThrow(
      'the plan could not read ACL policies, ACL roles: nothing was applied',
    );
  });

  it('asks nothing of the ACL system when the project declares no ACL object and the stack owns none', async () => {
    const anonymous = env.client();
    const before = env.sim.requests.length;
    const plan = await planAcl(anonymous, {});
    expect(plan).toMatchObject({ changes: [] });
    expect(plan.unseen).toBeUndefined();
    expect(env.sim.requests.slice(before)).toEqual([]);
  });

  it('refuses, saying what to do, a project with ACL objects on a cluster running without ACLs', async () => {
    const plain = await startSimulatedNomad();
    try {
      await expect(planAcl(plain.nomad, { policies: [deploy] })).rejects.toMatchObject({
        message:
          "this Nomad runs with ACLs disabled: it has no ACL system to hold the project's ACL policies",
        code: 'acl_disabled',
        hint: expect.stringContaining('Remove the acl_policy and acl_role blocks'),
      });
      await expect(
        planAcl(plain.nomad, { roles: [{ Name: 'ci', Policies: [{ Name: 'reader' }] }] }),
      ).rejects.toThrow(
        "this Nomad runs with ACLs disabled: it has no ACL system to hold the project's ACL roles",
      );
    } finally {
      await plain.close();
    }
  });

  it('writes policies after namespaces and before jobs, and renders JSON that validates against the schema', async () => {
    const plan = await buildPlan({
      client: nomad,
      desired: {
        namespace: { objects: [{ spec: { Name: 'payments' } }] },
        'acl-policy': { objects: [{ spec: deploy, file: 'drover.hcl' }] },
        'acl-role': { objects: [{ spec: { Name: 'ci', Policies: [{ Name: 'payments-deploy' }] } }] },
        job: {
          jobs: [{ job: serviceJob('api', { Namespace: 'payments' }) }],
          dangerouslyAllowEmptyPrune: true,
        },
      },
      settings: settings(),
    });
    expect(summary(plan)).toEqual([
      '1 create namespace payments',
      '2 create acl-policy payments-deploy',
      '3 create acl-role ci',
      '4 create job api',
    ]);
    const document = renderPlanJson(planForDisplay(plan, { showSensitive: false }), {
      droverVersion: '0.0.0',
    }) as {
      changes: Array<{ address: unknown; fields?: unknown[] }>;
    };
    expect(validatePlanDocument(document)).toEqual([]);
    expect(document.changes[1]).toMatchObject({
      address: { cluster: 'default', kind: 'acl-policy', namespace: null, name: 'payments-deploy' },
      action: 'create',
      modify_index: 0,
    });
    expect(document.changes[1]!.fields).toContainEqual({
      Type: 'Added',
      Name: 'Rules',
      Old: '',
      New: RULES,
      Annotations: null,
    });
  });
});
