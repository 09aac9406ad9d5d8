/**
 * Runs a page's `console` transcripts as a reader would: in page order, against a simulator of the page's own
 * (`--speed 20`), from a directory that holds examples/ and test/ as a clone does, with `drover` on the PATH
 * meaning the built CLI. Each block is one shell: `$?` carries from one command to the next within it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, ROOT, startSimulatorProcess } from './cli.js';
import { scriptFor, transcriptsIn, type Transcript } from './transcripts.js';

/** The addresses pages show for the simulator: each run puts its own in their place. */
export const DOCUMENTED_ADDRESS = /https?:\/\/(?:127\.0\.0\.1|nomad\.example):4646/g;

export interface TranscriptRun {
  readonly transcript: Transcript;
  /** The block's text, the simulator's address in place of the documented one. */
  readonly expected: string;
  /** What the block's commands printed, stdout and stderr together, as a terminal shows them. */
  readonly output: string;
}

export async function runTranscripts(markdown: string): Promise<TranscriptRun[]> {
  const transcripts = transcriptsIn(markdown);
  if (transcripts.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'drover-docs-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(
    join(dir, 'bin/drover'),
    `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/run.cjs')}" "$@"\n`,
  );
  chmodSync(join(dir, 'bin/drover'), 0o755);
  const work = join(dir, 'work');
  mkdirSync(work);
  symlinkSync(join(ROOT, 'examples'), join(work, 'examples'));
  symlinkSync(join(ROOT, 'test'), join(work, 'test'));
  const sim = await startSimulatorProcess(['--speed', '20']);
  const runs: TranscriptRun[] = [];
  try {
    for (const transcript of transcripts) {
      for (const step of transcript.setup) {
        const answer = await fetch(`${sim.address}/__sim/${step.action}`, {
          method: 'POST',
          body: JSON.stringify(step.body),
        });
        if (answer.status !== 200) throw new Error(`simulator ${step.action}: ${answer.status}`);
      }
      const child = spawn('sh', ['-c', scriptFor(transcript.commands)], {
        cwd: work,
        env: {
          ...cleanEnv(),
          PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
          NOMAD_ADDR: sim.address,
          CI: '',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      await once(child, 'close');
      runs.push({
        transcript,
        expected: transcript.expected.replace(DOCUMENTED_ADDRESS, sim.address),
        output,
      });
    }
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return runs;
}
