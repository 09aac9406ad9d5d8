import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProjectFile } from '../../src/source/project-file.js';
import { cleanEnv, ROOT, startSimulatorProcess } from '../support/cli.js';
import { matchesTranscript, scriptFor, transcriptsIn } from '../support/transcripts.js';

/**
 * Every drover command in the README's shell blocks, run as written (through a pseudo-terminal, answering "y"
 * when asked), against the simulator. `npm` lines are not run here: `npm test` is what runs this, and the demo
 * has its own test.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim().split('\n'));
const DOCUMENTED_ADDRESS = /https?:\/\/(?:127\.0\.0\.1|nomad\.example):4646/g;

function split(line: string): { command: string; comment?: string } {
  const at = line.indexOf('  #');
  return at < 0
    ? { command: line.trim() }
    : { command: line.slice(0, at).trim(), comment: line.slice(at + 3).trim() };
}

/** A comment that quotes output ("…" marks where it was cut) as a pattern: IDs and column padding vary. */
function outputPattern(comment: string, address: string): RegExp {
  const text = comment.replace(/…$/, '').trimEnd().replace(DOCUMENTED_ADDRESS, address);
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(escaped.replace(/\b[0-9a-f]{8}\b/g, '[0-9a-f]{8}').replace(/ {2,}/g, ' +'));
}

async function inTerminal(
  command: string,
  address: string,
): Promise<{ code: number | null; output: string }> {
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: { ...cleanEnv(), NOMAD_ADDR: address, CI: '' },
  });
  let output = '';
  let answered = false;
  child.stdout.on('data', (chunk) => {
    output += chunk;
    if (!answered && output.includes('[y/N]')) answered = child.stdin.write('y\n');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  // eslint-disable-next-line no-control-regex
  return { code, output: output.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '') };
}

describe('the README’s commands', () => {
  const commands = blocks
    .flat()
    .map(split)
    .filter(({ command }) => command.startsWith('node '));

  it('has the commands this test runs', () => {
    expect(commands.filter((c) => c.command.startsWith('node bin/run.cjs')).length).toBeGreaterThanOrEqual(9);
    expect(commands.some((c) => c.command.startsWith('node --import tsx test/simulator/main.ts'))).toBe(true);
  });

  it('all work as written, in order, with the output their comments quote', async () => {
    const sim = await startSimulatorProcess(['--speed', '20']);
    try {
      for (const { command, comment } of commands) {
        if (command.startsWith('node --import tsx test/simulator/main.ts')) continue; // started above on a free port
        const { code, output } = await inTerminal(command, sim.address);
        expect({ command, code }).toEqual({ command, code: 0 });
        if (comment?.endsWith('…')) expect(output).toMatch(outputPattern(comment, sim.address));
      }
    } finally {
      await sim.stop();
    }
  }, 120_000);
});

/**
 * The README's `console` blocks (`$ drover …` and the output it prints), run in README order against one
 * simulator, from a directory that holds examples/ and test/ as a clone does, with `drover` on the PATH.
 */
describe('the README', () => {
  it('stands on its own: no link or path outside the repository, and every link it makes resolves', () => {
    expect([...README.matchAll(/\]\((https?:[^)]*)\)|(\.\.\/[\w./-]+)/g)].map((m) => m[1] ?? m[2])).toEqual(
      [],
    );
    const targets = [...README.matchAll(/\]\((?!#)([^)\s]+)\)/g)].map((m) => m[1]!.split('#')[0]!);
    expect(targets.filter((target) => !existsSync(join(ROOT, target)))).toEqual([]);
  });
});

describe('the README’s transcripts', () => {
  const transcripts = transcriptsIn(README);

  it('show every drover command, and the checker refuses output that differs', () => {
    const shown = new Set(transcripts.flatMap((t) => t.commands).map((c) => /\bdrover (\w+)/.exec(c)?.[1]));
    for (const command of ['version', 'ping', 'plan', 'show', 'apply', 'destroy', 'status', 'logs'])
      expect(shown).toContain(command);
    for (const command of ['validate', 'render']) expect(shown).toContain(command);
    const block = '$ drover status\nweb  running  2  4befbba2 successful\n…\nApply complete: 1 succeeded.';
    expect(
      matchesTranscript(
        block,
        '$ drover status\nweb   running  2  0417efc0 successful\nApply complete: 1 succeeded.',
      ),
    ).toBe(true);
    expect(
      matchesTranscript(
        block,
        '$ drover status\nweb  running  3  0417efc0 successful\nApply complete: 1 succeeded.',
      ),
    ).toBe(false);
    expect(matchesTranscript(block, '$ drover status\nweb  running  2  0417efc0 successful')).toBe(false);
  });

  it('print what the README shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-readme-'));
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
    try {
      for (const transcript of transcripts) {
        for (const step of transcript.setup) {
          const answer = await fetch(`${sim.address}/__sim/${step.action}`, {
            method: 'POST',
            body: JSON.stringify(step.body),
          });
          expect(answer.status).toBe(200);
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
        const shown = transcript.expected.replace(DOCUMENTED_ADDRESS, sim.address);
        const where = `README.md line ${transcript.line}`;
        if (!matchesTranscript(shown, output)) expect({ where, output }).toEqual({ where, output: shown });
      }
    } finally {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('has a drover.hcl reference that drover reads', () => {
    const section = README.slice(README.indexOf('### drover.hcl'));
    const [hcl] = [...section.matchAll(/```hcl\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(readProjectFile(join(ROOT, 'drover.hcl'), hcl!).stack).toBe('shop');
  });
});
