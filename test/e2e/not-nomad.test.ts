import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startSimulatorProcess } from '../support/cli.js';

const JOB =
  'job "web" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config {\n        image = "nginx:1"\n      }\n    }\n  }\n}\n';

function jobDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-not-nomad-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'web.nomad.hcl'), JOB);
  return dir;
}

async function listening(server: Server | ReturnType<typeof createTcpServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('when the address is not a Nomad that answers', () => {
  it('says a web server is not Nomad, instead of "job not found"', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><body>Not Found</body></html>');
    });
    const host = await listening(server);
    try {
      const result = await runCli(['plan', jobDir(), '--stack', 's'], { NOMAD_ADDR: `http://${host}` });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `Error: the server at http://${host} (from NOMAD_ADDR) does not answer like Nomad: GET /v1/var/drover/stacks/s/inventory got HTTP 404 with an HTML page`,
      );
    } finally {
      server.close();
    }
  });

  it('says so in plain words when https:// meets a plain-HTTP server', async () => {
    const sim = await startSimulatorProcess();
    try {
      const result = await runCli(['ping'], { NOMAD_ADDR: sim.address.replace('http://', 'https://') });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('TLS failure: the server does not speak TLS');
      expect(result.stderr).toContain(
        'Hint: It answers plain HTTP: use http:// instead of https:// in NOMAD_ADDR',
      );
      expect(result.stderr).not.toMatch(/ssl3_get_record|openssl/i);
    } finally {
      await sim.stop();
    }
  });

  it('fails at plan time, on either diff source, when the namespace does not exist', async () => {
    const sim = await startSimulatorProcess();
    try {
      for (const flags of [[], ['--read-only']]) {
        const result = await runCli(['plan', jobDir(), '--stack', 's', ...flags], {
          NOMAD_ADDR: sim.address,
          NOMAD_NAMESPACE: 'nope',
        });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`Error: namespace "nope" does not exist in Nomad at ${sim.address}`);
      }
    } finally {
      await sim.stop();
    }
  });

  it('gives up on a server that never answers within --timeout', async () => {
    const silent = createTcpServer(() => {});
    const host = await listening(silent);
    try {
      const result = await runCli(['plan', jobDir(), '--stack', 's', '--timeout', '2s'], {
        NOMAD_ADDR: `http://${host}`,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Error: Nomad at http://${host} did not answer the plan within 2s`);
      // apply asks for the stack's lock beside its plan: that request no longer holds the run for a minute.
      const applied = await runCli(['apply', jobDir(), '--stack', 's', '--timeout', '2s', '--auto-approve'], {
        NOMAD_ADDR: `http://${host}`,
      });
      expect(applied.code).toBe(1);
      expect(applied.stderr).toContain(`did not answer the plan within 2s; nothing was changed`);
    } finally {
      silent.close();
    }
  }, 20_000);
});
