import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planJobs } from '../../../src/actions/plan-jobs.js';
import type { JobRegistration } from '../../../src/kinds/job/change.js';
import type { NomadClient } from '../../../src/nomad/client.js';
import type { Job, JobSubmission } from '../../../src/nomad/types.js';
import { startSimulatedNomad } from '../../support/simulated-nomad.js';

const jobFile = (meta: string) =>
  `job "web" {\n  meta {\n${meta}  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "true"\n      }\n    }\n  }\n}\n`;

/** A Nomad that runs what `registered` planned, with its source kept, and answers nothing else. */
function nomadRunning(registered: { job: Job; submission: JobSubmission }): NomadClient {
  return {
    address: 'http://nomad.invalid:4646',
    jobs: {
      find: async () => ({ body: registered.job }),
      submission: async () => ({ body: registered.submission }),
    },
    namespaces: { exists: async () => true },
  } as unknown as NomadClient;
}

const nomadWithout = nomadRunning({ job: null as unknown as Job, submission: undefined as never });

/** Plans the directory read-only against `client`: its one change, a job's registration. */
const plan = (cwd: string, client: NomadClient) =>
  planJobs({ connect: () => client, paths: ['.'], cwd, env: {}, readOnly: true }).then(
    ({ plan }) => plan.changes[0] as JobRegistration,
  );

/** The job as Nomad keeps it once the plan of `cwd` against a Nomad without it is registered. */
async function registered(cwd: string): Promise<{ job: Job; submission: JobSubmission }> {
  const change = await plan(cwd, nomadWithout);
  return {
    job: { ...change.job!, Version: 0, JobModifyIndex: 7, Stop: false } as Job,
    submission: { ...change.submission!, Namespace: 'default', JobID: 'web', Version: 0, JobModifyIndex: 7 },
  };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A directory of its own for a test's job file. */
function directory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-plan-jobs-'));
  dirs.push(dir);
  return dir;
}

describe('a read-only plan of a job Nomad runs, against its last submission', () => {
  it('shows no change when the file is as it was registered', async () => {
    const cwd = directory();
    writeFileSync(join(cwd, 'web.nomad.hcl'), jobFile('    a = "1"\n    b = upper("x")\n'));
    const change = await plan(cwd, nomadRunning(await registered(cwd)));
    expect(change).toMatchObject({ action: 'noop', computedLocally: true });
  });

  it('shows a change of a file the job reads, though the job file itself is as it was', async () => {
    const cwd = directory();
    writeFileSync(join(cwd, 'web.nomad.hcl'), jobFile('    motd = file("motd.txt")\n'));
    writeFileSync(join(cwd, 'motd.txt'), 'old');
    const nomad = nomadRunning(await registered(cwd));
    writeFileSync(join(cwd, 'motd.txt'), 'new');
    const change = await plan(cwd, nomad);
    expect(change.action).toBe('update');
    expect(change.diff!.Fields).toEqual([
      { Type: 'Edited', Name: 'Meta[motd]', Old: 'old', New: 'new', Annotations: null },
    ]);
  });

  it('shows the new value of uuidv4(), which changes each time the file is read', async () => {
    const cwd = directory();
    writeFileSync(join(cwd, 'web.nomad.hcl'), jobFile('    run = uuidv4()\n'));
    const change = await plan(cwd, nomadRunning(await registered(cwd)));
    expect(change.action).toBe('update');
    expect(change.diff!.Fields!.map((f) => f.Name)).toEqual(['Meta[run]']);
  });
});

describe('a plan of a stack', () => {
  it("reads the stack's inventory once, for what the stack owns and for the drift notes alike", async () => {
    const env = await startSimulatedNomad();
    try {
      const cwd = directory();
      writeFileSync(join(cwd, 'drover.hcl'), 'stack = "shop"\n');
      writeFileSync(join(cwd, 'web.nomad.hcl'), jobFile('    a = "1"\n'));
      const before = env.sim.requests.length;
      const { plan } = await planJobs({
        connect: () => env.client(),
        paths: [cwd],
        cwd,
        env: {},
        notes: true,
      });
      expect(plan.changes.map((c) => `${c.action} ${c.kind}`)).toEqual(['create job']);
      const asked = env.sim.requests.slice(before);
      expect(asked.filter((r) => r === 'GET /v1/var/drover/stacks/shop/inventory')).toHaveLength(1);
    } finally {
      await env.close();
    }
  });
});
