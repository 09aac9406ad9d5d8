/**
 * Planning a stack of 200 jobs beside 50 objects of the other kinds (10 namespaces, node pools, ACL policies, ACL
 * roles and Nomad Variables) against the same 200 jobs alone, as `drover plan` plans a project (its files read,
 * the stack's inventory, the notes beside the changes), on the simulator (its own process, ACLs on, a management
 * token) with 10 ms of latency added to every request. A fifth of the jobs and of the objects change. Five runs of
 * each, alternated; the stack's inventory lists the objects only for the runs that declare them. Goal: ≤ 1.2×.
 * Also the requests of one run, by what they ask for.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planJobs } from '../src/actions/plan-jobs.js';
import { NomadClient } from '../src/nomad/client.js';
import type { Job } from '../src/nomad/types.js';
import { stamp } from '../src/plan/ownership.js';
import { loadJob } from '../src/source/load-job.js';
import { runCli, startSimulatorProcess } from '../test/support/cli.js';
import { sized } from './size.js';

const JOBS = sized(200, 10);
const EACH = sized(10, 2);
const RUNS = sized(5, 1);

const two = (i: number) => String(i).padStart(2, '0');
const jobId = (i: number) => `svc-${String(i).padStart(3, '0')}`;
const jobFile = (i: number, image: string) => `job "${jobId(i)}" {
  group "web" {
    count = 2
    task "app" {
      driver = "docker"
      config {
        image = "${image}"
      }
      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
`;

/** The estate as applied (`changed` false) or as the project now declares it: a fifth of each kind edited. */
function estate(changed: boolean): string {
  const version = (i: number) => (changed && i % 5 === 0 ? 'v2' : 'v1');
  return Array.from(
    { length: EACH },
    (_, i) => `namespace "ns-${two(i)}" {
  description = "Team ${i}, ${version(i)}"
}

node_pool "pool-${two(i)}" {
  description = "Pool ${i}, ${version(i)}"
}

acl_policy "policy-${two(i)}" {
  description = "Deploys team ${i}, ${version(i)}"
  rules       = <<-EOT
    namespace "ns-${two(i)}" {
      policy = "write"
    }
  EOT
}

acl_role "role-${two(i)}" {
  description = "Pipelines of team ${i}, ${version(i)}"
  policies    = ["policy-${two(i)}"]
}

nomad_variable "nomad/jobs/app-${two(i)}" {
  namespace = "ns-${two(i)}"
  items = {
    release = "${version(i)}"
  }
}
`,
  ).join('\n');
}

function project(name: string, drover: string, jobs: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), `drover-bench-estate-${name}-`));
  writeFileSync(
    join(dir, 'drover.hcl'),
    `stack = "bench"\n${jobs ? 'jobs = ["jobs/*.nomad.hcl"]\n' : ''}${drover}`,
  );
  if (jobs) {
    mkdirSync(join(dir, 'jobs'));
    for (let i = 0; i < JOBS; i++)
      writeFileSync(
        join(dir, 'jobs', `${jobId(i)}.nomad.hcl`),
        jobFile(i, i % 5 === 0 ? 'example/app:2.0' : 'example/app:1.0'),
      );
  }
  return dir;
}

/** What a request asks for, by the kind of object it reads. */
function topic(request: string): string {
  const path = request.split(' ')[1] ?? '';
  if (path.startsWith('/v1/var/drover/stacks/') || path.startsWith('/v1/vars?prefix=drover'))
    return 'stack (lock, history, inventory)';
  for (const [prefix, name] of [
    ['/v1/job', 'jobs'],
    ['/v1/namespace', 'namespaces'],
    ['/v1/node/pool', 'node pools'],
    ['/v1/acl/polic', 'ACL policies'],
    ['/v1/acl/role', 'ACL roles'],
    ['/v1/acl/token', 'ACL token'],
    ['/v1/var', 'variables'],
    ['/v1/deployment', 'deployments'],
  ] as const)
    if (path.startsWith(prefix)) return name;
  return path;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchEstate(): Promise<void> {
  const sim = await startSimulatorProcess();
  const control = async (action: string, body: unknown = {}) =>
    (await fetch(`${sim.address}/__sim/${action}`, { method: 'POST', body: JSON.stringify(body) })).json();
  const { SecretID: token } = (await control('acl')) as { SecretID: string };
  const client = new NomadClient({ address: sim.address, token, connections: 64 });
  const dirs: string[] = [];
  try {
    for (let i = 0; i < JOBS; i++) {
      const { job } = loadJob(`${jobId(i)}.nomad.hcl`, jobFile(i, 'example/app:1.0'));
      await client.jobs.register({ Job: stamp(job as Job, 'drover.stack', 'bench') });
    }
    const env = { NOMAD_ADDR: sim.address, NOMAD_TOKEN: token };
    const applied = project('applied', estate(false), false);
    dirs.push(applied);
    const setUp = await runCli(['apply', applied, '--auto-approve'], env);
    if (setUp.code !== 0) throw new Error(`the estate was not applied:\n${setUp.stdout}${setUp.stderr}`);
    const inventoryPath = '/v1/var/drover/stacks/bench/inventory?namespace=default';
    const inventory = (await (
      await fetch(`${sim.address}${inventoryPath}`, { headers: { 'X-Nomad-Token': token } })
    ).json()) as {
      Items: Record<string, string>;
    };
    const withEstate = project('estate', estate(true), true);
    const jobsAlone = project('jobs', '', true);
    dirs.push(withEstate, jobsAlone);
    await control('fault', { kind: 'latency', latencyMs: 10 });

    const requests = async () => ((await control('requests')) as { requests: string[] }).requests;
    const run = async (dir: string, listed: boolean) => {
      // The stack owns the objects only while it declares them (written outside the timing, without latency).
      await fetch(`${sim.address}${inventoryPath}`, {
        method: listed ? 'PUT' : 'DELETE',
        headers: { 'X-Nomad-Token': token },
        ...(listed ? { body: JSON.stringify({ Items: inventory.Items }) } : {}),
      });
      const before = (await requests()).length;
      const started = performance.now();
      const { plan } = await planJobs({
        paths: [dir],
        cwd: dir,
        env,
        connect: () => client,
        notes: true,
      });
      const ms = performance.now() - started;
      const asked = (await requests()).slice(before);
      const changes = plan.changes.filter((c) => c.action !== 'noop').length;
      return { ms, asked, changes };
    };
    const alone: Awaited<ReturnType<typeof run>>[] = [];
    const beside: Awaited<ReturnType<typeof run>>[] = [];
    await run(jobsAlone, false); // warms up the parser and the connections
    for (let i = 0; i < RUNS; i++) {
      alone.push(await run(jobsAlone, false));
      beside.push(await run(withEstate, true));
    }
    const seconds = (runs: { ms: number }[]) => {
      const all = runs.map((r) => r.ms / 1000);
      return `median ${median(all).toFixed(2)} s, ${Math.min(...all).toFixed(2)}–${Math.max(...all).toFixed(2)} s (${all.map((t) => t.toFixed(2)).join(', ')})`;
    };
    const ratio = median(beside.map((r) => r.ms)) / median(alone.map((r) => r.ms));
    console.log(
      `plan, ${JOBS} jobs with and without ${EACH * 5} objects of the other kinds (${EACH} of each), 10 ms added latency per request, ${RUNS} run${RUNS === 1 ? '' : 's'} each`,
    );
    console.log(
      `  jobs alone:        ${seconds(alone)}, ${alone[0]!.asked.length} requests, ${alone[0]!.changes} changes`,
    );
    console.log(
      `  jobs and estate:   ${seconds(beside)}, ${beside[0]!.asked.length} requests, ${beside[0]!.changes} changes`,
    );
    console.log(
      `  ratio of medians:  ${ratio.toFixed(2)}× (goal ≤ 1.2×: ${ratio <= 1.2 ? 'met' : 'NOT met'})`,
    );
    const count = (asked: string[]) => {
      const counts = new Map<string, number>();
      for (const request of asked) counts.set(topic(request), (counts.get(topic(request)) ?? 0) + 1);
      return counts;
    };
    const [a, b] = [count(alone[0]!.asked), count(beside[0]!.asked)];
    console.log('  requests of one run, jobs alone → jobs and estate:');
    for (const name of [...new Set([...a.keys(), ...b.keys()])].sort())
      console.log(`    ${name.padEnd(34)} ${String(a.get(name) ?? 0).padStart(4)} → ${b.get(name) ?? 0}`);
  } finally {
    await client.close();
    await sim.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
