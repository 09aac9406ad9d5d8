import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

const JOB = (id: string, image: string) =>
  `job "${id}" {\n  group "g" {\n    task "app" {\n      driver = "docker"\n      config {\n        image = "${image}"\n      }\n      env {\n        API_TOKEN = "${image}-token"\n      }\n    }\n  }\n}\n`;

describe('drover rollback', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    env = { NOMAD_ADDR: sim.address, CI: 'true' };
  });
  afterAll(() => sim.stop());

  /** A project of stack `stack` whose job `id` was applied with each image in turn. */
  async function applied(stack: string, id: string, images: readonly string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'drover-rollback-'));
    writeFileSync(join(dir, 'drover.hcl'), `stack = "${stack}"\n`);
    const cli = (args: string[]) => runCli(args, env, undefined, dir);
    for (const image of images) {
      writeFileSync(join(dir, `${id}.nomad.hcl`), JOB(id, image));
      expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    }
    return cli;
  }
  const live = async (id: string) =>
    (await fetch(`${sim.address}/v1/job/${id}`).then((r) => r.json())) as {
      Version: number;
      TaskGroups: Array<{ Tasks: Array<{ Config: { image: string } }> }>;
    };

  it('shows what the revert changes, asks, reverts to the last stable version and waits; the history records it', async () => {
    const cli = await applied('rb', 'web', ['example/app:1', 'example/app:2']);
    const declined = await cli(['rollback', 'web', '--no-color']);
    expect(declined.code).toBe(1);
    expect(declined.stdout).toMatch(/^drover rollback \(stack rb, namespace default, /);
    expect(declined.stdout).toContain(
      '  # web will be reverted  [wave 1]\n  ↺ job "web"\n      to version 0\'s spec (now version 1; Nomad registers it as a new version)\n',
    );
    expect(declined.stdout).toContain('~ image: "example/app:2" → "example/app:1"');
    expect(declined.stdout).toContain('~ Env[API_TOKEN]: "(sensitive)" → "(sensitive)"');
    expect(declined.stdout).not.toContain('-token');
    expect(declined.stdout).toContain('Plan: 0 to create, 0 to update, 1 to revert, 0 to delete.');
    expect(declined.stderr).toBe(
      'Error: refusing to revert without approval: there is no terminal to ask on\n' +
        'Hint: Review the changes above, then run again with --auto-approve.\n',
    );
    expect((await live('web')).Version).toBe(1);

    const reverted = await cli(['rollback', 'web', '--auto-approve', '--no-color']);
    expect(reverted.stderr).toBe('');
    expect(reverted.code).toBe(0);
    expect(reverted.stdout).toMatch(/\nweb +revert +succeeded +2 +[0-9a-f]{8} /);
    expect(reverted.stdout).toContain('Rollback complete: 1 succeeded.');
    const after = await live('web');
    expect([after.Version, after.TaskGroups[0]!.Tasks[0]!.Config.image]).toEqual([2, 'example/app:1']);
    const history = JSON.parse((await cli(['history', '--json'])).stdout) as {
      records: Array<{ command: string; jobs: unknown[] }>;
    };
    expect(history.records[0]).toMatchObject({
      command: 'rollback',
      jobs: [{ id: 'web', action: 'revert', outcome: 'succeeded', version: 2 }],
    });
    // The files still say app:2: drover shows that as drift, and the next apply brings it back.
    expect((await cli(['plan', '--no-color'])).stdout).toContain(
      '~ image: "example/app:1" → "example/app:2"',
    );
  });

  it('--to-version N goes back to that version; --json prints the result alone', async () => {
    const cli = await applied('rb-n', 'api', ['example/api:1', 'example/api:2', 'example/api:3']);
    const reverted = await cli(['rollback', 'api', '--to-version', '0', '--auto-approve', '--json']);
    expect(reverted.code).toBe(0);
    expect(JSON.parse(reverted.stdout)).toMatchObject({
      ok: true,
      jobs: [{ id: 'api', action: 'revert', outcome: 'succeeded', version: 3 }],
    });
    expect((await live('api')).TaskGroups[0]!.Tasks[0]!.Config.image).toBe('example/api:1');
  });

  it.each([
    [['rollback', 'ghost'], 'Error: job ghost does not exist in namespace default'],
    [
      ['rollback', 'seven', '--to-version', '7'],
      'Error: job seven has no version 7\nHint: Nomad keeps these versions of it: 1, 0.',
    ],
    [['rollback', 'same', '--to-version', '1'], 'Error: job same is at version 1 already'],
  ])('refuses %j, changing nothing', async (args, message) => {
    const id = args[1] === 'ghost' ? 'kept' : args[1]!;
    const cli = await applied(`rb-refuse-${id}`, id, ['example/lone:1', 'example/lone:2']);
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect((await live(id)).Version).toBe(1);
  });

  it('refuses a job of another stack, and a job without a stable version before the current one', async () => {
    const cli = await applied('rb-first', 'first', ['example/first:1']);
    const none = await cli(['rollback', 'first']);
    expect(none.stderr).toContain('Error: job first has no stable version before version 0');
    const other = await cli(['rollback', 'seven']);
    expect(other.stderr).toContain(
      'Error: job seven does not belong to stack "rb-first" (its stamp says "rb-refuse-seven"); not reverted',
    );
  });
});
