/**
 * A real `nomad agent -dev` for the integration suite: on 127.0.0.1 with free ports, raw_exec enabled, the cloud
 * fingerprinters denied and update checks off; ACLs on unless a test asks otherwise, as on production clusters
 * (bootstrapped, management token returned). Found through NOMAD_BIN or `nomad` on PATH. Stopping it leaves
 * nothing behind: the agent (which, in -dev mode, destroys its allocations first) and any process it started,
 * then the mounts its client made for allocations (as root), then its directory. Every agent a test file starts
 * is stopped when the file ends, even one its test never got hold of (a start that outlived its hook, the other
 * half of a Promise.all that failed).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long an agent may take to stop on SIGINT: its allocations' tasks get their kill_timeout (≤ 30 s here). */
const STOP_MS = 60_000;

const running = new Set<() => Promise<void>>();
afterAll(() => Promise.all([...running].map((stop) => stop())));

export function nomadBinary(): string | undefined {
  if (process.env.NOMAD_BIN) return process.env.NOMAD_BIN;
  const found = spawnSync('/bin/sh', ['-c', 'command -v nomad'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface NomadAgent {
  readonly address: string;
  /** Its directory (configuration, data, allocations) and its process, for tests of the harness itself. */
  readonly dir: string;
  readonly pid: number;
  readonly version: string;
  /** Its serf port, where another region's servers join it. */
  readonly serfPort: number;
  /** The bootstrap (management) token when ACLs are on. */
  readonly managementToken?: string;
  /** The environment drover needs to reach this agent: its address, and the management token when ACLs are on. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * A request to the agent's HTTP API, as a test's own arrangement (never through drover), with the management
   * token unless another is given.
   */
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
  stop(): Promise<void>;
}

type AgentOptions = {
  acl?: boolean;
  eventBroker?: boolean;
  /** Its own region (default Nomad's "global"), as a cluster of another region has. */
  region?: string;
  /** The region whose servers hold the ACL objects, namespaces and node pools a federation replicates. */
  authoritativeRegion?: string;
  /**
   * Federates this agent with that one (its authoritative region): it replicates with that agent's management
   * token, bootstraps nothing itself, and joins that agent over serf once it answers.
   */
  federateWith?: NomadAgent;
};

/** An agent on ports free a moment ago: taken since (another agent on this machine), it starts again on others. */
export async function startNomadAgent(options: AgentOptions = {}): Promise<NomadAgent> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt === 3 || !/address already in use/.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce(options: AgentOptions): Promise<NomadAgent> {
  const acl = options.acl ?? true;
  const binary = nomadBinary();
  if (!binary) throw new Error('no nomad binary: set NOMAD_BIN or put nomad on PATH');
  const dir = mkdtempSync(join(tmpdir(), 'drover-nomad-'));
  const [http, rpc, serf] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'agent.hcl'),
    `disable_update_check = true
bind_addr = "127.0.0.1"
data_dir = "${dir}/data"
${options.region ? `region = "${options.region}"\n` : ''}ports {
  http = ${http}
  rpc  = ${rpc}
  serf = ${serf}
}
acl {
  enabled = ${acl}
${options.federateWith ? `  replication_token = "${options.federateWith.managementToken}"\n` : ''}}
server {
  enable_event_broker = ${options.eventBroker === false ? 'false' : 'true'}
${options.authoritativeRegion ? `  authoritative_region = "${options.authoritativeRegion}"\n` : ''}}
client {
  options = {
    "fingerprint.denylist" = "env_aws,env_gce,env_azure,env_digitalocean"
  }
}
plugin "raw_exec" {
  config {
    enabled = true
  }
}
`,
  );
  const child: ChildProcess = spawn(binary, ['agent', '-dev', `-config=${join(dir, 'agent.hcl')}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr = (stderr + c).slice(-20_000)));
  const address = `http://127.0.0.1:${http}`;
  let managementToken: string | undefined = options.federateWith?.managementToken;
  let joined = options.federateWith === undefined;
  const api = async <T>(
    method: string,
    path: string,
    body?: unknown,
    token = managementToken,
  ): Promise<T> => {
    const response = await fetch(`${address}${path}`, {
      method,
      headers: token ? { 'X-Nomad-Token': token } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await stopProcess(child);
      unmountBelow(dir);
      // A directory whose mount went only now may answer EBUSY for a moment.
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      running.delete(stop);
    })();
    return stopping;
  };
  running.add(stop);
  try {
    for (let tries = 0; ; tries++) {
      if (child.exitCode !== null) throw new Error(`nomad agent exited: ${stderr.slice(-2000)}`);
      try {
        if (!joined) {
          // Before replication this agent knows no token: the join goes anonymously, as `nomad server join` does.
          await api(
            'PUT',
            `/v1/agent/join?address=127.0.0.1:${options.federateWith!.serfPort}`,
            undefined,
            '',
          );
          joined = true;
        }
        if (acl && !managementToken)
          managementToken = (await api<{ SecretID: string }>('POST', '/v1/acl/bootstrap')).SecretID;
        const nodes = await api<Array<{ Status: string }>>('GET', '/v1/nodes', undefined, managementToken);
        if (nodes.some((n) => n.Status === 'ready')) break;
      } catch (error) {
        // A federated region answers with its token once ACL replication has caught up after the join.
        if (tries > (options.federateWith ? 480 : 120)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const self = await api<{ config: { DataDir: string; Version: { Version: string } } }>(
      'GET',
      '/v1/agent/self',
      undefined,
      managementToken,
    );
    if (self.config.DataDir !== `${dir}/data`)
      throw new Error(`${address}: address already in use by the agent of ${self.config.DataDir}`);
    const env = { NOMAD_ADDR: address, ...(managementToken ? { NOMAD_TOKEN: managementToken } : {}) };
    return {
      address,
      dir,
      pid: child.pid!,
      version: self.config.Version.Version,
      serfPort: serf,
      managementToken,
      env,
      api,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * SIGINT, and the agent's exit once it has destroyed its allocations (-dev mode does on shutdown). One that
 * takes longer is killed, with the executors and tasks it started, so that nothing of it runs on.
 */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, STOP_MS, 'late')));
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome !== 'late') return;
  process.stderr.write(`nomad agent ${child.pid} still running ${STOP_MS / 1000} s after SIGINT: killed\n`);
  const started = descendants(child.pid!);
  child.kill('SIGKILL');
  await exited;
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** The processes below `pid` (its children, theirs, …), from /proc. */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // The fields after the command name, which may hold spaces and parentheses: state, then the parent's pid.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Ended while being read.
    }
  }
  const found: number[] = [];
  for (let at = [pid]; at.length > 0;) {
    at = [...parents].filter(([, parent]) => at.includes(parent)).map(([child]) => child);
    found.push(...at);
  }
  return found;
}

/** The mount points below `dir`, deepest first (as /proc/self/mounts escapes them: space, tab, newline, \\). */
export function mountsBelow(dir: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) =>
      line
        .split(' ')[1]
        ?.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))),
    )
    .filter((path): path is string => path !== undefined && path.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * Run as root, the agent's client mounts each allocation's secrets and private directories (tmpfs); it unmounts
 * them when it destroys the allocation, but one it was still setting up as it stopped keeps them. Those are
 * unmounted here (detached if busy) so the directory can go; any that stay are an error, not a leak.
 */
function unmountBelow(dir: string): void {
  for (const path of mountsBelow(dir))
    if (spawnSync('umount', [path]).status !== 0) spawnSync('umount', ['-l', path]);
  const left = mountsBelow(dir);
  if (left.length > 0)
    throw new Error(`mounts left below ${dir} (unmounting needs root): ${left.join(', ')}`);
}
