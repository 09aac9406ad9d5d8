import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadJob } from '../../src/source/load-job.js';
import type { DesiredUpdates, Job, JobDiff, TaskDiff } from '../../src/nomad/types.js';
import { SETTLE_JOBS } from '../nomad/projects.js';
import {
  exerciseApi,
  exerciseErrors,
  streamOpening,
  type ErrorAnswer,
  type Shapes,
  type StreamOpening,
} from '../support/api-shapes.js';
import { startSimulatedNomad, type SimulatedNomad } from '../support/simulated-nomad.js';
import { exerciseVariables, type VariableAnswer } from '../support/variable-answers.js';
import {
  exerciseAclDisabled,
  exerciseEstate,
  type EstateAnswer,
  type EstateAnswers,
} from '../support/estate-answers.js';

/** Answers recorded from a real Nomad agent (test/fixtures/nomad-2.0.5/), held against the simulator's. */
const recorded = <T>(name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/nomad-2.0.5', name), 'utf8')) as T;

describe('simulator conformance with Nomad 2.0.5', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  it("diffs a task's config as Nomad does: flattened fields only, map keys in brackets, no nested objects", async () => {
    const fixture = recorded<{ registered: Job; planned: Job; taskDiff: TaskDiff }>('plan-config-diff.json');
    await env.nomad.jobs.register({ Job: fixture.registered });
    const answer = await env.nomad.jobs.plan(fixture.planned);
    expect(answer.Diff!.TaskGroups![0]!.Tasks![0]).toEqual(fixture.taskDiff);
  });

  it('diffs no spread and no task lifecycle, as Nomad does: an edited group and task with nothing in them', async () => {
    const fixture = recorded<{ registered: Job; planned: Job; diff: JobDiff }>('plan-unlisted-diff.json');
    await env.nomad.jobs.register({ Job: fixture.registered });
    env.sim.advance(30_000);
    const answer = await env.nomad.jobs.plan(fixture.planned);
    expect(answer.Diff).toEqual(fixture.diff);
  });

  it("diffs a new job as Nomad does: the whole job Added, every field and object it plans, with Nomad's values", async () => {
    const fixture = recorded<{ job: Job; diff: JobDiff }>('plan-new-job.json');
    const answer = await env.nomad.jobs.plan(fixture.job);
    expect(answer.Diff).toEqual(fixture.diff);
  });

  it('answers what does not exist as Nomad does: status, text and whether X-Nomad-Index is set', async () => {
    const fixture = recorded<{
      answers: Array<{ path: string; status: number; body: string; indexHeader: boolean }>;
    }>('not-found.json');
    const seen = [];
    for (const { path } of fixture.answers) {
      const response = await fetch(`${env.sim.address}${path}`);
      seen.push({
        path,
        status: response.status,
        body: await response.text(),
        indexHeader: response.headers.has('x-nomad-index'),
      });
    }
    expect(seen).toEqual(fixture.answers);
  });

  it('gives every key a real agent gives, with the same JSON types, in the answers drover reads', async () => {
    const fixture = recorded<{ shapes: Shapes }>('shapes.json');
    const shapes = await exerciseApi(env.sim.address, async () => {
      env.sim.advance(30_000);
    });
    const differences: Record<string, string> = {};
    for (const [endpoint, paths] of Object.entries(fixture.shapes))
      for (const [path, type] of Object.entries(paths)) {
        const simulated = shapes[endpoint]?.[path];
        if (simulated !== type)
          differences[`${endpoint} ${path}`] = `${type}, simulator: ${simulated ?? 'missing'}`;
      }
    expect(differences).toEqual({});
  });

  it('acquires, renews, releases, refuses and expires variable locks as Nomad does', async () => {
    const fixture = recorded<{ answers: VariableAnswer[] }>('variables.json');
    const answers = await exerciseVariables(env.sim.address, async () => {
      env.sim.advance(21_500);
    });
    expect(answers).toEqual(fixture.answers);
  });

  it('refuses what Nomad refuses with the same status, text and index header', async () => {
    const fixture = recorded<{ answers: ErrorAnswer[] }>('errors.json');
    expect(await exerciseErrors(env.sim.address)).toEqual(fixture.answers);
  });

  it('opens, refuses and rejects an event stream as Nomad does: a refusal is 200 and silence', async () => {
    const fixture = recorded<{ openings: Record<string, StreamOpening & { path: string }> }>(
      'event-stream.json',
    );
    const management = env.sim.enableAcl().SecretID;
    const brokerless = await startSimulatedNomad({ eventBroker: false });
    try {
      const agents: Record<string, { address: string; token?: string }> = {
        subscribed: { address: env.sim.address, token: management },
        'no token (ACL refusal)': { address: env.sim.address },
        'event broker disabled': { address: brokerless.sim.address },
        'malformed topic': { address: env.sim.address, token: management },
        'malformed index': { address: env.sim.address, token: management },
      };
      const seen: Record<string, StreamOpening & { path: string }> = {};
      for (const [name, { path }] of Object.entries(fixture.openings)) {
        const { address, token } = agents[name]!;
        seen[name] = { path, ...(await streamOpening(address, path, token, 300)) };
      }
      expect(seen).toEqual(fixture.openings);
    } finally {
      await brokerless.close();
    }
  });

  it("plans unchanged jobs with ACLs on as Nomad does: in-place updates, batch work placed again, a system job's Place per node", async () => {
    const fixture = recorded<{ plans: Record<string, Record<string, DesiredUpdates>> }>(
      'acl-unchanged-plans.json',
    );
    const single = await startSimulatedNomad({ nodes: 1 });
    try {
      const nomad = single.client({ token: single.sim.enableAcl().SecretID });
      const jobs = Object.values(SETTLE_JOBS).map(
        (text) => loadJob('job.nomad.hcl', text, { env: {}, allowFilesystem: false }).job!,
      );
      for (const job of jobs) await nomad.jobs.register({ Job: job });
      for (let i = 0; i < 10; i++) {
        single.sim.advance(10_000);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const plans: Record<string, unknown> = {};
      for (const job of jobs) {
        const { body: live } = await nomad.jobs.find(String(job.ID));
        plans[String(job.ID)] = (await nomad.jobs.plan(live!)).Annotations?.DesiredTGUpdates;
      }
      expect(plans).toEqual(fixture.plans);
    } finally {
      await single.close();
    }
  });

  describe('namespaces, node pools, ACL policies and roles, variables', () => {
    const fixture = recorded<EstateAnswers & { aclDisabled: EstateAnswer[] }>('estate.json');
    let exchange: EstateAnswers;
    beforeAll(async () => {
      const own = await startSimulatedNomad();
      try {
        exchange = await exerciseEstate(own.sim.address, own.sim.enableAcl().SecretID, async () => {
          own.sim.advance(1000);
        });
      } finally {
        await own.close();
      }
    });

    /** One test per token, so that a difference shows where it is. */
    it.each([...new Set(fixture.answers.map((a) => a.as))])('answers as Nomad does, to %s', (as) => {
      const only = (answers: EstateAnswer[]) => answers.filter((a) => a.as === as);
      expect(only(exchange.answers)).toEqual(only(fixture.answers));
    });

    it('wakes blocking reads of each list and object when it changes, as Nomad does', () => {
      expect(exchange.blocking).toEqual(fixture.blocking);
    });
  });

  it('refuses ACL policies and roles as Nomad does when ACLs are off, and names the stand-in token', async () => {
    const fixture = recorded<{ aclDisabled: EstateAnswer[] }>('estate.json');
    expect(await exerciseAclDisabled(env.sim.address)).toEqual(fixture.aclDisabled);
  });
});
