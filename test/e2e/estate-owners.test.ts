/**
 * An ACL policy, role or Nomad Variable carries no stamp: only a stack's inventory says it owns it. A second stack
 * declaring the same object is refused at plan time, naming the owner, rather than adopting it (the first stack to
 * prune it would delete what the other still uses).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startAclSimulatorProcess, type AclSimulator } from '../support/cli.js';

const project = (stack: string, blocks: string) => {
  const dir = mkdtempSync(join(tmpdir(), `drover-owners-${stack}-`));
  writeFileSync(join(dir, 'drover.hcl'), `stack = "${stack}"\n\n${blocks}`);
  return dir;
};

const POLICY = `acl_policy "deploy" {
  rules = <<-EOT
    namespace "*" {
      policy = "write"
    }
  EOT
}
`;
const VARIABLE = `nomad_variable "app/config" {
  items = { mode = "on" }
}
`;

describe('objects another stack owns', () => {
  let sim: AclSimulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startAclSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address, NOMAD_TOKEN: sim.token, CI: 'true' };
  });
  afterAll(() => sim.stop());

  it('refuses to adopt an ACL policy or variable another stack inventories, naming it; one made by hand is adopted', async () => {
    const first = project('platform', POLICY + VARIABLE);
    expect((await runCli(['apply', first, '--auto-approve'], env)).code).toBe(0);

    const second = project('payments', POLICY + VARIABLE);
    const requests = async () =>
      (
        (await (await fetch(`${sim.address}/__sim/requests`, { method: 'POST', body: '{}' })).json()) as {
          requests: string[];
        }
      ).requests;
    const seen = (await requests()).length;
    const refused = await runCli(['plan', second], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'Error: ACL policy "deploy", variable "app/config" in namespace default belong to stack "platform" (its inventory lists them), not "payments"\n' +
        'Hint: Another drover stack manages these objects: remove them from the project of stack "platform" and apply that first to hand them over, or leave them out of this one.\n',
    );
    const applied = await runCli(['apply', second, '--auto-approve'], env);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('belong to stack "platform"');
    // Nothing written but the stack's own lock.
    const writes = (await requests())
      .slice(seen)
      .filter((r) => /^(PUT|POST|DELETE) /.test(r) && !r.includes('/v1/var/drover/stacks/'));
    expect(writes).toEqual([]);

    // Another stack's inventory that is not drover's is that stack's plans' to report, not this one's.
    await fetch(`${sim.address}/v1/var/drover/stacks/broken/inventory`, {
      method: 'PUT',
      headers: { 'X-Nomad-Token': env.NOMAD_TOKEN! },
      body: JSON.stringify({ Items: { other: 'not an inventory' } }),
    });
    await fetch(`${sim.address}/v1/acl/policy/by-hand`, {
      method: 'PUT',
      headers: { 'X-Nomad-Token': env.NOMAD_TOKEN! },
      body: JSON.stringify({ Name: 'by-hand', Rules: 'node { policy = "read" }' }),
    });
    const adopting = project(
      'payments',
      'acl_policy "by-hand" {\n  rules = "node { policy = \\"read\\" }"\n}\n',
    );
    const adopted = await runCli(['plan', adopting], env);
    expect(adopted.stderr).toBe('');
    expect(adopted.stdout).toContain('adopt');
    expect(adopted.code).toBe(0);
  }, 60_000);

  it('import leaves out what another stack inventories, naming it, and the plan of what it wrote adopts the rest', async () => {
    const out = mkdtempSync(join(tmpdir(), 'drover-owners-import-'));
    const args = [
      'import',
      '--no-jobs',
      '--include',
      'acl,nomad_variable',
      '--stack',
      'payments',
      '--out',
      out,
    ];
    const imported = await runCli([...args, '--json'], env);
    expect(imported.stderr).toBe('');
    expect(JSON.parse(imported.stdout)).toMatchObject({
      aclPolicies: ['by-hand'],
      variables: [],
      otherStacks: [
        { kind: 'acl_policy', name: 'deploy', stack: 'platform' },
        { kind: 'nomad_variable', name: 'app/config', stack: 'platform' },
      ],
    });
    const text = await runCli([...args, '--force'], env);
    expect(text.stdout).toContain(
      'Left out, as another drover stack manages them: acl_policy "deploy" (stack "platform"), nomad_variable "app/config" (stack "platform").',
    );
    const plan = await runCli(['plan', out], env);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
  }, 60_000);
});
