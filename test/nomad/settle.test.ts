/**
 * Plans that settle on a cluster with ACLs on: after each apply, the next plan exits 0 under --detailed-exitcode
 * for every kind of job, planned with the token that applied and with another one. Nomad's own annotations of
 * those unchanged plans are recorded (DROVER_RECORD=1) for the simulator to be held to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DesiredUpdates } from '../../src/nomad/types.js';
import { runCli } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';
import { SETTLE_JOBS, stackProject } from './projects.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/nomad-2.0.5/acl-unchanged-plans.json');

const IDS = ['web', 'migrate', 'agent', 'sweep', 'nightly', 'report', 'edge'];

describe('plans settle on an agent with ACLs on', () => {
  let agent: NomadAgent;
  let dir: string;
  let colleague: string;
  const drover = (args: readonly string[], token = agent.managementToken!) =>
    runCli(args, { ...agent.env, NOMAD_TOKEN: token });
  const settles = async () => {
    for (const token of [agent.managementToken!, colleague]) {
      const plan = await drover(['plan', dir, '--detailed-exitcode'], token);
      expect(plan.stdout.trimEnd().split('\n').at(-1)).toBe('No changes. Nomad matches the job files.');
      expect(plan.code).toBe(0);
    }
  };

  beforeAll(async () => {
    agent = await startNomadAgent();
    colleague = (
      await agent.api<{ SecretID: string }>('POST', '/v1/acl/token', {
        Name: 'colleague',
        Type: 'management',
      })
    ).SecretID;
    dir = stackProject(
      'settle',
      Object.fromEntries(Object.entries(SETTLE_JOBS).map(([kind, text]) => [`${kind}.nomad.hcl`, text])),
    );
    writeFileSync(join(dir, 'drover.hcl'), 'stack = "settle"\njobs  = ["*.nomad.hcl"]\n');
  }, 120_000);
  afterAll(() => agent?.stop());

  it('applies service, batch, system, sysbatch, periodic, parameterized and canary jobs, then plans no changes', async () => {
    const applied = await drover(['apply', dir, '--auto-approve']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    await settles();
  });

  it("records Nomad's annotations of the unchanged jobs: in-place updates, a system job's Place per node", async () => {
    const plans: Record<string, Record<string, DesiredUpdates>> = {};
    for (const id of IDS) {
      const live = await agent.api<Record<string, unknown>>('GET', `/v1/job/${id}`);
      const planned = await agent.api<{ Diff: { Type: string }; Annotations: { DesiredTGUpdates: never } }>(
        'PUT',
        `/v1/job/${id}/plan`,
        { Job: live, Diff: true },
      );
      expect(planned.Diff.Type).toBe('None');
      plans[id] = planned.Annotations.DesiredTGUpdates;
    }
    if (process.env.DROVER_RECORD === '1')
      writeFileSync(
        FIXTURE,
        `${JSON.stringify({ recorded: `nomad agent -dev with ACLs, Nomad v${agent.version}`, plans }, null, 2)}\n`,
      );
    expect(plans).toEqual((JSON.parse(readFileSync(FIXTURE, 'utf8')) as { plans: unknown }).plans);
  });

  it('settles after a canary rollout promoted, and after a second token registered a change', async () => {
    writeFileSync(join(dir, 'canary.nomad.hcl'), SETTLE_JOBS.canary!.replace('"3600"', '"3601"'));
    const rolled = await drover(['apply', dir, '--auto-approve']);
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toMatch(/edge +update +succeeded/);
    await settles();
    writeFileSync(join(dir, 'service.nomad.hcl'), SETTLE_JOBS.service!.replace('"3600"', '"3602"'));
    expect((await drover(['apply', dir, '--auto-approve'], colleague)).code).toBe(0);
    await settles();
  });
});
