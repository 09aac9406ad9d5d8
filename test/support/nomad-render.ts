/** `nomad job run -output` of a job file: the job JSON Nomad's own reader makes of it, or its error text. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function nomadRender(
  binary: string,
  source: string,
  name = 'job.nomad.hcl',
): { job?: unknown; output?: string; error?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drover-render-'));
  try {
    const file = join(dir, name);
    writeFileSync(file, source);
    const run = spawnSync(binary, ['job', 'run', '-output', file], { encoding: 'utf8', timeout: 30_000 });
    if (run.status !== 0) return { error: `${run.stderr}${run.stdout}`.trim() };
    return { job: (JSON.parse(run.stdout) as { Job: unknown }).Job, output: run.stdout.trimEnd() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
