import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

const JOB = (image: string) =>
  `job "web" {\n  update {\n    canary = 1\n  }\n  group "g" {\n    count = 2\n    task "app" {\n      driver = "docker"\n      config {\n        image = "${image}"\n      }\n    }\n  }\n}\n`;

describe('canaries waiting for promotion, outside an apply', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address, CI: 'true' };
  });
  afterAll(() => sim.stop());

  it('status and plan name the waiting deployment; promote promotes it and waits; then nothing waits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-promote-'));
    writeFileSync(join(dir, 'drover.hcl'), 'stack = "canary"\n');
    writeFileSync(join(dir, 'web.nomad.hcl'), JOB('example/app:1'));
    const cli = (args: string[]) => runCli(args, env, undefined, dir);
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    writeFileSync(join(dir, 'web.nomad.hcl'), JOB('example/app:2'));
    const waiting = await cli(['apply', '--auto-approve']);
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toMatch(/web +update +promotion-ready/);

    const since = /canaries healthy, waiting for promotion since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/;
    const status = await cli(['status']);
    expect(status.stdout).toMatch(/\nweb +service +running +1 +[0-9a-f]{8} promotion-ready /);
    expect(status.stdout).toMatch(new RegExp(`\\n\\nweb: ${since.source}: drover promote web\\n$`));
    const json = JSON.parse((await cli(['status', '--json'])).stdout) as {
      jobs: Array<{ deployment: { waiting_for_promotion_since: string | null } }>;
    };
    expect(json.jobs[0]!.deployment.waiting_for_promotion_since).toMatch(/^\d{4}-\d\d-\d\dT/);

    // The files are unchanged: nothing to do (as Nomad 2.0.5 plans it), but the plan says what waits.
    const plan = await cli(['plan']);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.stdout).toMatch(new RegExp(`Notes:\n  · web: ${since.source}: drover promote web\n`));

    const unknown = await cli(['promote', 'nope']);
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      'Error: nope: not a job of stack "canary"\nHint: The stack\'s jobs: web.\n',
    ]);

    const promoted = await cli(['promote']);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(
      /^web: promoted deployment [0-9a-f]{8}; waiting for it to finish\nweb: succeeded: Deployment completed successfully\nJOB +DEPLOYMENT +OUTCOME +DURATION\nweb +[0-9a-f]{8} +succeeded +\d+\.\ds\n\nPromote complete: 1 succeeded\.\n$/,
    );
    expect((await cli(['status'])).stdout).toMatch(/\nweb +service +running +1 +[0-9a-f]{8} successful /);

    expect(await cli(['promote'])).toMatchObject({
      code: 0,
      stdout: 'Nothing to promote: no deployment of stack "canary" waits for promotion.\n',
    });
    const named = await cli(['promote', 'web']);
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(
      /^Error: web: no deployment waits for promotion \(latest: [0-9a-f]{8} successful\)\n/,
    );
  }, 60_000);
});
