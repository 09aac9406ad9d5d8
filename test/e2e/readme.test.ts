import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, ROOT, startSimulatorProcess } from '../support/cli.js';
import { DOCUMENTED_ADDRESS } from '../support/transcript-runner.js';

/**
 * Every drover command in the README's shell blocks, run as written (through a pseudo-terminal, answering "y"
 * when asked), against the simulator. `npm` lines are not run here: `npm test` is what runs this, and the demo
 * has its own test. The README's `console` blocks are run with every page's (docs.test.ts).
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim().split('\n'));

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

describe('the README', () => {
  it('fits in a sitting: under 16 KB, the reference being in docs/', () => {
    expect(Buffer.byteLength(README)).toBeLessThan(16 * 1024);
  });

  it('names no path outside the repository, not even in code', () => {
    expect([...README.matchAll(/\.\.\/[\w./-]+/g)].map((m) => m[0])).toEqual([]);
  });
});
