import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadJobFiles, sharedJobLoader } from '../../../src/actions/load-jobs.js';

describe('loadJobFiles, as the library runs it', () => {
  it("reads file() beside the job file from the caller's cwd, not the process's", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'drover-load-jobs-'));
    mkdirSync(join(cwd, 'jobs'));
    writeFileSync(join(cwd, 'jobs', 'motd.txt'), 'hello from jobs/');
    writeFileSync(
      join(cwd, 'jobs', 'web.nomad.hcl'),
      'job "web" {\n  meta {\n    motd = file("motd.txt")\n  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "true"\n      }\n    }\n  }\n}\n',
    );
    expect(process.cwd()).not.toBe(cwd);
    const [loaded] = loadJobFiles({ paths: ['jobs'], cwd, env: {} });
    expect(loaded!.diagnostics).toEqual([]);
    expect(loaded!.path).toBe(join('jobs', 'web.nomad.hcl'));
    expect((loaded!.job as { Meta: Record<string, string> }).Meta.motd).toBe('hello from jobs/');
  });
});

describe('sharedJobLoader, as a plan over several clusters reads the job files', () => {
  const job = (motd: string) =>
    `job "web" {\n  meta {\n    motd = "${motd}"\n  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n`;
  const motd = (jobs: ReturnType<typeof loadJobFiles>) =>
    (jobs[0]!.job as { Meta: Record<string, string> }).Meta.motd;

  it('reads the same files with the same values once, and again with other values', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'drover-shared-load-'));
    writeFileSync(join(cwd, 'web.nomad.hcl'), job('first'));
    writeFileSync(join(cwd, 'prod.vars.hcl'), '');
    const load = sharedJobLoader();
    const staging = load({ paths: ['.'], cwd, env: {} });
    writeFileSync(join(cwd, 'web.nomad.hcl'), job('second'));
    expect(load({ paths: ['.'], cwd, env: {} })).toBe(staging);
    expect(motd(staging)).toBe('first');
    const prod = load({ paths: ['.'], cwd, env: {}, varFiles: [join(cwd, 'prod.vars.hcl')] });
    expect(motd(prod)).toBe('second');
  });
});
