/**
 * A real `nomad agent -dev` for the integration suite: on 127.0.0.1 with free ports, raw_exec enabled, the cloud
 * fingerprinters denied and update checks off; ACLs on unless a test asks otherwise, as on production clusters
 * (bootstrapped, management token returned). Found through NOMAD_BIN or `nomad` on PATH. Stopping it leaves
 * nothing behind: the agent, then the mounts its client made for allocations (as root), then its directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  readonly version: string;
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

export async function startNomadAgent(
  options: { acl?: boolean; eventBroker?: boolean } = {},
): Promise<NomadAgent> {
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
ports {
  http = ${http}
  rpc  = ${rpc}
  serf = ${serf}
}
acl {
  enabled = ${acl}
}
server {
  enable_event_broker = ${options.eventBroker === false ? 'false' : 'true'}
}
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
  child.stderr!.on('data', (c) => (stderr += c));
  const address = `http://127.0.0.1:${http}`;
  let managementToken: string | undefined;
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
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
    unmountBelow(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let tries = 0; ; tries++) {
      if (child.exitCode !== null) throw new Error(`nomad agent exited: ${stderr.slice(-2000)}`);
      try {
        if (acl && !managementToken)
          managementToken = (await api<{ SecretID: string }>('POST', '/v1/acl/bootstrap')).SecretID;
        const nodes = await api<Array<{ Status: string }>>('GET', '/v1/nodes', undefined, managementToken);
        if (nodes.some((n) => n.Status === 'ready')) break;
      } catch (error) {
        if (tries > 120) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const self = await api<{ config: { Version: { Version: string } } }>(
      'GET',
      '/v1/agent/self',
      undefined,
      managementToken,
    );
    const env = { NOMAD_ADDR: address, ...(managementToken ? { NOMAD_TOKEN: managementToken } : {}) };
    return { address, version: self.config.Version.Version, managementToken, env, api, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Run as root, the agent's client mounts each allocation's secrets and private directories (tmpfs) and leaves
 * them when it stops; deepest first, detached, so the directory can go.
 */
function unmountBelow(dir: string): void {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((path): path is string => path !== undefined && path.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const path of mounts) spawnSync('umount', ['-l', path]);
}
