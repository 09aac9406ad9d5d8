/**
 * With ACLs on, Nomad stamps each registration with the token's accessor and its plan endpoint does not: an
 * unchanged job plans as in-place updates (a batch job's completed work as placements), and a system job's Place
 * counts every node. After an apply, the next plan must still say "No changes", whichever token runs it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

const task = (command: string) =>
  `    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "${command}"\n      }\n    }\n`;
const JOBS: Record<string, string> = {
  'web.nomad.hcl': `job "web" {\n  group "g" {\n    count = 2\n${task('/bin/sleep')}  }\n}\n`,
  'agent.nomad.hcl': `job "agent" {\n  type = "system"\n  group "g" {\n${task('/bin/sleep')}  }\n}\n`,
  'migrate.nomad.hcl': `job "migrate" {\n  type = "batch"\n  group "g" {\n${task('/bin/true')}  }\n}\n`,
  'sweep.nomad.hcl': `job "sweep" {\n  type = "sysbatch"\n  group "g" {\n${task('/bin/true')}  }\n}\n`,
};

describe('plans settle with ACLs on', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  const control = async <T>(action: string, body: unknown = {}) =>
    (await (
      await fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) })
    ).json()) as T;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
  });
  afterAll(() => sim.stop());

  it('says "No changes" after an apply, for service, system, batch and sysbatch jobs, with the token that applied and another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-acl-'));
    writeFileSync(join(dir, 'drover.hcl'), 'stack = "acl"\njobs  = ["*.nomad.hcl"]\n');
    for (const [name, text] of Object.entries(JOBS)) writeFileSync(join(dir, name), text);
    const deployer = await control<{ SecretID: string }>('acl');
    const colleague = await control<{ SecretID: string }>('token', { name: 'colleague', management: true });
    const env = (token: string) => ({ NOMAD_ADDR: sim.address, NOMAD_TOKEN: token });

    const applied = await runCli(['apply', dir, '--auto-approve'], env(deployer.SecretID));
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const versions = async () =>
      Promise.all(
        ['web', 'agent', 'migrate', 'sweep'].map(
          async (id) =>
            (
              (await (
                await fetch(`${sim.address}/v1/job/${id}`, {
                  headers: { 'X-Nomad-Token': deployer.SecretID },
                })
              ).json()) as { Version: number }
            ).Version,
        ),
      );
    const before = await versions();

    for (const token of [deployer.SecretID, colleague.SecretID]) {
      const plan = await runCli(['plan', dir, '--detailed-exitcode'], env(token));
      expect(plan.stdout.trimEnd().split('\n').at(-1)).toBe('No changes. Nomad matches the job files.');
      expect(plan.code).toBe(0);
    }
    const again = await runCli(['apply', dir, '--auto-approve'], env(colleague.SecretID));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes.');
    expect(await versions()).toEqual(before);
  }, 60_000);
});
