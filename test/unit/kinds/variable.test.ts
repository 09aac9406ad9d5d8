import { applyPlan, type ApplyEvent, type ApplyResult } from '../../../src/apply/apply-plan.js';
import {
  valuesOf,
  type ResolveValues,
  type VariableSpec,
  type VariablesDesired,
} from '../../../src/kinds/variable/change.js';
import { describeObjectDrift, detectObjectDrift } from '../../../src/drift/object-drift.js';
import { appendHistory, readHistory } from '../../../src/history/stack-history.js';
import { historyPath, recordOf } from '../../../src/history/record.js';
import type { NomadClient } from '../../../src/nomad/client.js';
import type { Job } from '../../../src/nomad/types.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { planForDisplay } from '../../../src/plan/mask.js';
import { parsePlanFile, planChecksum, serializePlan } from '../../../src/plan/plan-file.js';
import type { Plan, PlanSettings } from '../../../src/plan/model.js';
import { renderPlanHuman } from '../../../src/render/plan-human.js';
import { renderApplyJson, renderApplySummary } from '../../../src/render/apply-summary.js';
import { renderPlanJson } from '../../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../../src/render/plan-markdown.js';
import { withChange, type OwnedObject } from '../../../src/stack/inventory-document.js';
import { inventoryChangeOf, ownedAddresses } from '../../../src/stack/inventory-change.js';
import { createLogger } from '../../../src/util/logger.js';
import { keyOf, warningsOf } from '../../support/plan-changes.js';
import { settings } from '../../support/plan-env.js';
import { validatePlanDocument } from '../../support/plan-schema.js';
import {
  runFor,
  serviceJob,
  startSimulatedNomad,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

describe('variables planned and applied beside namespaces and jobs', () => {
  let env: SimulatedNomad;
  /** The stack's inventory, kept as a stack run keeps it: what apply wrote is added, what it deleted goes. */
  let inventory: OwnedObject[];
  const ownVariable = (name: string) =>
    inventory.push({ kind: 'variable', namespace: 'default', name, modifyIndex: 1 });
  beforeEach(async () => {
    env = await startSimulatedNomad();
    inventory = [];
  });
  afterEach(() => env.close());

  const api = (items: Record<string, string>, Path = 'nomad/jobs/api'): VariableSpec => ({
    Path,
    Namespace: 'default',
    Items: items,
  });
  const desiredOf = (variables: readonly VariableSpec[]): VariablesDesired => ({
    objects: variables.map((spec) => ({ spec, file: 'drover.hcl' })),
  });

  const plan = (
    variables: readonly VariableSpec[],
    options: { jobs?: readonly Job[]; overrides?: Partial<PlanSettings>; client?: NomadClient } = {},
  ) =>
    buildPlan({
      client: options.client ?? env.nomad,
      desired: {
        variable: desiredOf(variables),
        job: { jobs: (options.jobs ?? []).map((job) => ({ job })), dangerouslyAllowEmptyPrune: true },
      },
      settings: settings(options.overrides),
      owned: ownedAddresses('default', inventory),
    });

  const apply = async (
    planned: Plan,
    resolveValues: ResolveValues | undefined,
    extra: { beforeWrite?: () => Promise<void>; emit?: (e: ApplyEvent) => void; client?: NomadClient } = {},
  ): Promise<ApplyResult> => {
    const running = applyPlan({
      client: extra.client ?? env.nomad,
      plan: planned,
      watchWith: 'blocking',
      wait: '50ms',
      resolveValues,
      beforeWrite: extra.beforeWrite,
      emit: extra.emit,
    });
    const ticking = setInterval(() => runFor(env.sim, 2_000), 5);
    try {
      const result = await running;
      inventory = withChange(inventory, inventoryChangeOf(result.results));
      return result;
    } finally {
      clearInterval(ticking);
    }
  };
  const planAndApply = async (variables: readonly VariableSpec[]) =>
    apply(await plan(variables), valuesOf(desiredOf(variables)));

  const summary = (planned: Plan) =>
    planned.changes.map((c) => `${c.wave + 1} ${c.action} ${c.kind} ${keyOf(c)}`);
  const text = (planned: Plan) =>
    renderPlanHuman(planForDisplay(planned, { showSensitive: false }), { color: false });
  const live = async (path = 'nomad/jobs/api', namespace = 'default') =>
    (await env.nomad.variables.read(path, { namespace })).body;
  const outcomes = (result: ApplyResult) =>
    result.results.map((r) => `${r.address.kind} ${r.address.name}: ${r.outcome} (${r.message})`);

  it('creates a variable before the job whose template reads it, shows its items without values, then plans nothing more', async () => {
    const job = serviceJob('api');
    const variable = api({ db_password: 'pw-one', feature_x: 'on' });
    const first = await plan([variable], { jobs: [job] });
    expect(summary(first)).toEqual(['1 create variable default/nomad/jobs/api', '2 create job default/api']);
    expect(text(first)).toContain(
      [
        '  # variable "nomad/jobs/api" will be created  [wave 1]',
        '  + variable "nomad/jobs/api"  drover.hcl',
        '      + Items[db_password]: "(sensitive value)"',
        '      + Items[feature_x]: "(sensitive value)"',
      ].join('\n'),
    );
    expect(text(first).split('\n').at(-1)).toBe(
      'Plan: 2 to create, 0 to update, 0 to delete (variables: 1 to create; jobs: 1 to create).',
    );
    const result = await apply(first, valuesOf(desiredOf([variable])));
    expect(outcomes(result)).toEqual([
      'variable nomad/jobs/api: succeeded (created)',
      expect.stringMatching(/^job api: succeeded/),
    ]);
    const written = await live();
    expect(written?.Items).toEqual({ db_password: 'pw-one', feature_x: 'on' });
    expect(inventory).toEqual([
      { kind: 'variable', namespace: 'default', name: 'nomad/jobs/api', modifyIndex: written!.ModifyIndex },
    ]);
    expect(summary(await plan([variable], { jobs: [job] }))).toEqual([
      '1 noop variable default/nomad/jobs/api',
      '2 noop job default/api',
    ]);
  });

  it('writes a variable in a namespace the plan creates after the namespace, without reading it first', async () => {
    const variable = { ...api({ a: 'b' }), Namespace: 'payments' };
    env.sim.addFault({ kind: 'status', method: 'GET', path: '^/v1/var/', status: 500, body: 'not read' });
    const planned = await buildPlan({
      client: env.nomad,
      desired: {
        namespace: { objects: [{ spec: { Name: 'payments' } }] },
        variable: desiredOf([variable]),
      },
      settings: settings(),
      owned: ownedAddresses('default', inventory),
    });
    expect(summary(planned)).toEqual([
      '1 create namespace /payments',
      '2 create variable payments/nomad/jobs/api',
    ]);
    expect(text(planned)).toContain(
      '  # variable "nomad/jobs/api" (namespace payments) will be created  [wave 2]',
    );
    env.sim.faults.clear();
    expect((await apply(planned, valuesOf(desiredOf([variable])))).ok).toBe(true);
    expect((await live('nomad/jobs/api', 'payments'))?.Items).toEqual({ a: 'b' });
  });

  it('shows a changed value, an added and a removed item by name only, and writes them', async () => {
    await planAndApply([api({ db_password: 'pw-one', old: 'x', same: 'y' })]);
    const next = api({ db_password: 'pw-two', added: 'z', same: 'y' });
    const edited = await plan([next]);
    expect(summary(edited)).toEqual(['1 update variable default/nomad/jobs/api']);
    expect(text(edited)).toContain(
      [
        '  ~ variable "nomad/jobs/api"  drover.hcl',
        '      + Items[added]: "(sensitive value)"',
        '      ~ Items[db_password]: "(sensitive value)" → "(sensitive value changed)"',
        '      - Items[old]: "(sensitive value)"',
      ].join('\n'),
    );
    expect(text(edited)).not.toContain('Items[same]');
    expect((await apply(edited, valuesOf(desiredOf([next])))).ok).toBe(true);
    expect((await live())?.Items).toEqual({ db_password: 'pw-two', added: 'z', same: 'y' });
  });

  it('adopts a variable the inventory does not list, writing it only when its items differ', async () => {
    await env.nomad.variables.write('nomad/jobs/api', { a: 'b' });
    const before = (await live())!.ModifyIndex;
    const same = await plan([api({ a: 'b' })]);
    expect(summary(same)).toEqual(['1 adopt variable default/nomad/jobs/api']);
    expect(warningsOf(same.changes[0])).toEqual([
      'drover takes this variable over by listing it in the inventory of stack "shop": prune and destroy may then delete it.',
    ]);
    const adopted = await apply(same, valuesOf(desiredOf([api({ a: 'b' })])));
    expect(outcomes(adopted)).toEqual(['variable nomad/jobs/api: succeeded (adopted)']);
    expect(adopted.results[0]!.modifyIndex).toBe(before);
    expect((await live())!.ModifyIndex).toBe(before);

    await env.nomad.variables.write('nomad/jobs/web', { a: 'b' });
    const differing = await plan([api({ a: 'b' }), api({ a: 'c' }, 'nomad/jobs/web')]);
    expect(summary(differing)).toEqual([
      '1 noop variable default/nomad/jobs/api',
      '1 adopt variable default/nomad/jobs/web',
    ]);
    expect(text(differing)).toContain('      ~ Items[a]: "(sensitive value)" → "(sensitive value changed)"');
    expect((await apply(differing, valuesOf(desiredOf([api({ a: 'c' }, 'nomad/jobs/web')])))).ok).toBe(true);
    expect((await live('nomad/jobs/web'))?.Items).toEqual({ a: 'c' });
  });

  it('without a stack, updates what exists and adopts nothing', async () => {
    await env.nomad.variables.write('nomad/jobs/api', { a: 'b' });
    const planned = await buildPlan({
      client: env.nomad,
      desired: { variable: desiredOf([api({ a: 'c' })]) },
      settings: settings({ stack: undefined }),
    });
    expect(summary(planned)).toEqual(['1 update variable default/nomad/jobs/api']);
  });

  it('when the stack’s inventory could not be read, shows what exists as adopted and prunes nothing', async () => {
    await planAndApply([api({ a: 'b' }), api({ a: 'b' }, 'nomad/jobs/old')]);
    const planned = await buildPlan({
      client: env.nomad,
      desired: { variable: desiredOf([api({ a: 'b' })]) },
      settings: settings({ prune: true }),
    });
    expect(summary(planned)).toEqual(['1 adopt variable default/nomad/jobs/api']);
  });

  it('prunes an inventoried variable no file declares, after the jobs and before the namespaces, and never one of drover/stacks/', async () => {
    const job = serviceJob('api');
    await planAndApply([api({ a: 'b' })]);
    await env.nomad.jobs.register({ Job: { ...job, Meta: { 'drover.stack': 'shop' } } });
    await env.nomad.variables.write('drover/stacks/shop/notes', { x: 'y' });
    ownVariable('drover/stacks/shop/notes');
    ownVariable('nomad/jobs/gone');
    const pruning = await plan([], { overrides: { prune: true } });
    expect(summary(pruning)).toEqual([
      '1 delete job default/api',
      '2 delete variable default/nomad/jobs/api',
    ]);
    const result = await apply(pruning, valuesOf(desiredOf([])));
    expect(result.ok).toBe(true);
    expect(await live()).toBeNull();
    expect(await live('drover/stacks/shop/notes')).not.toBeNull();
    expect(summary(await plan([], { overrides: { prune: true } }))).toEqual([]);
  });

  it('deletes a namespace and the variables it holds in one plan, and refuses while it holds one the plan keeps', async () => {
    const payments = (path: string): VariableSpec => ({
      Path: path,
      Namespace: 'payments',
      Items: { a: 'b' },
    });
    const desired = (variables: VariableSpec[], namespaces: string[]) => ({
      namespace: { objects: namespaces.map((Name) => ({ spec: { Name } })) },
      variable: desiredOf(variables),
    });
    const first = await buildPlan({
      client: env.nomad,
      desired: desired([payments('nomad/jobs/api')], ['payments']),
      settings: settings(),
      owned: ownedAddresses('default', inventory),
    });
    await apply(first, valuesOf(desiredOf([payments('nomad/jobs/api')])));
    const pruning = await buildPlan({
      client: env.nomad,
      desired: desired([], []),
      settings: settings({ prune: true }),
      owned: ownedAddresses('default', inventory),
    });
    expect(summary(pruning)).toEqual([
      '1 delete variable payments/nomad/jobs/api',
      '2 delete namespace /payments',
    ]);
    await env.nomad.variables.write('nomad/jobs/foreign', { a: 'b' }, { namespace: 'payments' });
    await expect(
      buildPlan({
        client: env.nomad,
        desired: desired([], []),
        settings: settings({ prune: true }),
        owned: ownedAddresses('default', inventory),
      }),
    ).rejects.toThrow(
      'namespace "payments" would be deleted, but it still holds variable nomad/jobs/foreign',
    );
  });

  it('refuses a plan whose variable changed since, before writing anything', async () => {
    await planAndApply([api({ a: 'b' })]);
    const next = [api({ a: 'c' }), api({ n: 'new' }, 'nomad/jobs/new')];
    const planned = await plan(next);
    await env.nomad.variables.write('nomad/jobs/api', { a: 'by hand' });
    const result = await apply(planned, valuesOf(desiredOf(next)));
    expect(result.ok).toBe(false);
    expect(result.results.map((r) => [r.address.name, r.outcome, r.stale ?? false])).toEqual([
      ['nomad/jobs/api', 'failed', true],
      ['nomad/jobs/new', 'not-run', false],
    ]);
    expect(result.results[0]!.message).toMatch(
      /^variable nomad\/jobs\/api in namespace default changed since the plan \(modify index \d+ → \d+\); run plan again$/,
    );
    expect((await live())?.Items).toEqual({ a: 'by hand' });
    expect(await live('nomad/jobs/new')).toBeNull();
  });

  it('writes with check-and-set: a write or a delete racing the apply loses, stale, and is not retried', async () => {
    await planAndApply([api({ a: 'b' }), api({ a: 'b' }, 'nomad/jobs/old')]);
    const next = [api({ a: 'c' }), api({ n: 'new' }, 'nomad/jobs/new')];
    const racing = await plan(next, { overrides: { prune: true } });
    expect(summary(racing)).toEqual([
      '1 update variable default/nomad/jobs/api',
      '1 create variable default/nomad/jobs/new',
      '2 delete variable default/nomad/jobs/old',
    ]);
    let race: Promise<void> | undefined;
    const result = await apply(racing, valuesOf(desiredOf(next)), {
      beforeWrite: () =>
        (race ??= (async () => {
          await env.nomad.variables.write('nomad/jobs/api', { a: 'racer' });
          await env.nomad.variables.write('nomad/jobs/new', { n: 'racer' });
        })()),
    });
    expect(result.results.map((r) => [r.address.name, r.outcome, r.stale ?? false])).toEqual([
      ['nomad/jobs/api', 'failed', true],
      ['nomad/jobs/new', 'failed', true],
      ['nomad/jobs/old', 'not-run', false],
    ]);
    expect(result.results[0]!.message).toMatch(
      /changed since the plan \(modify index \d+ → \d+\); run plan again$/,
    );
    expect(result.results[1]!.message).toBe(
      'variable nomad/jobs/new in namespace default changed since the plan (it exists now); run plan again',
    );
    expect((await live())?.Items).toEqual({ a: 'racer' });
    expect((await live('nomad/jobs/new'))?.Items).toEqual({ n: 'racer' });

    const pruning = await plan([api({ a: 'racer' })], { overrides: { prune: true } });
    expect(summary(pruning)).toEqual([
      '1 noop variable default/nomad/jobs/api',
      '2 delete variable default/nomad/jobs/old',
    ]);
    const lost = await apply(pruning, valuesOf(desiredOf([])), {
      beforeWrite: () => env.nomad.variables.write('nomad/jobs/old', { a: 'again' }).then(() => {}),
    });
    expect(lost.results[1]).toMatchObject({ outcome: 'failed', stale: true });
    expect((await live('nomad/jobs/old'))?.Items).toEqual({ a: 'again' });
  });

  it('drifts by modify index: a variable put or deleted outside drover is named, its values never read', async () => {
    await planAndApply([
      api({ a: 'b' }),
      api({ a: 'b' }, 'nomad/jobs/web'),
      api({ a: 'b' }, 'nomad/jobs/same'),
    ]);
    expect((await detectObjectDrift(env.nomad, 'default', inventory)).facts).toEqual([]);
    await env.nomad.variables.write('nomad/jobs/api', { a: 'by hand' });
    await env.nomad.variables.delete('nomad/jobs/web');
    env.sim.addFault({ kind: 'status', method: 'GET', path: '^/v1/var/', status: 500, body: 'not read' });
    const { facts } = await detectObjectDrift(env.nomad, 'default', inventory);
    expect(facts.map(describeObjectDrift).sort()).toEqual([
      expect.stringMatching(
        /^variable default\/nomad\/jobs\/api: changed outside drover \(modify index \d+ → \d+\)$/,
      ),
      'variable default/nomad/jobs/web: deleted outside drover',
    ]);
  });

  describe('values are read again at apply and must be the planned ones', () => {
    const changed = async (resolve: ResolveValues) => {
      await planAndApply([api({ a: 'b', c: 'd' })]);
      const planned = await plan([api({ a: 'B', c: 'd' }), api({ n: 'new' }, 'nomad/jobs/new')]);
      const result = await apply(planned, resolve);
      expect(result.ok).toBe(false);
      expect((await live())?.Items).toEqual({ a: 'b', c: 'd' });
      expect(await live('nomad/jobs/new')).toBeNull();
      return result.results.map((r) => `${r.outcome}${r.stale ? ' (stale)' : ''}: ${r.message}`);
    };

    it('refuses a value changed since the plan, naming the item and not the values', async () => {
      const messages = await changed(
        valuesOf(desiredOf([api({ a: 'other', c: 'd' }), api({ n: 'new' }, 'nomad/jobs/new')])),
      );
      expect(messages).toEqual([
        'failed (stale): variable nomad/jobs/api in namespace default: the value of item "a" changed since the plan; run plan again',
        'not-run: not started: the plan is stale',
      ]);
    });

    it('refuses items added or removed since the plan, and a variable no longer declared', async () => {
      const messages = await changed(valuesOf(desiredOf([api({ a: 'B', e: 'f' })])));
      expect(messages).toEqual([
        'failed (stale): variable nomad/jobs/api in namespace default: item "c" was removed, item "e" was added since the plan; run plan again',
        'failed (stale): variable nomad/jobs/new in namespace default is no longer declared by the project; run plan again',
      ]);
    });

    it('needs the project values: a plan that writes variables is not applied without resolveValues', async () => {
      const planned = await plan([api({ a: 'b' })]);
      await expect(apply(planned, undefined)).rejects.toThrow('resolveValues');
      expect(await live()).toBeNull();
    });
  });

  it('refuses to declare a variable under drover/stacks/, and one declared twice', async () => {
    await expect(plan([api({ a: 'b' }, 'drover/stacks/shop/lock')])).rejects.toThrow(
      'variable "drover/stacks/shop/lock" (in drover.hcl) is under drover/stacks/, where drover keeps each stack\'s lock, history and inventory',
    );
    await expect(plan([api({ a: 'b' }, 'drover/stacks')])).rejects.toThrow('is under drover/stacks/');
    await expect(plan([api({ a: 'b' }), api({ c: 'd' })])).rejects.toThrow(
      'variable "nomad/jobs/api" in namespace "default" is declared twice: in drover.hcl and drover.hcl',
    );
  });

  it('keys each change’s digests apart: equal values match across neither plans nor items', async () => {
    const variable = api({ one: 'same-value', two: 'same-value' });
    const [first, second] = [await plan([variable]), await plan([variable])];
    const digests = (p: Plan) => {
      const change = p.changes[0]!;
      if (change.kind !== 'variable' || change.action !== 'create') throw new Error('expected a create');
      return change.spec;
    };
    expect(digests(first).DigestKey).not.toBe(digests(second).DigestKey);
    expect(digests(first).ItemDigests.one).not.toBe(digests(second).ItemDigests.one);
    expect(digests(first).ItemDigests.one).not.toBe(digests(first).ItemDigests.two);
    expect(digests(first).ItemDigests.one).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('a token that may not read a variable', () => {
    let management: NomadClient;
    beforeEach(async () => {
      management = env.client({ token: env.sim.enableAcl().SecretID });
      await management.variables.write('nomad/jobs/api', { a: 'b' });
    });

    it.each([
      ['may list and write it but not read it', { 'nomad/jobs/*': ['list', 'write'] }],
      ['has no variables rule', {}],
    ])('plans it as unseen when it %s, and apply refuses the plan', async (_, variables) => {
      const token = env.sim.createToken({ namespaces: { default: { policy: 'read', variables } } });
      const limited = env.client({ token: token.SecretID });
      const planned = await plan([api({ a: 'c' }), api({ n: 'new' }, 'nomad/jobs/new')], { client: limited });
      expect(planned.unseen).toEqual([
        {
          kind: 'variable',
          needs: 'variables read on nomad/jobs/api in namespace default, nomad/jobs/new in namespace default',
        },
      ]);
      expect(planned.changes).toEqual([]);
      expect(text(planned)).toContain(
        '  ! variables: the token may not read them (it needs variables read on nomad/jobs/api in namespace default, nomad/jobs/new in namespace default); what changes is unknown, and apply refuses this plan',
      );
      await expect(apply(planned, valuesOf(desiredOf([])), { client: limited })).rejects.toThrow(
        'the plan could not read variables: nothing was applied',
      );
      expect((await management.variables.read('nomad/jobs/api')).body?.Items).toEqual({ a: 'b' });
    });
  });

  it('renders as JSON that validates against the schema, with item names and no digest', async () => {
    await env.nomad.variables.write('nomad/jobs/api', { a: 'b' });
    const planned = await plan([api({ a: 'c' })]);
    const document = renderPlanJson(planForDisplay(planned, { showSensitive: false }), {
      droverVersion: '0.0.0',
    }) as { changes: Array<Record<string, unknown>> };
    expect(validatePlanDocument(document)).toEqual([]);
    expect(document.changes[0]).toEqual({
      address: { cluster: 'default', kind: 'variable', namespace: 'default', name: 'nomad/jobs/api' },
      action: 'adopt',
      wave: 1,
      file: 'drover.hcl',
      notes: [
        {
          type: 'adopt-inventory',
          kind: 'variable',
          stack: 'shop',
          message:
            'drover takes this variable over by listing it in the inventory of stack "shop": prune and destroy may then delete it.',
        },
      ],
      modify_index: (await live())!.ModifyIndex,
      fields: [
        {
          Type: 'Edited',
          Name: 'Items[a]',
          Old: '(sensitive value)',
          New: '(sensitive value changed)',
          Annotations: null,
        },
      ],
    });
  });

  describe('no value is shown or kept anywhere', () => {
    const PLANNED = 'Pl4nned-S3cret-7c1e9a';
    const LIVE = 'L1ve-S3cret-4b2d6f';
    const LATER = 'L4ter-S3cret-0a9e33';
    const leaks = (outputs: readonly string[]) =>
      outputs.flatMap((output, i) =>
        [PLANNED, LIVE, LATER].filter((secret) => output.includes(secret)).map((secret) => `${i}: ${secret}`),
      );

    it.each([
      ['a management token', true],
      ['a read-only token', false],
    ])(
      'in plan, renderings, saved plan, apply, events, history, refusals and logs, for %s',
      async (_, management) => {
        const adminToken = env.sim.enableAcl().SecretID;
        const admin = env.client({ token: adminToken });
        await admin.variables.write('nomad/jobs/api', { db_password: LIVE, removed: LIVE });
        ownVariable('nomad/jobs/api');
        const reader = env.sim.createToken({
          namespaces: { default: { policy: 'read', variables: { 'nomad/jobs/*': ['read'] } } },
        });
        const logs: string[] = [];
        const client = env.client({
          token: management ? adminToken : reader.SecretID,
          logger: createLogger('debug', (line) => logs.push(line)),
        });
        const variables = [
          api({ db_password: PLANNED, feature_x: 'on' }),
          api({ api_token: PLANNED }, 'nomad/jobs/new'),
        ];
        const planned = await plan(variables, { client });
        expect(summary(planned)).toEqual([
          '1 update variable default/nomad/jobs/api',
          '1 create variable default/nomad/jobs/new',
        ]);
        const display = planForDisplay(planned, { showSensitive: false });
        const saved = serializePlan(planned, '0.0.0');
        const outputs = [
          JSON.stringify(planned),
          saved,
          renderPlanHuman(display, { color: false }),
          JSON.stringify(renderPlanJson(display, { droverVersion: '0.0.0' })),
          renderPlanMarkdown(display),
        ];

        const refused = await apply(
          planned,
          valuesOf(desiredOf([api({ db_password: LATER, feature_x: 'on' })])),
          {
            client,
          },
        );
        expect(refused.results.map((r) => r.outcome)).toEqual(['failed', 'failed']);

        const events: ApplyEvent[] = [];
        const fromFile = parsePlanFile(saved, 'plan.json').plan;
        const result = await apply(fromFile, valuesOf(desiredOf(variables)), {
          client,
          emit: (event) => events.push(event),
        });
        expect(result.ok).toBe(management);
        if (management)
          expect((await admin.variables.read('nomad/jobs/api')).body?.Items).toEqual({
            db_password: PLANNED,
            feature_x: 'on',
          });
        else
          expect(result.results[0]!.message).toBe(
            'PUT /v1/var/nomad/jobs/api: Nomad said: Permission denied',
          );

        const holder = {
          holder: 'test',
          command: 'apply',
          started: '2026-11-22T12:00:00Z',
          drover_version: '0.0.0',
        };
        for (const run of [refused, result])
          await appendHistory(
            admin,
            'shop',
            'default',
            recordOf(holder, run, {
              planChecksum: planChecksum(planned),
              lockLost: false,
              finished: new Date(),
            }),
            await readHistory(admin, 'shop', 'default'),
          );
        const history = (await admin.variables.read(historyPath('shop'))).body?.Items;
        expect(history?.records).toContain('nomad/jobs/new');
        outputs.push(
          JSON.stringify(refused),
          JSON.stringify(result),
          renderApplySummary(refused),
          renderApplySummary(result),
          JSON.stringify(renderApplyJson(result)),
          JSON.stringify(events),
          JSON.stringify(history),
          logs.join('\n'),
        );
        expect(logs.length).toBeGreaterThan(0);
        expect(leaks(outputs)).toEqual([]);
      },
    );

    it('cuts a value out of a failure whose text quotes it (a proxy echoing the request)', async () => {
      const variables = [api({ db_password: PLANNED, short: 'on' })];
      const planned = await plan(variables);
      env.sim.addFault({
        kind: 'status',
        method: 'PUT',
        path: '^/v1/var/',
        status: 502,
        body: `bad gateway: {"Items":{"db_password":"${PLANNED}","short":"on"}}`,
      });
      const result = await apply(planned, valuesOf(desiredOf(variables)));
      expect(result.results[0]!.message).toBe(
        'PUT /v1/var/nomad/jobs/api: Nomad said: bad gateway: {"Items":{"db_password":"(sensitive)","short":"on"}}',
      );
    });
  });

  it('counts its changes in the summary beside other kinds', async () => {
    const planned = await plan([api({ a: 'b' }), api({ a: 'b' }, 'nomad/jobs/web')], {
      jobs: [serviceJob('api')],
    });
    expect(text(planned).split('\n').at(-1)).toBe(
      'Plan: 3 to create, 0 to update, 0 to delete (variables: 2 to create; jobs: 1 to create).',
    );
  });
});
