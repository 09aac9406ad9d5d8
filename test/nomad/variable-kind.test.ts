import { applyPlan, type ApplyEvent, type ApplyResult } from '../../src/apply/apply-plan.js';
import { valuesOf, type VariableSpec } from '../../src/kinds/variable/change.js';
import { NomadClient } from '../../src/nomad/client.js';
import type { Job } from '../../src/nomad/types.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { planForDisplay } from '../../src/plan/mask.js';
import type { Plan } from '../../src/plan/model.js';
import { serializePlan } from '../../src/plan/plan-file.js';
import { renderApplySummary } from '../../src/render/apply-summary.js';
import { renderPlanHuman } from '../../src/render/plan-human.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { inventoryChangeOf, ownedAddresses } from '../../src/stack/inventory-change.js';
import { withChange, type OwnedObject } from '../../src/stack/inventory-document.js';
import { createLogger } from '../../src/util/logger.js';
import { settings } from '../support/plan-env.js';
import { startNomadAgent, type NomadAgent } from './agent.js';

const SECRET = 'Re4l-Ag3nt-S3cret-5d7c1b';
const HAND = 'By-H4nd-S3cret-8e2a90';

/** A job whose template reads its variable: its task starts only once Nomad can render it. */
const reader: Job = {
  ID: 'api',
  Name: 'api',
  Type: 'service',
  Namespace: 'payments',
  Datacenters: ['*'],
  TaskGroups: [
    {
      Name: 'g',
      Count: 1,
      Update: { MinHealthyTime: 1_000_000_000, HealthyDeadline: 60_000_000_000 },
      Tasks: [
        {
          Name: 't',
          Driver: 'raw_exec',
          Config: { command: '/bin/sleep', args: ['3600'] },
          Templates: [
            {
              EmbeddedTmpl: '{{ with nomadVar "nomad/jobs/api" }}feature_x={{ .feature_x }}{{ end }}\n',
              DestPath: 'local/feature.txt',
              ChangeMode: 'noop',
            },
          ],
        },
      ],
    },
  ],
};

const variable = (items: Record<string, string>, Path = 'nomad/jobs/api'): VariableSpec => ({
  Path,
  Namespace: 'payments',
  Items: items,
});

/** Variables planned and applied through the kind on a real Nomad with ACLs on, by the tokens a team would use. */
describe('Nomad Variables as a kind on a real Nomad agent', () => {
  let agent: NomadAgent;
  let inventory: OwnedObject[] = [];
  const clients: NomadClient[] = [];
  const logs: string[] = [];
  const client = (token: string) => {
    const created = new NomadClient({
      address: agent.address,
      token,
      logger: createLogger('debug', (line) => logs.push(line)),
    });
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
  const rules = (policy: string, capabilities: readonly string[]) =>
    `namespace "payments" {\n  policy = "${policy}"\n  variables {\n    path "nomad/jobs/*" {\n      capabilities = ${JSON.stringify(capabilities)}\n    }\n  }\n}\n`;

  const plan = (
    nomad: NomadClient,
    variables: readonly VariableSpec[],
    jobs: readonly Job[] = [],
    prune = false,
  ) =>
    buildPlan({
      client: nomad,
      desired: {
        variable: { objects: variables.map((spec) => ({ spec, file: 'drover.hcl' })) },
        job: { jobs: jobs.map((job) => ({ job })), dangerouslyAllowEmptyPrune: true },
      },
      settings: settings({ address: agent.address, namespace: 'payments', prune }),
      owned: ownedAddresses('default', inventory),
    });
  const apply = async (
    nomad: NomadClient,
    planned: Plan,
    variables: readonly VariableSpec[],
    emit?: (event: ApplyEvent) => void,
  ): Promise<ApplyResult> => {
    const result = await applyPlan({
      client: nomad,
      plan: planned,
      resolveValues: valuesOf({ objects: variables.map((spec) => ({ spec })) }),
      timeoutMs: 90_000,
      emit,
    });
    inventory = withChange(inventory, inventoryChangeOf(result.results));
    return result;
  };
  const summary = (planned: Plan) =>
    planned.changes.map(
      (c) => `${c.wave + 1} ${c.action} ${c.kind} ${c.address.namespace}/${c.address.name}`,
    );
  const items = async (path = 'nomad/jobs/api') =>
    (
      await agent
        .api<{ Items: Record<string, string> }>('GET', `/v1/var/${path}?namespace=payments`)
        .catch(() => null)
    )?.Items ?? null;

  beforeAll(async () => {
    agent = await startNomadAgent({ acl: true });
    await agent.api('POST', '/v1/namespace/payments', { Name: 'payments' });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await agent?.stop();
  });
  beforeEach(() => {
    inventory = [];
  });

  it('writes the variable before the job whose template reads it, updates it, refuses a stale plan, prunes it after the job', async () => {
    const ci = client(await tokenWith('ci', rules('write', ['read', 'write', 'destroy'])));
    const first = [variable({ db_password: SECRET, feature_x: 'on' })];
    const created = await plan(ci, first, [reader]);
    expect(summary(created)).toEqual([
      '1 create variable payments/nomad/jobs/api',
      '2 create job payments/api',
    ]);
    const result = await apply(ci, created, first);
    expect(result.results.map((r) => `${r.address.kind} ${r.outcome}`)).toEqual([
      'variable succeeded',
      'job succeeded',
    ]);
    const [alloc] = await agent.api<Array<{ ID: string }>>(
      'GET',
      '/v1/job/api/allocations?namespace=payments',
    );
    const management = client(agent.managementToken!);
    expect((await management.clientFs.cat(alloc!.ID, 't/local/feature.txt')).toString()).toBe(
      'feature_x=on\n',
    );
    expect(summary(await plan(ci, first, [reader]))).toEqual([
      '1 noop variable payments/nomad/jobs/api',
      '2 noop job payments/api',
    ]);

    const next = [variable({ db_password: SECRET, feature_x: 'off' })];
    const updating = await plan(ci, next, [reader]);
    expect(summary(updating)).toEqual([
      '1 update variable payments/nomad/jobs/api',
      '2 noop job payments/api',
    ]);
    await agent.api('PUT', '/v1/var/nomad/jobs/api?namespace=payments', {
      Items: { db_password: HAND, feature_x: 'by hand' },
    });
    const stale = await apply(ci, updating, next);
    expect(stale.results[0]).toMatchObject({ outcome: 'failed', stale: true });
    expect(stale.results[0]!.message).toMatch(
      /^variable nomad\/jobs\/api in namespace payments changed since the plan \(modify index \d+ → \d+\); run plan again$/,
    );
    expect((await items())?.feature_x).toBe('by hand');
    expect((await apply(ci, await plan(ci, next, [reader]), next)).ok).toBe(true);
    expect(await items()).toEqual({ db_password: SECRET, feature_x: 'off' });

    const pruning = await plan(ci, [], [], true);
    expect(summary(pruning)).toEqual([
      '1 delete job payments/api',
      '2 delete variable payments/nomad/jobs/api',
    ]);
    expect((await apply(ci, pruning, [])).ok).toBe(true);
    expect(await items()).toBeNull();
    expect(inventory).toEqual([]);
  }, 120_000);

  it('plans a variable the token may list and write but not read as unseen, and apply refuses the plan', async () => {
    await agent.api('PUT', '/v1/var/nomad/jobs/api?namespace=payments', { Items: { a: 'b' } });
    const lister = client(await tokenWith('lister', rules('read', ['list', 'write'])));
    const planned = await plan(lister, [variable({ a: 'c' })]);
    expect(planned.unseen).toEqual([
      { kind: 'variable', needs: 'variables read on nomad/jobs/api in namespace payments' },
    ]);
    await expect(apply(lister, planned, [variable({ a: 'c' })])).rejects.toThrow(
      'the plan could not read variables: nothing was applied',
    );
    expect(await items()).toEqual({ a: 'b' });
  });

  it.each([
    ['a management token', 'management'],
    ['a read-only token', 'read-only'],
  ])(
    'shows and keeps no value anywhere, for %s',
    async (_, who) => {
      await agent.api('PUT', '/v1/var/nomad/jobs/api?namespace=payments', {
        Items: { db_password: HAND, removed: HAND },
      });
      inventory = [{ kind: 'variable', namespace: 'payments', name: 'nomad/jobs/api', modifyIndex: 1 }];
      logs.length = 0;
      const nomad = client(
        who === 'management'
          ? agent.managementToken!
          : await tokenWith(`reader-${Date.now()}`, rules('read', ['read'])),
      );
      const variables = [
        variable({ db_password: SECRET, feature_x: 'on' }),
        variable({ api_token: SECRET }, 'nomad/jobs/web'),
      ];
      const planned = await plan(nomad, variables);
      expect(summary(planned)).toEqual([
        '1 update variable payments/nomad/jobs/api',
        '1 create variable payments/nomad/jobs/web',
      ]);
      const display = planForDisplay(planned, { showSensitive: false });
      const refused = await apply(nomad, planned, [variable({ db_password: HAND, feature_x: 'on' })]);
      expect(refused.ok).toBe(false);
      const events: ApplyEvent[] = [];
      const result = await apply(nomad, planned, variables, (event) => events.push(event));
      expect(result.ok).toBe(who === 'management');
      const outputs = [
        JSON.stringify(planned),
        serializePlan(planned, '0.0.0'),
        renderPlanHuman(display, { color: false }),
        JSON.stringify(renderPlanJson(display, { droverVersion: '0.0.0' })),
        renderPlanMarkdown(display),
        JSON.stringify(refused),
        JSON.stringify(result),
        renderApplySummary(refused),
        renderApplySummary(result),
        JSON.stringify(events),
        logs.join('\n'),
      ];
      expect(logs.length).toBeGreaterThan(0);
      expect(outputs.filter((output) => output.includes(SECRET) || output.includes(HAND))).toEqual([]);
      await agent.api('DELETE', '/v1/var/nomad/jobs/web?namespace=payments');
    },
    60_000,
  );
});
