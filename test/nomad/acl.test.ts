import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';
import { sleepingService } from './projects.js';

const job = (password: string) => sleepingService('web', { env: { DB_PASSWORD: password } });

describe('drover against a real Nomad agent with ACLs on', () => {
  let agent: NomadAgent;
  let dir: string;
  let management: string;
  let reader: string;
  const drover = (args: readonly string[], token: string) =>
    runCli(args, { NOMAD_ADDR: agent.address, NOMAD_TOKEN: token });

  beforeAll(async () => {
    agent = await startNomadAgent({ acl: true });
    management = agent.managementToken!;
    await agent.api(
      'POST',
      '/v1/acl/policy/reader',
      { Name: 'reader', Rules: 'namespace "default" {\n  policy = "read"\n}\n' },
      management,
    );
    reader = (
      await agent.api<{ SecretID: string }>(
        'POST',
        '/v1/acl/token',
        { Name: 'ci-reader', Type: 'client', Policies: ['reader'] },
        management,
      )
    ).SecretID;
    dir = mkdtempSync(join(tmpdir(), 'drover-it-acl-'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'drover.hcl'), 'stack = "acl"\n');
    writeFileSync(join(dir, 'web.nomad.hcl'), job('first-pass-1'));
    const applied = await drover(['apply', dir, '--auto-approve'], management);
    expect(applied.code).toBe(0);
  }, 120_000);
  afterAll(() => agent?.stop());

  it('plans with a read-only token through the local diff: settled, then a masked change', async () => {
    const quiet = await drover(['plan', dir, '--detailed-exitcode'], reader);
    expect(quiet.stdout).toContain('No changes.');
    expect(quiet.code).toBe(0);
    writeFileSync(join(dir, 'web.nomad.hcl'), job('second-pass-2'));
    const changed = await drover(['plan', dir, '--detailed-exitcode', '--log-level', 'debug'], reader);
    expect(changed.code).toBe(2);
    expect(changed.stdout).toContain('computed locally');
    expect(changed.stdout).toContain('~ Env[DB_PASSWORD]: "(sensitive)" → "(sensitive)"');
    expect(changed.stdout + changed.stderr).not.toMatch(/first-pass-1|second-pass-2/);
    expect(changed.stderr).not.toContain(reader);
  });

  it('refuses apply with the read-only token, naming submit-job, and registers nothing', async () => {
    const before = await agent.api<{ JobModifyIndex: number }>('GET', '/v1/job/web', undefined, management);
    const result = await drover(['apply', dir, '--auto-approve'], reader);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: the token may not use the stack lock drover/stacks/acl/lock');
    expect(result.stderr).toContain('nor may it register jobs');
    expect(result.stdout + result.stderr).toContain('submit-job');
    expect(result.stdout + result.stderr).not.toContain(reader);
    const after = await agent.api<{ JobModifyIndex: number }>('GET', '/v1/job/web', undefined, management);
    expect(after.JobModifyIndex).toBe(before.JobModifyIndex);
  });

  it('names an unknown token as a possible cause of the 403, without printing it', async () => {
    const unknown = '00000000-1111-2222-3333-444444444444';
    const result = await drover(['plan', dir], unknown);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/token/i);
    expect(result.stderr).not.toContain(unknown);
  });
});
