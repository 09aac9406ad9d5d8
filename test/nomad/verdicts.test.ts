import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';
import { sleepingService, stackProject } from './projects.js';

/** A group with no task, only an ingress gateway's service. */
const GATEWAY_ONLY = `job "gw" {
  group "g" {
    network {
      mode = "bridge"
    }
    service {
      name = "ingress"
      port = "8080"
      connect {
        gateway {
          ingress {
            listener {
              port     = 8080
              protocol = "tcp"
              service {
                name = "web"
              }
            }
          }
        }
      }
    }
  }
}
`;

const multiregion = (id: string) =>
  sleepingService(id).replace(
    '  group "g" {',
    '  multiregion {\n    region "global" {\n      count = 1\n    }\n  }\n  group "g" {',
  );
const withPriority = (id: string, priority: number) =>
  sleepingService(id).replace('  group "g" {', `  priority = ${priority}\n  group "g" {`);

/**
 * Where `nomad job validate` (without an agent) and Nomad's servers judge a job differently, against an
 * open-source agent with ACLs on: drover validate gives the first's verdict, plan the second's.
 */
describe('validate as nomad job validate, plan as the servers', () => {
  let agent: NomadAgent;
  beforeAll(async () => {
    agent = await startNomadAgent();
  }, 120_000);
  afterAll(() => agent?.stop());

  it("refuses a multiregion job in validate; plan sends it, and shows the open-source servers' refusal", async () => {
    const dir = stackProject('multiregion', { 'mr.nomad.hcl': multiregion('mr') });
    const validate = await runCli(['validate', dir], agent.env);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('mr.nomad.hcl:2:3: error: Multiregion jobs are unlicensed.');
    expect(validate.stdout).toContain('Nomad Enterprise accepts it: plan and apply leave this verdict');
    const plan = await runCli(['plan', dir], agent.env);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(
      `Nomad refuses job "mr" (${join(dir, 'mr.nomad.hcl')}):\n  Multiregion jobs are unlicensed.\n`,
    );
  });

  it('accepts a negative priority in validate with a warning in the words the servers refuse it with; plan refuses it', async () => {
    const refusal = await agent
      .api('PUT', '/v1/jobs', { Job: { ...(await parsed(sleepingService('negative'))), Priority: -1 } })
      .then(
        () => 'registered',
        (error: Error) => error.message,
      );
    expect(refusal).toContain('job priority must be between [1, 100]');
    const dir = stackProject('negative', { 'negative.nomad.hcl': withPriority('negative', -1) });
    const validate = await runCli(['validate', dir], agent.env);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('negative.nomad.hcl:2:14: warning: Job priority below 1');
    expect(validate.stdout).toContain(
      "Nomad's servers refuse it at registration: job priority must be between [1, 100]",
    );
    const plan = await runCli(['plan', dir, '--no-color'], agent.env);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('negative.nomad.hcl:2:14: error: Invalid job priority');
  });

  it("takes priority 0 for the servers' default priority, as they do, with a warning", async () => {
    const dir = stackProject('zero', { 'zero.nomad.hcl': withPriority('zero', 0) });
    const validate = await runCli(['validate', dir], agent.env);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('zero.nomad.hcl:2:14: warning: Job priority 0');
    expect((await runCli(['apply', dir, '--auto-approve'], agent.env)).code).toBe(0);
    expect((await agent.api<{ Priority: number }>('GET', '/v1/job/zero')).Priority).toBe(50);
    const again = await runCli(['plan', dir, '--detailed-exitcode'], agent.env);
    expect(again.code).toBe(0);
  });

  it("refuses a group with only a Connect gateway in validate; plan leaves it to the servers, which add the gateway's task", async () => {
    const dir = stackProject('gateway', { 'gw.nomad.hcl': GATEWAY_ONLY });
    const validate = await runCli(['validate', dir], agent.env);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('gw.nomad.hcl:2:3: error: Missing tasks for task group');
    const planned = await agent.api<{ Diff: { TaskGroups: Array<{ Tasks: Array<{ Name: string }> }> } }>(
      'POST',
      '/v1/job/gw/plan',
      { Job: await parsed(GATEWAY_ONLY), Diff: true },
    );
    expect(planned.Diff.TaskGroups[0]!.Tasks.map((t) => t.Name)).toEqual(['connect-ingress-ingress']);
  });

  /** The job as the agent's parse endpoint reads the HCL. */
  async function parsed(hcl: string): Promise<Record<string, unknown>> {
    return agent.api('POST', '/v1/jobs/parse', { JobHCL: hcl, Canonicalize: true });
  }
});
