import { seesEverything } from '../../../src/nomad/endpoints/acl.js';
import {
  NomadAclDisabledError,
  NomadBuiltInObjectError,
  NomadObjectInUseError,
  NomadObjectNotFoundError,
  NomadObjectRefusedError,
  NomadPermissionError,
  NomadUnlicensedError,
} from '../../../src/nomad/errors.js';
import type { NomadClient } from '../../../src/nomad/client.js';
import {
  runFor,
  serviceJob,
  startSimulatedNomad,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const HOUR = 3_600_000_000_000;

/** The error a promise rejects with (fails the test if it resolves). */
async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

/** The error a promise rejects with, checked to be of this class and to have these fields. */
async function refusedWith<T extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => T,
  fields: Record<string, unknown> = {},
): Promise<T> {
  const error = await refusal(promise);
  expect(error).toBeInstanceOf(type);
  expect(error).toMatchObject(fields);
  return error as T;
}

describe('namespaces, node pools, ACL policies and roles, variables: the client against the simulator', () => {
  let env: SimulatedNomad;
  let nomad: NomadClient;
  let management: string;

  /** A client token made through the API, as an operator makes one. */
  async function tokenWith(link: { policies?: string[]; roles?: string[] }): Promise<NomadClient> {
    const response = await fetch(`${env.sim.address}/v1/acl/token`, {
      method: 'PUT',
      headers: { 'X-Nomad-Token': management },
      body: JSON.stringify({
        Name: 'limited',
        Type: 'client',
        Policies: link.policies ?? [],
        Roles: (link.roles ?? []).map((ID) => ({ ID })),
      }),
    });
    const { SecretID } = (await response.json()) as { SecretID: string };
    return env.client({ token: SecretID, tokenSource: 'NOMAD_TOKEN' });
  }

  beforeEach(async () => {
    env = await startSimulatedNomad();
    management = env.sim.enableAcl().SecretID;
    nomad = env.client({ token: management, tokenSource: 'NOMAD_TOKEN' });
  });
  afterEach(() => env.close());

  describe('namespaces', () => {
    it('lists default, creates a namespace, replaces it whole on the next write, deletes it', async () => {
      expect((await nomad.namespaces.list()).body.map((n) => n.Name)).toEqual(['default']);
      const created = await nomad.namespaces.write({
        Name: 'payments',
        Description: 'Payments team',
        Meta: { team: 'payments' },
        Capabilities: {
          EnabledTaskDrivers: ['docker'],
          DisabledTaskDrivers: null,
          EnabledNetworkModes: null,
          DisabledNetworkModes: null,
        },
      });
      const { body: read, meta } = await nomad.namespaces.read('payments');
      expect(read).toMatchObject({
        Name: 'payments',
        Description: 'Payments team',
        Meta: { team: 'payments' },
        Capabilities: { EnabledTaskDrivers: ['docker'], DisabledTaskDrivers: null },
        NodePoolConfiguration: null,
        Quota: '',
        CreateIndex: created.index,
        ModifyIndex: created.index,
      });
      expect(meta.index).toBe(created.index);

      const replaced = await nomad.namespaces.write({ Name: 'payments', Description: 'Payments, v2' });
      expect((await nomad.namespaces.read('payments')).body).toMatchObject({
        Description: 'Payments, v2',
        Meta: null,
        Capabilities: null,
        CreateIndex: created.index,
        ModifyIndex: replaced.index,
      });
      expect((await nomad.namespaces.list({ prefix: 'pay' })).body.map((n) => n.Name)).toEqual(['payments']);

      await nomad.namespaces.delete('payments');
      const gone = await nomad.namespaces.find('payments');
      expect(gone.body).toBeNull();
      expect(gone.meta.index).toBeGreaterThan(replaced.index);
      expect(await nomad.namespaces.exists('payments')).toBe(false);
      const missing = await refusal(nomad.namespaces.read('payments'));
      expect(missing).toBeInstanceOf(NomadObjectNotFoundError);
      expect(missing).toMatchObject({ kind: 'namespace', objectName: 'payments', status: 404 });
    });

    it('names the Enterprise features open-source Nomad refuses, and a quota it does not have', async () => {
      const pools = await refusal(
        nomad.namespaces.write({
          Name: 'ent',
          NodePoolConfiguration: { Default: 'general', Allowed: null, Denied: null },
        }),
      );
      expect(pools).toBeInstanceOf(NomadUnlicensedError);
      expect(pools).toMatchObject({
        kind: 'namespace',
        objectName: 'ent',
        features: ['Node Pools Governance'],
      });
      expect((pools as NomadUnlicensedError).hint).toContain(
        'Node Pools Governance is a Nomad Enterprise feature',
      );

      const clusters = await refusal(
        nomad.namespaces.write({
          Name: 'ent',
          VaultConfiguration: { Default: 'default', Allowed: null, Denied: null },
          ConsulConfiguration: { Default: 'default', Allowed: null, Denied: null },
        }),
      );
      expect(clusters).toMatchObject({ features: ['Multi-Cluster Vault', 'Multi-Cluster Consul'] });

      const quota = await refusal(nomad.namespaces.write({ Name: 'ent', Quota: 'gold' }));
      expect(quota).toBeInstanceOf(NomadObjectRefusedError);
      expect(quota).not.toBeInstanceOf(NomadUnlicensedError);
      expect(quota).toMatchObject({ missing: { kind: 'quota', name: 'gold' } });

      const invalid = await refusal(
        nomad.namespaces.write({ Name: 'bad_name', Description: 'x'.repeat(257) }),
      );
      expect(invalid).toMatchObject({
        problems: [
          'invalid name "bad_name". Must match regex ^[a-zA-Z0-9-]{1,128}$',
          'description longer than 256',
        ],
      });
      expect(await nomad.namespaces.exists('ent')).toBe(false);
    });

    it('refuses to delete default, a namespace it does not have, and one that still holds a job and variables', async () => {
      expect(await refusal(nomad.namespaces.delete('default'))).toBeInstanceOf(NomadBuiltInObjectError);
      await refusedWith(nomad.namespaces.delete('ghost'), NomadObjectNotFoundError, { objectName: 'ghost' });

      await nomad.namespaces.write({ Name: 'payments' });
      await nomad.jobs.register(
        { Job: serviceJob('api', { Namespace: 'payments' }) },
        { namespace: 'payments' },
      );
      await nomad.variables.write('nomad/jobs/api', { password: 'p' }, { namespace: 'payments', cas: 0 });
      runFor(env.sim, 20_000);
      const held = await refusal(nomad.namespaces.delete('payments'));
      expect(held).toBeInstanceOf(NomadObjectInUseError);
      expect(held).toMatchObject({
        kind: 'namespace',
        objectName: 'payments',
        holds: ['jobs', 'allocations', 'variables'],
      });

      await nomad.jobs.deregister('api', { namespace: 'payments' });
      runFor(env.sim, 20_000);
      expect(await refusal(nomad.namespaces.delete('payments'))).toMatchObject({ holds: ['variables'] });

      await nomad.variables.delete('nomad/jobs/api', { namespace: 'payments' });
      await nomad.namespaces.delete('payments');
      expect(await nomad.namespaces.exists('payments')).toBe(false);
    });

    it('shows a token only the namespaces it holds a capability in, and names management for writes', async () => {
      await nomad.namespaces.write({ Name: 'payments' });
      await nomad.aclPolicies.write({
        Name: 'reader',
        Rules: 'namespace "payments" {\n  policy = "read"\n}\n',
      });
      const reader = await tokenWith({ policies: ['reader'] });
      expect((await reader.namespaces.list()).body.map((n) => n.Name)).toEqual(['payments']);
      expect(await reader.namespaces.exists('payments')).toBe(true);
      // Nomad answers 403 for a namespace the token may not see, whether or not it exists.
      expect(await reader.namespaces.exists('default')).toBeUndefined();
      expect(await reader.namespaces.exists('ghost')).toBeUndefined();
      const write = await refusal(reader.namespaces.write({ Name: 'payments' }));
      expect(write).toBeInstanceOf(NomadPermissionError);
      expect((write as NomadPermissionError).capability).toBe(
        'management (only a management token writes namespaces)',
      );
    });

    it('answers a blocking list once a namespace is added', async () => {
      const watch = nomad.watch((q) => nomad.namespaces.list(q), { wait: '10s' });
      expect((await watch.next()).value.map((n) => n.Name)).toEqual(['default']);
      const next = watch.next();
      await nomad.namespaces.write({ Name: 'later' });
      expect((await next).value.map((n) => n.Name)).toEqual(['default', 'later']);
    });
  });

  describe('node pools', () => {
    it("has all and default from the start, writes a pool with its TTL or Nomad's 24 h, finds none missing", async () => {
      const builtIn = (await nomad.nodePools.list()).body;
      expect(builtIn.map((p) => [p.Name, p.Hash, p.NodeIdentityTTL])).toEqual([
        ['all', null, 24 * HOUR],
        ['default', null, 24 * HOUR],
      ]);
      const written = await nomad.nodePools.write({
        Name: 'general',
        Description: 'Nodes for everyone',
        Meta: { tier: 'shared' },
        NodeIdentityTTL: 2 * HOUR,
      });
      expect((await nomad.nodePools.read('general')).body).toMatchObject({
        Description: 'Nodes for everyone',
        Meta: { tier: 'shared' },
        NodeIdentityTTL: 2 * HOUR,
        SchedulerConfiguration: null,
        CreateIndex: written.index,
      });
      await nomad.nodePools.write({ Name: 'general' });
      expect((await nomad.nodePools.read('general')).body).toMatchObject({
        Meta: null,
        NodeIdentityTTL: 24 * HOUR,
      });
      expect((await nomad.nodePools.find('ghost')).body).toBeNull();
      expect(await nomad.nodePools.jobs('general')).toMatchObject({ body: [] });
      expect((await nomad.nodePools.nodes('default')).body).toHaveLength(3);
      expect((await nomad.nodePools.nodes('general')).body).toHaveLength(0);
    });

    it('refuses built-in pools, scheduler settings, bad names, missing pools, and pools with nodes or jobs', async () => {
      await refusedWith(
        nomad.nodePools.write({ Name: 'default', Description: 'mine' }),
        NomadBuiltInObjectError,
        { kind: 'node pool', objectName: 'default' },
      );
      expect(await refusal(nomad.nodePools.delete('all'))).toBeInstanceOf(NomadBuiltInObjectError);
      await refusedWith(nomad.nodePools.delete('default'), NomadObjectInUseError, { holds: ['nodes'] });
      await refusedWith(
        nomad.nodePools.write({
          Name: 'sched',
          SchedulerConfiguration: { SchedulerAlgorithm: 'spread', MemoryOversubscriptionEnabled: null },
        }),
        NomadUnlicensedError,
        { features: ['Node Pools Governance'] },
      );
      await refusedWith(nomad.nodePools.write({ Name: 'bad name' }), NomadObjectRefusedError, {
        problems: ['invalid name "bad name", must match regex ^[a-zA-Z0-9-_]{1,128}$'],
      });
      expect(await refusal(nomad.nodePools.delete('ghost'))).toBeInstanceOf(NomadObjectNotFoundError);

      await nomad.nodePools.write({ Name: 'general' });
      await nomad.jobs.register({ Job: serviceJob('api', { NodePool: 'general' }) });
      expect((await nomad.nodePools.jobs('general')).body.map((j) => j.ID)).toEqual(['api']);
      expect(await refusal(nomad.nodePools.delete('general'))).toMatchObject({ holds: ['jobs'] });
      await nomad.jobs.deregister('api', { purge: true });
      await nomad.nodePools.delete('general');
      expect((await nomad.nodePools.find('general')).body).toBeNull();
    });

    it('lets a token see and change only the pools its node_pool rules allow, naming the capability', async () => {
      await nomad.nodePools.write({ Name: 'general' });
      await nomad.aclPolicies.write({
        Name: 'pools',
        Rules: 'node_pool "general" {\n  policy = "read"\n}\n',
      });
      const reader = await tokenWith({ policies: ['pools'] });
      expect((await reader.nodePools.list()).body.map((p) => p.Name)).toEqual(['general']);
      expect(await refusal(reader.nodePools.read('default'))).toBeInstanceOf(NomadPermissionError);
      expect(await refusal(reader.nodePools.write({ Name: 'general' }))).toMatchObject({
        capability: 'node_pool write (on the pool)',
      });
      expect(await refusal(reader.nodePools.delete('general'))).toMatchObject({
        capability: 'node_pool delete (on the pool)',
      });
    });
  });

  describe('ACL policies and roles', () => {
    const RULES = `namespace "payments" {
  policy = "write"
  variables {
    path "nomad/jobs/*" {
      capabilities = ["read"]
    }
  }
}
`;

    it('writes a policy and reads its rules back as Nomad parsed them; deleting a missing one is no error', async () => {
      await nomad.aclPolicies.write({
        Name: 'deploy',
        Description: 'CI deploys',
        Rules: RULES,
        JobACL: { Namespace: 'payments', JobID: 'api' },
      });
      const { body: policy } = await nomad.aclPolicies.read('deploy');
      expect(policy).toMatchObject({
        Description: 'CI deploys',
        Rules: RULES,
        JobACL: { Namespace: 'payments', JobID: 'api', Group: '', Task: '' },
      });
      expect(policy.RulesJSON!.Namespaces![0]).toMatchObject({
        Name: 'payments',
        Policy: 'write',
        Variables: { Paths: [{ PathSpec: 'nomad/jobs/*', Capabilities: ['read', 'list'] }] },
      });
      expect(policy.RulesJSON!.Namespaces![0]!.Capabilities).toContain('submit-job');
      const [stub] = (await nomad.aclPolicies.list()).body;
      expect(stub).toMatchObject({ Name: 'deploy', Description: 'CI deploys' });
      expect(stub).not.toHaveProperty('Rules');
      expect((await nomad.aclPolicies.find('ghost')).body).toBeNull();
      await nomad.aclPolicies.delete('ghost');
      await nomad.aclPolicies.delete('deploy');
      expect((await nomad.aclPolicies.list()).body).toEqual([]);
    });

    it('refuses rules Nomad cannot read, with its reason', async () => {
      const refused = await refusal(
        nomad.aclPolicies.write({ Name: 'bad', Rules: 'namespace "default" { policy = "reed" }' }),
      );
      expect(refused).toBeInstanceOf(NomadObjectRefusedError);
      expect((refused as NomadObjectRefusedError).problems).toEqual([
        'failed to parse rules: Invalid namespace policy: &acl.NamespacePolicy{Name:"default", Policy:"reed", Capabilities:[]string(nil), Variables:(*acl.VariablesPolicy)(nil)}',
      ]);
    });

    it('creates, reads, renames and deletes a role by its ID; refuses a taken name, a missing policy, a missing role', async () => {
      await nomad.aclPolicies.write({ Name: 'deploy', Rules: RULES });
      await nomad.aclPolicies.write({
        Name: 'reader',
        Rules: 'namespace "payments" {\n  policy = "read"\n}\n',
      });
      const role = await nomad.aclRoles.create({
        Name: 'ci',
        Description: 'Pipelines',
        Policies: [{ Name: 'deploy' }, { Name: 'deploy' }],
      });
      expect(role).toMatchObject({ Name: 'ci', Policies: [{ Name: 'deploy' }] });
      expect(role.ID).toMatch(/^[0-9a-f-]{36}$/);
      expect((await nomad.aclRoles.read(role.ID)).body).toEqual(role);
      expect((await nomad.aclRoles.readByName('ci')).body).toEqual(role);
      expect((await nomad.aclRoles.findByName('ghost')).body).toBeNull();
      expect((await nomad.aclRoles.find(ZERO_ID)).body).toBeNull();

      const renamed = await nomad.aclRoles.update(role.ID, {
        Name: 'pipelines',
        Policies: [{ Name: 'reader' }, { Name: 'deploy' }],
      });
      expect(renamed).toMatchObject({
        ID: role.ID,
        Name: 'pipelines',
        Description: '',
        CreateIndex: role.CreateIndex,
      });
      expect(renamed.ModifyIndex).toBeGreaterThan(role.ModifyIndex);
      expect((await nomad.aclRoles.list()).body.map((r) => r.Name)).toEqual(['pipelines']);

      await refusedWith(
        nomad.aclRoles.create({ Name: 'pipelines', Policies: [{ Name: 'reader' }] }),
        NomadObjectRefusedError,
        { problems: ['role with name pipelines already exists'] },
      );
      expect(
        await refusal(nomad.aclRoles.create({ Name: 'other', Policies: [{ Name: 'ghost' }] })),
      ).toMatchObject({
        missing: { kind: 'ACL policy', name: 'ghost' },
      });
      await refusedWith(
        nomad.aclRoles.update(ZERO_ID, { Name: 'x', Policies: [{ Name: 'reader' }] }),
        NomadObjectNotFoundError,
        { kind: 'ACL role', objectName: ZERO_ID },
      );

      await nomad.aclRoles.delete(role.ID);
      expect((await nomad.aclRoles.find(role.ID)).body).toBeNull();
      expect(await refusal(nomad.aclRoles.delete(role.ID))).toBeInstanceOf(NomadObjectNotFoundError);
    });

    it('shows a token only the policies and roles linked to it, and no write', async () => {
      await nomad.aclPolicies.write({ Name: 'deploy', Rules: RULES });
      await nomad.aclPolicies.write({
        Name: 'reader',
        Rules: 'namespace "payments" {\n  policy = "read"\n}\n',
      });
      await nomad.aclPolicies.write({ Name: 'unrelated', Rules: 'node {\n  policy = "read"\n}\n' });
      const role = await nomad.aclRoles.create({ Name: 'ci', Policies: [{ Name: 'deploy' }] });
      const linked = await tokenWith({ policies: ['reader'], roles: [role.ID] });
      expect((await linked.aclPolicies.list()).body.map((p) => p.Name)).toEqual(['deploy', 'reader']);
      expect((await linked.aclRoles.list()).body.map((r) => r.Name)).toEqual(['ci']);
      const hidden = await refusal(linked.aclPolicies.read('unrelated'));
      expect(hidden).toBeInstanceOf(NomadPermissionError);
      expect((hidden as NomadPermissionError).capability).toBe(
        'management (or the policy being linked to the token)',
      );
      // A missing policy is as hidden as another's.
      expect(await refusal(linked.aclPolicies.read('ghost'))).toBeInstanceOf(NomadPermissionError);
      expect(await refusal(linked.aclPolicies.write({ Name: 'reader', Rules: '' }))).toMatchObject({
        capability: 'management (only a management token writes ACL objects)',
      });
      const self = await linked.aclTokens.self();
      expect(self).toMatchObject({
        Type: 'client',
        Policies: ['reader'],
        Roles: [{ ID: role.ID, Name: 'ci' }],
      });
      expect(self).not.toHaveProperty('SecretID');
      expect(seesEverything(self)).toBe(false);
      expect(seesEverything(await nomad.aclTokens.self())).toBe(true);
      expect((await env.client().aclTokens.self()).AccessorID).toBe('anonymous');
    });

    it('says ACLs are off where they are, while the token there sees everything', async () => {
      const open = await startSimulatedNomad();
      try {
        for (const request of [
          open.nomad.aclPolicies.list(),
          open.nomad.aclPolicies.write({ Name: 'p', Rules: '' }),
          open.nomad.aclRoles.list(),
          open.nomad.aclRoles.create({ Name: 'r', Policies: [{ Name: 'p' }] }),
        ])
          expect(await refusal(request)).toBeInstanceOf(NomadAclDisabledError);
        const self = await open.nomad.aclTokens.self();
        expect(self.AccessorID).toBe('acls-disabled');
        expect(seesEverything(self)).toBe(true);
      } finally {
        await open.close();
      }
    });
  });

  describe('variables', () => {
    it('lists paths without items, by prefix, page by page, and only those a token may list', async () => {
      for (const path of ['nomad/jobs/a', 'nomad/jobs/b', 'other/c'])
        await nomad.variables.write(path, { secret: path }, { cas: 0 });
      const listed = (await nomad.variables.list({ prefix: 'nomad/jobs' })).body;
      expect(listed.map((v) => v.Path)).toEqual(['nomad/jobs/a', 'nomad/jobs/b']);
      expect(listed[0]).not.toHaveProperty('Items');
      const first = await nomad.variables.list({ perPage: 2 });
      expect(first.body).toHaveLength(2);
      expect(first.meta.nextToken).toBe('default.other/c');
      expect((await nomad.variables.listAll({ perPage: 1 })).map((v) => v.Path)).toEqual([
        'nomad/jobs/a',
        'nomad/jobs/b',
        'other/c',
      ]);
      expect((await nomad.variables.list({ namespace: '*' })).body).toHaveLength(3);

      await nomad.aclPolicies.write({
        Name: 'reader',
        Rules: 'namespace "default" {\n  policy = "read"\n}\n',
      });
      const reader = await tokenWith({ policies: ['reader'] });
      expect((await reader.variables.list()).body).toEqual([]);
      await refusedWith(reader.variables.read('nomad/jobs/a'), NomadPermissionError, {
        capability: "variables read (on the path, in the namespace's variables block)",
      });
    });

    it('writes and deletes with check-and-set, answering a lost one with the variable as it is', async () => {
      const created = await nomad.variables.write('nomad/jobs/api', { password: 'first' }, { cas: 0 });
      if (created.conflict) throw new Error('the first write conflicted');
      const lost = await nomad.variables.write('nomad/jobs/api', { password: 'second' }, { cas: 0 });
      expect(lost).toEqual({
        conflict: true,
        current: expect.objectContaining({
          ModifyIndex: created.variable.ModifyIndex,
          Items: { password: 'first' },
        }),
      });

      await nomad.aclPolicies.write({
        Name: 'writer',
        Rules:
          'namespace "default" {\n  variables {\n    path "nomad/jobs/*" {\n      capabilities = ["write", "list"]\n    }\n  }\n}\n',
      });
      const writer = await tokenWith({ policies: ['writer'] });
      const blind = await writer.variables.write('nomad/jobs/api', { password: 'stale' }, { cas: 1 });
      expect(blind).toMatchObject({ conflict: true, current: { ModifyIndex: created.variable.ModifyIndex } });
      expect(blind.conflict && blind.current).not.toHaveProperty('Items');

      const stale = await nomad.variables.delete('nomad/jobs/api', { cas: 1 });
      expect(stale).toMatchObject({ conflict: true, current: { ModifyIndex: created.variable.ModifyIndex } });
      const deleted = await nomad.variables.delete('nomad/jobs/api', { cas: created.variable.ModifyIndex });
      expect(deleted).toEqual({ conflict: false, index: expect.any(Number) });
      expect((await nomad.variables.read('nomad/jobs/api')).body).toBeNull();
      expect(await nomad.variables.delete('nomad/jobs/api')).toMatchObject({ conflict: false });
    });
  });
});
