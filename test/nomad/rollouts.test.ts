import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';
import { stackProject } from './projects.js';

/** A raw_exec service running `script` under /bin/sh, with the given update block. */
const service = (id: string, script: string, update: string) => `job "${id}" {
  group "g" {
    count = 2
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }
    update {
${update}
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", ${JSON.stringify(script)}]
      }
    }
  }
}
`;

const SYSTEM = `job "agentd" {
  type = "system"
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }
    }
  }
}
`;

describe('drover against a real Nomad agent: rollouts, failures and waiting', () => {
  let agent: NomadAgent;
  let env: Record<string, string>;
  beforeAll(async () => {
    agent = await startNomadAgent();
    env = { ...agent.env };
  }, 120_000);
  afterAll(() => agent?.stop());

  it('waits for a system job on every node', async () => {
    const dir = stackProject('sys', { 'agentd.nomad.hcl': SYSTEM });
    const result = await runCli(['apply', dir, '--auto-approve'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/agentd +create +succeeded +0 /);
  });

  it('stops a canary at promotion-ready, then promotes it with --auto-promote; --watch blocking', async () => {
    const update =
      '      canary           = 1\n      min_healthy_time = "1s"\n      healthy_deadline = "30s"';
    const dir = stackProject('canary', { 'web.nomad.hcl': service('web', 'exec sleep 3600', update) });
    expect((await runCli(['apply', dir, '--auto-approve', '--watch', 'blocking'], env)).code).toBe(0);
    writeFileSync(join(dir, 'web.nomad.hcl'), service('web', 'exec sleep 3601', update));
    const waiting = await runCli(['apply', dir, '--auto-approve', '--watch', 'blocking'], env);
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toMatch(/web +update +promotion-ready +1 /);
    writeFileSync(join(dir, 'web.nomad.hcl'), service('web', 'exec sleep 3602', update));
    const promoted = await runCli(['apply', dir, '--auto-approve', '--auto-promote'], env);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(/web +update +succeeded +2 /);
  });

  it('explains a crashing version that Nomad reverts, with its exit code and stderr, and exits 1', async () => {
    const update =
      '      auto_revert       = true\n      min_healthy_time  = "1s"\n      healthy_deadline  = "5s"\n      progress_deadline = "10s"';
    const dir = stackProject('crash', { 'api.nomad.hcl': service('api', 'exec sleep 3600', update) });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    writeFileSync(
      join(dir, 'api.nomad.hcl'),
      service('api', 'echo "panic: cannot reach redis" >&2; exit 3', update),
    );
    const result = await runCli(['apply', dir, '--auto-approve'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/api +update +failed /);
    expect(result.stdout).toContain('panic: cannot reach redis');
    expect(result.stdout).toMatch(/exit(ed with)? code 3/);
    const live = await agent.api<{
      Version: number;
      TaskGroups: Array<{ Tasks: Array<{ Config: { args: string[] } }> }>;
    }>('GET', '/v1/job/api');
    // auto_revert registered the last stable spec again as a new version.
    expect(live.TaskGroups[0]!.Tasks[0]!.Config.args[1]).toBe('exec sleep 3600');
  });

  it('stops waiting on Ctrl-C with exit 130 while Nomad carries on', async () => {
    const update = '      min_healthy_time = "2m"\n      healthy_deadline = "5m"';
    const dir = stackProject('slow', { 'slow.nomad.hcl': service('slow', 'exec sleep 3600', update) });
    const result = await runCli(['apply', dir, '--auto-approve'], env, /slow: deployment \w+ running/);
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/slow +create +cancelled /);
    expect((await agent.api<{ Status: string }>('GET', '/v1/job/slow')).Status).toBe('running');
  });

  it("prints a task's log, and follows it with -f until Ctrl-C", async () => {
    const update = '      min_healthy_time = "1s"';
    const dir = stackProject('logs', {
      'talk.nomad.hcl': service(
        'talk',
        'echo "hello from drover"; while true; do sleep 0.3; echo tick; done',
        update,
      ),
    });
    expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
    const logs = await runCli(['logs', 'talk', '--tail', '1'], env);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/^(tick|hello from drover)\n$/);
    const followed = await runCli(['logs', 'talk', '-f'], env, /(tick\n){3}/);
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(/^hello from drover\n(tick\n){3,}/);
    expect(followed.stderr).toBe('');
  });

  it.each([
    { label: 'with --purge', purge: ['--purge'] },
    { label: 'without --purge', purge: [] },
  ])(
    'destroy $label waits for tasks that ignore their kill signal until the kill timeout ends them',
    async ({ purge }) => {
      const marker = `drover-stubborn-${process.pid}-${purge.length}`;
      const stubborn = service(
        'stubborn',
        `trap "" INT TERM; while true; do sleep 1; done # ${marker}`,
        '      min_healthy_time = "1s"',
      ).replace('      driver = "raw_exec"', '      driver       = "raw_exec"\n      kill_timeout = "4s"');
      const dir = stackProject(`stubborn${purge.length}`, { 'stubborn.nomad.hcl': stubborn });
      expect((await runCli(['apply', dir, '--auto-approve'], env)).code).toBe(0);
      const running = () => spawnSync('pgrep', ['-f', marker]).status === 0;
      expect(running()).toBe(true);
      const started = performance.now();
      const destroyed = await runCli(['destroy', dir, '--auto-approve', ...purge], env);
      expect(destroyed.stdout).toMatch(/Destroy complete: 1 succeeded\.\n$/);
      expect(destroyed.code).toBe(0);
      expect(performance.now() - started).toBeGreaterThan(3500);
      expect(running()).toBe(false);
      const job = await agent.api<{ Stop: boolean } | null>('GET', '/v1/job/stubborn').catch(() => null);
      expect(job === null ? 'purged' : job.Stop ? 'stopped' : 'running').toBe(
        purge.length ? 'purged' : 'stopped',
      );
      if (!purge.length) await agent.api('DELETE', '/v1/job/stubborn?purge=true');
    },
    60_000,
  );
});
