import { existsSync } from 'node:fs';
import { descendants, mountsBelow, startNomadAgent, type NomadAgent } from './agent.js';

const sleeping = (id: string) => ({
  Job: {
    ID: id,
    Name: id,
    Type: 'service',
    Datacenters: ['*'],
    TaskGroups: [
      {
        Name: 'g',
        Count: 3,
        Tasks: [
          {
            Name: 't',
            Driver: 'raw_exec',
            Config: { command: '/bin/sleep', args: ['3600'] },
            Resources: { CPU: 20, MemoryMB: 32 },
          },
        ],
      },
    ],
  },
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The harness itself: an agent stopped in the middle of things leaves nothing behind for the next run. */
describe('a real agent, stopped', () => {
  let agent: NomadAgent;
  beforeAll(async () => {
    agent = await startNomadAgent();
  }, 120_000);
  afterAll(() => agent?.stop());

  it('leaves no process, no mount and no directory, even while it was placing allocations', async () => {
    await agent.api('PUT', '/v1/jobs', sleeping('busy'));
    for (let running = 0; running < 3;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const allocs = await agent.api<Array<{ ClientStatus: string }>>('GET', '/v1/job/busy/allocations');
      running = allocs.filter((a) => a.ClientStatus === 'running').length;
    }
    const started = descendants(agent.pid);
    expect(started.length).toBeGreaterThan(3);
    // As root, each allocation's secrets and private directories are tmpfs mounts.
    if (process.getuid?.() === 0) expect(mountsBelow(agent.dir).length).toBeGreaterThanOrEqual(6);
    await agent.api('PUT', '/v1/jobs', sleeping('late'));
    await agent.stop();
    expect({
      running: [agent.pid, ...started].filter(alive),
      mounts: mountsBelow(agent.dir),
      dir: existsSync(agent.dir),
    }).toEqual({ running: [], mounts: [], dir: false });
  }, 120_000);
});
