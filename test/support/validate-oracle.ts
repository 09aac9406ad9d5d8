/**
 * `nomad job validate` without an agent (Nomad's CLI then runs Job.Validate itself) as an oracle: whether it
 * accepts a file, and the messages of the rules it breaks, unwrapped from Nomad's nested error lists.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NomadVerdict {
  readonly valid: boolean;
  /** Job.Validate's messages, without the "Task group g validation failed" wrappers; empty for a parse error. */
  readonly messages: readonly string[];
  /** Set when jobspec2 refused the file before validation. */
  readonly parseError?: string;
}

const WRAPPER =
  /^(\d+ errors? occurred:|.* validation failed: \d+ errors? occurred:|.*: \d+ errors? occurred:)$/;

export function leafMessages(output: string): string[] {
  const start = output.indexOf('Job validation errors:');
  if (start < 0) return [];
  return output
    .slice(start)
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .filter((line) => line !== '' && line !== 'Job validation errors:' && !WRAPPER.test(line))
    .map((line) => line.replace(/^.* validation failed: (?!\d+ errors? occurred)/, ''));
}

export async function nomadValidate(binary: string, source: string): Promise<NomadVerdict> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-validate-'));
  const file = join(dir, 'job.nomad.hcl');
  try {
    await writeFile(file, source);
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        binary,
        ['job', 'validate', '-address=http://127.0.0.1:1', file],
        { timeout: 30_000, env: { PATH: process.env.PATH } },
        (error, stdout, stderr) =>
          resolve({
            code: error ? ((error.code as number | undefined) ?? 1) : 0,
            output: `${stdout}${stderr}`,
          }),
      );
    });
    if (code === 0) return { valid: true, messages: [] };
    const parse = /Error getting job struct: ([\s\S]*)$/.exec(output);
    if (parse) return { valid: false, messages: [], parseError: parse[1]!.trim() };
    return { valid: false, messages: leafMessages(output) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `task` over `items`, `limit` at a time, keeping the order of the results. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
