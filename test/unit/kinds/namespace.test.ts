import { applyPlan } from '../../../src/apply/apply-plan.js';
import type { NamespaceSpec } from '../../../src/nomad/endpoints/namespaces.js';
import type { Job } from '../../../src/nomad/types.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { planForDisplay } from '../../../src/plan/mask.js';
import type { Address, Plan, PlanSettings } from '../../../src/plan/model.js';
import { namespaceAddress, type NamespaceChange } from '../../../src/kinds/namespace/change.js';
import { inventoryChangeOf } from '../../../src/stack/inventory-change.js';
import { renderPlanHuman } from '../../../src/render/plan-human.js';
import { renderPlanJson } from '../../../src/render/plan-json.js';
import { keyOf, warningsOf } from '../../support/plan-changes.js';
import { settings } from '../../support/plan-env.js';
import {
  runFor,
  serviceJob,
  startSimulatedNomad,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';
import { validatePlanDocument } from '../../support/plan-schema.js';

describe('namespaces planned and applied beside jobs', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  const payments: NamespaceSpec = {
    Name: 'payments',
    Description: 'Payments team',
    Meta: { team: 'payments' },
    Capabilities: {
      EnabledTaskDrivers: ['docker', 'raw_exec'],
      DisabledTaskDrivers: null,
      EnabledNetworkModes: null,
      DisabledNetworkModes: null,
    },
  };

  const plan = (
    namespaces: readonly NamespaceSpec[],
    jobs: readonly Job[] = [],
    overrides: Partial<PlanSettings> = {},
    owned?: readonly Address[],
  ) =>
    buildPlan({
      ...(owned ? { owned } : {}),
      client: env.nomad,
      desired: {
        namespace: { objects: namespaces.map((spec) => ({ spec, file: 'drover.hcl' })) },
        job: { jobs: jobs.map((job) => ({ job })), dangerouslyAllowEmptyPrune: true },
      },
      settings: settings(overrides),
    });

  const apply = async (planned: Plan) => {
    const running = applyPlan({ client: env.nomad, plan: planned, watchWith: 'blocking', wait: '50ms' });
    const ticking = setInterval(() => runFor(env.sim, 2_000), 5);
    try {
      return await running;
    } finally {
      clearInterval(ticking);
    }
  };

  const summary = (planned: Plan) =>
    planned.changes.map((c) => `${c.wave + 1} ${c.action} ${c.kind} ${keyOf(c)}`);

  it('creates a namespace before the job in it, then plans nothing more', async () => {
    const job = serviceJob('api', { Namespace: 'payments' });
    const first = await plan([payments], [job]);
    expect(summary(first)).toEqual(['1 create namespace /payments', '2 create job payments/api']);
    expect(warningsOf(first.changes[1])).toEqual([
      'namespace "payments" is created by this plan first, so Nomad could not plan the job in it: this diff was computed locally.',
    ]);
    const text = renderPlanHuman(planForDisplay(first, { showSensitive: false }), { color: false });
    expect(text).toContain(
      [
        '  # namespace "payments" will be created  [wave 1]',
        '  + namespace "payments"  drover.hcl',
        '      + Capabilities.EnabledTaskDrivers[0]: "docker"',
        '      + Capabilities.EnabledTaskDrivers[1]: "raw_exec"',
        '      + Description: "Payments team"',
        '      + Meta[drover.stack]: "shop"',
        '      + Meta[team]: "payments"',
      ].join('\n'),
    );
    expect(text.split('\n').at(-1)).toBe(
      'Plan: 2 to create, 0 to update, 0 to delete (namespaces: 1 to create; jobs: 1 to create).',
    );
    const result = await apply(first);
    expect(
      result.results.map((r) => `${r.address.kind} ${r.address.name}: ${r.outcome} (${r.message})`),
    ).toEqual(['namespace payments: succeeded (created)', expect.stringMatching(/^job api: succeeded/)]);
    const live = (await env.nomad.namespaces.read('payments')).body;
    expect(live).toMatchObject({
      Description: 'Payments team',
      Meta: { team: 'payments', 'drover.stack': 'shop' },
    });
    expect(summary(await plan([payments], [job]))).toEqual([
      '1 noop namespace /payments',
      '2 noop job payments/api',
    ]);
  });

  it('shows what an edit changes, a field the file no longer sets as deleted, and writes it', async () => {
    await apply(await plan([payments]));
    const edited = await plan([{ ...payments, Description: 'Payments and billing', Meta: undefined }]);
    expect(summary(edited)).toEqual(['1 update namespace /payments']);
    const text = renderPlanHuman(planForDisplay(edited, { showSensitive: false }), { color: false });
    expect(text).toContain('      ~ Description: "Payments team" → "Payments and billing"');
    expect(text).toContain('      - Meta[team]: "payments"');
    expect(text).not.toContain('drover.stack');
    expect((await apply(edited)).ok).toBe(true);
    expect((await env.nomad.namespaces.read('payments')).body.Meta).toEqual({ 'drover.stack': 'shop' });
  });

  it('adopts an existing namespace by stamping it, and refuses one another stack owns', async () => {
    await env.nomad.namespaces.write({ Name: 'payments', Description: 'Payments team' });
    const adopting = await plan([{ Name: 'payments', Description: 'Payments team' }]);
    expect(summary(adopting)).toEqual(['1 adopt namespace /payments']);
    expect(warningsOf(adopting.changes[0])).toEqual([
      'drover takes this namespace over by adding meta "drover.stack" = "shop".',
    ]);
    expect((await apply(adopting)).ok).toBe(true);
    await expect(plan([payments], [], { stack: 'other' })).rejects.toThrow(
      'namespace "payments" belongs to stack "shop", not "other"',
    );
  });

  it('prunes a namespace of the stack no file declares, after the jobs in it, and never one that still holds others', async () => {
    const job = serviceJob('api', { Namespace: 'payments' });
    await apply(await plan([payments], [job]));
    await env.nomad.jobs.register({ Job: { ...serviceJob('foreign'), Namespace: 'payments' } });
    await expect(plan([], [], { prune: true })).rejects.toThrow(
      'namespace "payments" would be deleted, but it still holds job foreign',
    );
    await env.nomad.jobs.deregister('foreign', { namespace: 'payments', purge: true });
    const pruning = await plan([], [], { prune: true });
    expect(summary(pruning)).toEqual(['1 delete job payments/api', '2 delete namespace /payments']);
    const result = await apply(pruning);
    expect(result.ok).toBe(true);
    expect((await env.nomad.namespaces.find('payments')).body).toBeNull();

    // Nomad deleted the namespace but keeps the stopped job in it until its garbage collection: declared again,
    // the job is started again in the namespace the plan creates anew.
    expect((await env.nomad.jobs.find('api', { namespace: 'payments' })).body).toMatchObject({ Stop: true });
    const again = await plan([payments], [job]);
    expect(summary(again)).toEqual(['1 create namespace /payments', '2 start job payments/api']);
    const restarted = await apply(again);
    expect(restarted.results.map((r) => `${r.address.name}: ${r.outcome}`)).toEqual([
      'payments: succeeded',
      'api: succeeded',
    ]);
  });

  it("prunes only what the stack's inventory lists, once the stack keeps one: the stamp alone is not enough", async () => {
    await apply(await plan([payments]));
    expect(summary(await plan([], [], { prune: true }, []))).toEqual([]);
    const listed = await plan([], [], { prune: true }, [namespaceAddress('default', 'payments')]);
    expect(summary(listed)).toEqual(['1 delete namespace /payments']);
    const result = await apply(listed);
    expect(inventoryChangeOf(result.results)).toEqual({
      written: [],
      deleted: [
        {
          kind: 'namespace',
          name: 'payments',
          modifyIndex: (listed.changes[0] as NamespaceChange).modifyIndex,
        },
      ],
    });
  });

  it('names the Nomad Enterprise settings a namespace uses at plan time; open-source Nomad refuses it at apply', async () => {
    const planned = await buildPlan({
      client: env.nomad,
      desired: {
        namespace: {
          objects: [
            {
              spec: {
                ...payments,
                NodePoolConfiguration: { Default: 'general', Allowed: null, Denied: null },
              },
              file: 'drover.hcl:1:1',
              enterpriseOnly: ['node_pool_config'],
            },
          ],
        },
      },
      settings: settings(),
    });
    expect(warningsOf(planned.changes[0])).toEqual([
      'node_pool_config: Nomad Enterprise setting; open-source Nomad refuses this namespace as unlicensed.',
    ]);
    const result = await apply(planned);
    expect(result.results[0]).toMatchObject({
      outcome: 'failed',
      message: expect.stringMatching(/unlicensed/),
    });
  });

  it('refuses a plan whose namespace changed since, before writing anything', async () => {
    await apply(await plan([payments]));
    const planned = await plan([{ ...payments, Description: 'v2' }]);
    await env.nomad.namespaces.write({
      ...payments,
      Description: 'edited by hand',
      Meta: { 'drover.stack': 'shop' },
    });
    const result = await apply(planned);
    expect(result.ok).toBe(false);
    expect(result.results[0]).toMatchObject({ outcome: 'failed', stale: true });
    expect(result.results[0]!.message).toMatch(
      /^namespace payments changed since the plan \(modify index \d+ → \d+\); run plan again$/,
    );
    expect((await env.nomad.namespaces.read('payments')).body.Description).toBe('edited by hand');
  });

  it('renders a plan of both kinds as JSON that validates against the schema', async () => {
    const planned = await plan([payments], [serviceJob('api', { Namespace: 'payments' })]);
    const document = renderPlanJson(planForDisplay(planned, { showSensitive: false }), {
      droverVersion: '0.0.0',
    }) as {
      changes: Array<{ address: unknown; fields?: unknown[] }>;
    };
    expect(validatePlanDocument(document)).toEqual([]);
    expect(document.changes[0]).toMatchObject({
      address: { cluster: 'default', kind: 'namespace', namespace: null, name: 'payments' },
      action: 'create',
      modify_index: 0,
    });
    expect(document.changes[0]!.fields).toContainEqual({
      Type: 'Added',
      Name: 'Description',
      Old: '',
      New: 'Payments team',
      Annotations: null,
    });
  });
});
