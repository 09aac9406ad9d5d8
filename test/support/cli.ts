import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = join(import.meta.dirname, '../..');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * This process's environment without what would steer drover: NOMAD_*, DROVER_LOG, jest's NODE_OPTIONS and
 * NODE_ENV=test (with which oclif looks for TypeScript sources, as a user's run never does).
 */
export function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('NOMAD_') && !['DROVER_LOG', 'NODE_OPTIONS', 'NODE_ENV'].includes(k),
    ),
  );
}

/**
 * Runs the built CLI (bin/run.cjs) as a user would, with a clean NOMAD_* environment plus `env`; with
 * `interruptWhen`, presses Ctrl-C (SIGINT, or `signal`) once stdout matches it.
 */
export async function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  interruptWhen?: RegExp,
  cwd = ROOT,
  signal: NodeJS.Signals = 'SIGINT',
  /** What drover reads on its standard input (closed after it). */
  input?: string,
): Promise<CliResult> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/run.cjs'), ...args], {
    env: { ...cleanEnv(), ...env },
    cwd,
  });
  if (input !== undefined) child.stdin.end(input);
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  child.stdout.on('data', (c) => {
    stdout += c;
    if (interruptWhen && !interrupted && interruptWhen.test(stdout)) interrupted = child.kill(signal);
  });
  child.stderr.on('data', (c) => (stderr += c));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

export type AclSimulator = Awaited<ReturnType<typeof startSimulatorProcess>> & { readonly token: string };

/** The simulator with ACLs on, as production runs Nomad, and its management token. */
export async function startAclSimulatorProcess(args: readonly string[] = []): Promise<AclSimulator> {
  const sim = await startSimulatorProcess(args);
  const response = await fetch(`${sim.address}/__sim/acl`, { method: 'POST', body: '{}' });
  return { ...sim, token: ((await response.json()) as { SecretID: string }).SecretID };
}

/** The simulator as its own process (test/simulator/main.ts through tsx), as e2e tests and the demo run it. */
export async function startSimulatorProcess(
  args: readonly string[] = [],
): Promise<{ address: string; process: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/simulator/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  const address = first.replace(/^NOMAD_ADDR=/, '');
  return {
    address,
    process: child,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'close');
    },
  };
}
