import { buildPlan } from '../../../src/plan/build-plan.js';
import type { Plan } from '../../../src/plan/model.js';
import { keyOf } from '../../support/plan-changes.js';
import { settings } from '../../support/plan-env.js';
import { serviceJob, startSimulatedNomad, type SimulatedNomad } from '../../support/simulated-nomad.js';

/** Every kind declared at once, as a project beside its jobs plans them. */
describe('planning the kinds of a project together', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
    const management = env.client({ token: env.sim.enableAcl().SecretID });
    await management.namespaces.write({ Name: 'payments' });
    await management.aclPolicies.write({ Name: 'deploy', Rules: 'node {\n  policy = "read"\n}\n' });
  });
  afterEach(() => env.close());

  const plan = (namespaces: readonly string[] = ['payments']) =>
    buildPlan({
      client: env.client({ token: env.sim.enableAcl().SecretID }),
      desired: {
        'node-pool': { objects: [{ spec: { Name: 'general' } }] },
        namespace: { objects: namespaces.map((Name) => ({ spec: { Name } })) },
        'acl-policy': { objects: [{ spec: { Name: 'deploy', Rules: 'node {\n  policy = "read"\n}\n' } }] },
        'acl-role': { objects: [{ spec: { Name: 'ci', Policies: [{ Name: 'deploy' }] } }] },
        variable: {
          objects: [{ spec: { Namespace: 'payments', Path: 'nomad/jobs/api', Items: { a: 'b' } } }],
        },
        job: { jobs: [{ job: { ...serviceJob('api'), Namespace: 'payments' } }] },
      },
      settings: settings({ stack: undefined }),
    });
  const summary = (planned: Plan) =>
    planned.changes.map((c) => `${c.wave + 1} ${c.action} ${c.kind} ${keyOf(c)}`);

  it('reads the job as soon as its namespace and node pool are known, and asks who the token is once', async () => {
    // Requests are recorded as they arrive; with this latency each round trip stands apart from the next.
    env.sim.addFault({ kind: 'latency', latencyMs: 100 });
    const before = env.sim.requests.length;
    const planned = await plan();
    expect(summary(planned)).toEqual([
      '1 create node-pool /general',
      '2 noop namespace /payments',
      '3 noop acl-policy /deploy',
      '4 create acl-role /ci',
      '5 create variable payments/nomad/jobs/api',
      '6 create job payments/api',
    ]);
    const asked = env.sim.requests.slice(before);
    expect(asked.filter((r) => r === 'GET /v1/acl/token/self')).toHaveLength(1);
    // The policy is read after the token and the policy list: two round trips, where the job waited for one.
    expect(asked.indexOf('GET /v1/job/api')).toBeLessThan(asked.indexOf('GET /v1/acl/policy/deploy'));
    expect(asked.indexOf('GET /v1/var/nomad/jobs/api')).toBeLessThan(asked.indexOf('GET /v1/acl/roles'));
  });

  it('still plans a kind with what the kinds it reads planned: in a namespace created first, nothing is read', async () => {
    const client = env.client({ token: env.sim.enableAcl().SecretID });
    const before = env.sim.requests.length;
    const planned = await buildPlan({
      client,
      desired: {
        namespace: { objects: [{ spec: { Name: 'billing' } }] },
        variable: {
          objects: [{ spec: { Namespace: 'billing', Path: 'nomad/jobs/api', Items: { a: 'b' } } }],
        },
        job: { jobs: [{ job: serviceJob('api', { Namespace: 'billing' }) }] },
      },
      settings: settings({ stack: undefined }),
    });
    expect(summary(planned)).toEqual([
      '1 create namespace /billing',
      '2 create variable billing/nomad/jobs/api',
      '3 create job billing/api',
    ]);
    expect(planned.changes[2]!.notes).toEqual([
      { type: 'created-first', kind: 'namespace', name: 'billing' },
    ]);
    expect(env.sim.requests.slice(before).filter((r) => r.startsWith('GET /v1/var/'))).toEqual([]);
  });

  it("refuses with the first kind in the plan's order that refuses, whichever answered first", async () => {
    const failing = buildPlan({
      client: env.client({ token: env.sim.enableAcl().SecretID }),
      desired: {
        'acl-role': { objects: [{ spec: { Name: 'ci', Policies: [{ Name: 'missing' }] } }] },
        job: { jobs: [{ job: serviceJob('api', { Namespace: 'nowhere' }) }] },
      },
      settings: settings({ stack: undefined }),
    });
    await expect(failing).rejects.toThrow(
      'ACL role "ci" links ACL policy "missing", which neither the project declares nor Nomad holds',
    );
  });
});
