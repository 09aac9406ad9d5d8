import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { cleanEnv, ROOT, runCli, type CliResult } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';
import { sleepingService, stackProject } from './projects.js';

/** The stack lock, history and drift on a real Nomad: variable locks, check-and-set, versions and scaling. */
describe('drover against a real Nomad agent: stack lock, history and drift', () => {
  let agent: NomadAgent;
  let env: Record<string, string>;
  beforeAll(async () => {
    agent = await startNomadAgent({ acl: true });
    env = { NOMAD_ADDR: agent.address, NOMAD_TOKEN: agent.managementToken!, CI: 'true' };
  }, 120_000);
  afterAll(() => agent?.stop());

  it('refuses a second apply while the first holds the lock, then records the run and the drift of a scale', async () => {
    const dir = stackProject('locked', { 'a.nomad.hcl': sleepingService('locked-a') });
    const child = spawn(process.execPath, [join(ROOT, 'bin/run.cjs'), 'apply', dir, '--auto-approve'], {
      env: { ...cleanEnv(), ...env, USER: 'first' },
    });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    const first = once(child, 'close').then(
      ([code]) => ({ code, stdout }) as Pick<CliResult, 'code' | 'stdout'>,
    );
    for (let i = 0; i < 200; i++) {
      const lock = await agent
        .api<{ Lock?: unknown }>('GET', '/v1/var/drover/stacks/locked/lock', undefined, agent.managementToken)
        .catch(() => undefined);
      if (lock?.Lock) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const second = await runCli(['apply', dir, '--auto-approve'], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Error: stack "locked" is locked by \S+@\S+ \(drover \S+ apply, since /);
    expect((await first).code).toBe(0);

    const history = await runCli(['history', dir, '--json'], env);
    const records = (JSON.parse(history.stdout) as { records: Array<{ outcome: string; jobs: unknown[] }> })
      .records;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      outcome: 'succeeded',
      jobs: [
        {
          id: 'locked-a',
          action: 'create',
          outcome: 'succeeded',
          version: 0,
          job_modify_index: expect.any(Number),
        },
      ],
    });
    expect((await runCli(['drift', dir, '--detailed-exitcode'], env)).code).toBe(0);

    await agent.api(
      'POST',
      '/v1/job/locked-a/scale',
      { Count: 2, Target: { Group: 'g' } },
      agent.managementToken,
    );
    const drift = await runCli(['drift', dir, '--detailed-exitcode'], env);
    expect([drift.code, drift.stdout]).toEqual([
      2,
      'Stack "locked": 1 job drifted since drover last applied it:\n  locked-a: scaled outside drover: group "g" count 1 → 2 (now version 1)\n',
    ]);

    // A token with read-job and variables read only: drift works, apply is refused before any write.
    const policy = `namespace "default" {\n  policy = "read"\n  variables {\n    path "drover/stacks/*" {\n      capabilities = ["read"]\n    }\n  }\n}\n`;
    await agent.api(
      'POST',
      '/v1/acl/policy/reader',
      { Name: 'reader', Rules: policy },
      agent.managementToken,
    );
    const reader = await agent.api<{ SecretID: string }>(
      'POST',
      '/v1/acl/token',
      { Name: 'reader', Type: 'client', Policies: ['reader'] },
      agent.managementToken,
    );
    const readOnly = await runCli(['drift', dir, '--detailed-exitcode'], {
      ...env,
      NOMAD_TOKEN: reader.SecretID,
    });
    expect(readOnly.code).toBe(2);
    expect(readOnly.stdout).toContain('locked-a: scaled outside drover');
    const refused = await runCli(['apply', dir, '--auto-approve'], { ...env, NOMAD_TOKEN: reader.SecretID });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the token may not use the stack lock drover/stacks/locked/lock');
  }, 120_000);
});
