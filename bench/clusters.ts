/**
 * One project over three clusters (three simulator processes, ACLs on, a token each, latency added to every
 * request, prod-eu the slowest) against each cluster alone, through the built CLI as a user runs it. Plan: the
 * three at once against the slowest alone (goal ≤ 1.2×), with the clusters near (10–20 ms) and across regions
 * (40–80 ms). Apply of a change to every job, staging first, then both prods together: against the `after`
 * chain's rollouts alone (staging, then the slower prod), not the sum of all three. Five plan runs each,
 * alternated; three applies.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startAclSimulatorProcess } from '../test/support/cli.js';
import { sized } from './size.js';

const JOBS = sized(50, 3);
const RUNS = sized(5, 1);
const APPLIES = sized(3, 1);
const CLUSTERS = ['staging', 'prod-eu', 'prod-us'] as const;
/** Added to every request: clusters in one data centre, then clusters across regions (prod-eu the slowest). */
const SETTINGS = [
  { name: 'near', latencyMs: { staging: 10, 'prod-eu': 20, 'prod-us': 10 } },
  { name: 'across regions', latencyMs: { staging: 40, 'prod-eu': 80, 'prod-us': 60 } },
] as const;

/** One of a cluster's jobs; `release` changes its args, so that every job has a diff (bench/simulator-cpu.ts too). */
export const jobFile = (i: number, release: number) => `job "svc-${String(i).padStart(3, '0')}" {
  group "web" {
    count = 2
    update {
      min_healthy_time = "1s"
    }
    task "app" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["${3600 + release}"]
      }
    }
  }
}
`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function benchClusters(): Promise<void> {
  const sims = await Promise.all(CLUSTERS.map(() => startAclSimulatorProcess(['--speed', '20'])));
  const dir = mkdtempSync(join(tmpdir(), 'drover-bench-clusters-'));
  try {
    const env: Record<string, string> = {};
    const blocks: string[] = [];
    for (const [i, name] of CLUSTERS.entries()) {
      const sim = sims[i]!;
      const variable = `NOMAD_TOKEN_${name.replace('-', '_').toUpperCase()}`;
      env[variable] = sim.token;
      blocks.push(
        `cluster "${name}" {\n  address   = "${sim.address}"\n  token_env = "${variable}"\n${name === 'staging' ? '' : '  after     = ["staging"]\n'}}\n`,
      );
    }
    writeFileSync(
      join(dir, 'drover.hcl'),
      `stack = "bench"\njobs = ["jobs/*.nomad.hcl"]\n\n${blocks.join('\n')}`,
    );
    mkdirSync(join(dir, 'jobs'));
    let release = 0;
    const write = () => {
      release++;
      for (let i = 0; i < JOBS; i++)
        writeFileSync(join(dir, 'jobs', `svc-${i}.nomad.hcl`), jobFile(i, release));
    };
    write();
    const drover = async (args: string[]) => {
      const started = performance.now();
      const result = await runCli(args, env, undefined, dir);
      if (result.code !== 0 && result.code !== 2)
        throw new Error(`drover ${args.join(' ')}: ${result.stdout}${result.stderr}`);
      return performance.now() - started;
    };
    const first = await drover(['apply', '--auto-approve', '--compact']);
    const latency = async (setting: (typeof SETTINGS)[number]) => {
      for (const [i, name] of CLUSTERS.entries()) {
        await fetch(`${sims[i]!.address}/__sim/clear-faults`, { method: 'POST', body: '{}' });
        await fetch(`${sims[i]!.address}/__sim/fault`, {
          method: 'POST',
          body: JSON.stringify({ kind: 'latency', latencyMs: setting.latencyMs[name] }),
        });
      }
    };
    write();
    await drover(['plan']); // warms the files' cache
    console.log(
      `clusters: ${JOBS} jobs in each of ${CLUSTERS.length} clusters, the built CLI, ${RUNS} run${RUNS === 1 ? '' : 's'} each`,
    );
    for (const setting of SETTINGS) {
      await latency(setting);
      const all: number[] = [];
      const alone: Record<string, number[]> = Object.fromEntries(CLUSTERS.map((c) => [c, []]));
      for (let r = 0; r < RUNS; r++) {
        all.push(await drover(['plan']));
        for (const name of CLUSTERS) alone[name]!.push(await drover(['plan', '--cluster', name]));
      }
      const slowest = Math.max(...CLUSTERS.map((c) => median(alone[c]!)));
      const ratio = median(all) / slowest;
      const each = CLUSTERS.map((c) => `${c} ${seconds(median(alone[c]!))}`).join(', ');
      console.log(
        `  plan, ${setting.name} (${CLUSTERS.map((c) => setting.latencyMs[c]).join('/')} ms per request): all three ${seconds(median(all))}; alone ${each}; ${ratio.toFixed(2)}× the slowest (goal ≤ 1.2×: ${ratio <= 1.2 ? 'met' : 'NOT met'})`,
      );
    }
    await latency(SETTINGS[0]);
    const applies: number[] = [];
    const chains: number[] = [];
    const sums: number[] = [];
    for (let r = 0; r < APPLIES; r++) {
      write();
      applies.push(await drover(['apply', '--auto-approve', '--compact']));
      write();
      const each = Object.fromEntries(
        await CLUSTERS.reduce<Promise<Array<[string, number]>>>(
          async (done, name) => [
            ...(await done),
            [name, await drover(['apply', '--auto-approve', '--compact', '--cluster', name])],
          ],
          Promise.resolve([]),
        ),
      );
      chains.push(each.staging! + Math.max(each['prod-eu']!, each['prod-us']!));
      sums.push(CLUSTERS.reduce((total, name) => total + each[name]!, 0));
    }
    console.log(
      `  apply, all three (staging, then both prods): median ${seconds(median(applies))} (first apply of the ${JOBS * 3} jobs: ${seconds(first)})`,
    );
    console.log(
      `  the after chain alone (staging + slower prod): median ${seconds(median(chains))}; every cluster one after another: ${seconds(median(sums))}`,
    );
    console.log(
      `  apply of all three / the chain: ${(median(applies) / median(chains)).toFixed(2)}×, / all three in turn: ${(median(applies) / median(sums)).toFixed(2)}×`,
    );
  } finally {
    await Promise.all(sims.map((sim) => sim.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
