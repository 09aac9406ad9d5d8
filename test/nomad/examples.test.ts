import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../support/cli.js';
import { nomadBinary, startNomadAgent, type NomadAgent } from './agent.js';

const JOBS = join(ROOT, 'examples/jobs');
const files = readdirSync(JOBS).filter((name) => name.endsWith('.nomad.hcl'));
/** examples/env/staging.vars.hcl's values: one `name = value` a line, strings quoted. */
const staging = Object.fromEntries(
  [
    ...readFileSync(join(ROOT, 'examples/env/staging.vars.hcl'), 'utf8').matchAll(
      /^(\w+) *= *"?([^"\n]*)"?$/gm,
    ),
  ].map((m) => [m[1]!, m[2]!]),
);

/**
 * The `-var` flags of examples/env/staging.vars.hcl that a job file declares (Nomad's CLI refuses values for
 * variables a file does not declare, where drover skips them), and the driver.
 */
function varFlags(source: string, driver: string): string[] {
  const values: Record<string, string> = { ...staging, driver };
  return Object.entries(values)
    .filter(([name]) => source.includes(`variable "${name}" {`))
    .flatMap(([name, value]) => ['-var', `${name}=${value}`]);
}

describe('examples/ on a real Nomad', () => {
  it.each(files)('%s renders as nomad job run -output renders it, with Docker and without', async (name) => {
    const path = join(JOBS, name);
    const source = readFileSync(path, 'utf8');
    for (const driver of ['docker', 'exec', 'raw_exec']) {
      const flags = varFlags(source, driver);
      const nomad = execFileSync(nomadBinary()!, ['job', 'run', '-output', ...flags, path]).toString();
      const drover = await runCli(['render', path, ...flags.map((f) => (f === '-var' ? '--var' : f))]);
      expect({ driver, code: drover.code, stderr: drover.stderr }).toEqual({ driver, code: 0, stderr: '' });
      expect(drover.stdout).toBe(nomad);
    }
  });

  describe('applied without Docker (env/no-docker.vars.hcl)', () => {
    let agent: NomadAgent;
    // The var file picks exec, which needs a client run as root; elsewhere raw_exec, which the test agent enables.
    const noDocker = [
      '--var-file',
      'examples/env/no-docker.vars.hcl',
      ...(process.getuid?.() === 0 ? [] : ['--var', 'driver=raw_exec']),
    ];
    beforeAll(async () => {
      agent = await startNomadAgent();
    }, 120_000);
    afterAll(() => agent?.stop());

    it('plans without a warning, applies all six jobs, and plans no change after', async () => {
      const plan = await runCli(['plan', 'examples/', ...noDocker, '--compact'], agent.env);
      expect(plan.stdout).toContain('Plan: 6 to create, 0 to update, 0 to delete.');
      expect(plan.stdout).not.toContain('Warnings:');

      const apply = await runCli(
        ['apply', 'examples/', ...noDocker, '--auto-approve', '--auto-promote', '--compact'],
        agent.env,
      );
      expect(apply.stderr).toBe('');
      expect(apply.stdout).toMatch(/wave 1: migrate\n[\s\S]*wave 3: api\n[\s\S]*wave 4: web\n/);
      expect(apply.stdout).toContain('Apply complete: 6 succeeded.');
      expect(apply.code).toBe(0);

      const again = await runCli(['plan', 'examples/', ...noDocker, '--detailed-exitcode'], agent.env);
      expect(again.stdout).toContain('No changes. Nomad matches the job files.');
      expect(again.code).toBe(0);

      // The template's secret line waits for no variable: the API started with the rest of its environment.
      const [alloc] = await agent.api<Array<{ ID: string }>>('GET', '/v1/job/api/allocations');
      const env = execFileSync(
        nomadBinary()!,
        ['alloc', 'exec', '-task', 'server', alloc!.ID, 'cat', 'secrets/app.env'],
        { env: { ...process.env, ...agent.env } },
      ).toString();
      expect(env).toMatch(
        /^LOG_LEVEL=info\nENVIRONMENT=staging\nREDIS_ADDR=127\.0\.0\.1:\d+\nDB_PASSWORD=\n$/,
      );
    }, 420_000);
  });
});
