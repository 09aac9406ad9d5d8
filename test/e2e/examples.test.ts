import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, startSimulatorProcess } from '../support/cli.js';

describe('examples/ and npm run demo', () => {
  it('validates examples/ with the variables its drover.hcl names, and with production’s or no-docker’s on top', async () => {
    // Outside its project the file lacks the values drover.hcl's var files give it; inside, it has them.
    const alone = mkdtempSync(join(tmpdir(), 'drover-alone-'));
    copyFileSync(join(ROOT, 'examples/jobs/api.nomad.hcl'), join(alone, 'api.nomad.hcl'));
    const bare = await runCli(['validate', join(alone, 'api.nomad.hcl')]);
    expect([bare.code, bare.stdout]).toEqual([1, expect.stringContaining('Unset variable "api_image"')]);
    const inProject = await runCli(['validate', 'examples/jobs/api.nomad.hcl']);
    expect([inProject.code, inProject.stdout.trimEnd().split('\n').at(-1)]).toEqual([0, '1 file valid.']);
    const project = await runCli(['validate', 'examples/']);
    expect([project.code, project.stdout.trimEnd().split('\n').at(-1)]).toEqual([0, '6 files valid.']);
    for (const env of ['staging', 'production', 'no-docker']) {
      const result = await runCli(['validate', 'examples/', '--var-file', `examples/env/${env}.vars.hcl`]);
      expect([result.code, result.stdout.trimEnd().split('\n').at(-1)]).toEqual([0, '6 files valid.']);
    }
  });

  /** `npm run demo -- ARGS` (what it runs after building), with `env` on top of this process's. */
  async function demo(env: Record<string, string | undefined>, args: string[] = []) {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'examples/demo.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', CI: 'true', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout, stderr };
  }

  it('runs the demo on the bundled simulator: plan, apply, a variable change shown as a line diff, apply, status', async () => {
    const { code, stdout } = await demo({ NOMAD_ADDR: undefined });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Nomad API simulator on http:\/\/127\.0\.0\.1:\d+ \(10× real time\)\n/);
    expect(stdout).toContain('Plan: 6 to create, 0 to update, 0 to delete.');
    expect(stdout).toContain('Apply complete: 6 succeeded.');
    expect(stdout).toMatch(/-LOG_LEVEL=info\n +\+LOG_LEVEL=debug\n/);
    expect(stdout).toContain('Apply complete: 1 succeeded, 5 unchanged.');
    expect(stdout).toMatch(/\napi +service +running +1 +[0-9a-f]{8} successful +2 +2 +0 /);
    expect(stdout).toContain('Done. The simulator is stopped');
  }, 60_000);

  it('adds its arguments to every plan and apply: npm run demo -- --var-file examples/env/no-docker.vars.hcl', async () => {
    const { code, stdout } = await demo({ NOMAD_ADDR: undefined }, [
      '--var-file',
      'examples/env/no-docker.vars.hcl',
    ]);
    expect(code).toBe(0);
    const steps = stdout.split('\n').filter((line) => line.startsWith('$ drover '));
    expect(steps).toEqual([
      '$ drover plan examples/ --var-file examples/env/no-docker.vars.hcl --compact',
      '$ drover apply examples/ --var-file examples/env/no-docker.vars.hcl --auto-approve --auto-promote --compact',
      '$ drover plan examples/ --var-file examples/env/no-docker.vars.hcl --var log_level=debug --detailed-exitcode',
      '$ drover apply examples/ --var-file examples/env/no-docker.vars.hcl --var log_level=debug --auto-approve',
      '$ drover status examples/',
    ]);
    expect(stdout).toContain('Apply complete: 6 succeeded.');
    expect(stdout).toContain('Apply complete: 1 succeeded, 5 unchanged.');
  }, 60_000);

  it('with NOMAD_ADDR set, plans against that Nomad and writes nothing without a person to approve', async () => {
    const cluster = await startSimulatorProcess();
    try {
      const { code, stdout, stderr } = await demo({ NOMAD_ADDR: cluster.address });
      expect(stdout).toContain(
        `Nomad at ${cluster.address} (NOMAD_ADDR): a real cluster, so every apply shows its plan and asks first.`,
      );
      expect(stdout).toContain(
        `drover plan (stack shop, namespace default, ${cluster.address}, project examples/drover.hcl)`,
      );
      expect(stdout).toContain('Plan: 6 to create, 0 to update, 0 to delete.');
      expect(stderr).toContain('refusing to apply without approval');
      expect(stderr).toContain('The demo stopped: drover apply examples/ --auto-promote --compact exited 1.');
      expect(code).toBe(1);
      expect(await fetch(`${cluster.address}/v1/jobs`).then((r) => r.json())).toEqual([]);
    } finally {
      await cluster.stop();
    }
  }, 60_000);
});
