/**
 * The simulator's own CPU for one `drover plan` of 50 jobs (a GET and a plan per job, plus the stack's reads), as
 * bench/clusters.ts runs it: its own process, ACLs on, 10 ms of latency per request, every job changed.
 * Read from the simulator (all its threads: the JIT and GC helpers too) before and after each plan. The simulator
 * shares the machine with drover in every e2e test and benchmark; what it spends, drover does not get.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../test/support/cli.js';
import { jobFile } from './clusters.js';
import { sized } from './size.js';

const JOBS = sized(50, 3);
const PLANS = sized(20, 2);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchSimulatorCpu(): Promise<void> {
  const sim = await startSimulatorProcess(['--speed', '20']);
  const dir = mkdtempSync(join(tmpdir(), 'drover-bench-simulator-'));
  const control = async <T>(action: string, body: unknown = {}) =>
    (await (
      await fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) })
    ).json()) as T;
  const cpuMs = async () => {
    const { userMicros, systemMicros } = await control<{ userMicros: number; systemMicros: number }>('cpu');
    return (userMicros + systemMicros) / 1000;
  };
  const requests = async () => (await control<{ count: number }>('requests')).count;
  try {
    const env = {
      NOMAD_ADDR: sim.address,
      NOMAD_TOKEN: (await control<{ SecretID: string }>('acl')).SecretID,
    };
    writeFileSync(join(dir, 'drover.hcl'), 'stack = "bench"\njobs = ["jobs/*.nomad.hcl"]\n');
    mkdirSync(join(dir, 'jobs'));
    const write = (release: number) => {
      for (let i = 0; i < JOBS; i++)
        writeFileSync(join(dir, 'jobs', `svc-${i}.nomad.hcl`), jobFile(i, release));
    };
    const drover = async (args: string[]) => {
      const result = await runCli(args, env, undefined, dir);
      if (result.code !== 0 && result.code !== 2)
        throw new Error(`drover ${args.join(' ')}: ${result.stdout}${result.stderr}`);
    };
    write(1);
    await drover(['apply', '--auto-approve', '--compact']);
    write(2);
    await control('fault', { kind: 'latency', latencyMs: 10 });
    await drover(['plan']);
    const costs: number[] = [];
    const before = await requests();
    for (let r = 0; r < PLANS; r++) {
      const started = await cpuMs();
      await drover(['plan']);
      costs.push((await cpuMs()) - started);
    }
    const perPlan = ((await requests()) - before) / PLANS;
    console.log(
      `simulator CPU per plan of ${JOBS} changed jobs (${perPlan} requests, ${PLANS} plans): median ${median(costs).toFixed(1)} ms, first ${costs[0]!.toFixed(1)} ms, last ${costs.at(-1)!.toFixed(1)} ms`,
    );
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
