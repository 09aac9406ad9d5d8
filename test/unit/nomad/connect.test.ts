import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveTargets, type Environment, type TargetFlags } from '../../../src/config/target.js';
import { connect, connections } from '../../../src/nomad/connect.js';
import { NomadPermissionError } from '../../../src/nomad/errors.js';
import { serviceJob, startSimulatedNomad, type SimulatedNomad } from '../../support/simulated-nomad.js';

describe('connect: a client for a resolved target', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  const target = (vars: Environment, flags: TargetFlags = {}) =>
    resolveTargets({ flags, env: { NOMAD_ADDR: env.sim.address, ...vars } })[0];

  it("sends the target's token, and a refusal names where the token came from, never the token", async () => {
    env.sim.enableAcl();
    const reader = env.sim.createToken({ namespaces: { default: { policy: 'read' } } });
    const nomad = connect(target({ NOMAD_TOKEN: reader.SecretID }));
    try {
      await expect(nomad.jobs.list()).resolves.toBeDefined();
      const error = await nomad.jobs.register({ Job: serviceJob('web') }).catch((e) => e);
      expect(error).toBeInstanceOf(NomadPermissionError);
      expect(error.hint).toContain('the token from NOMAD_TOKEN probably lacks the "submit-job" capability');
      expect(`${error.message} ${error.hint}`).not.toContain(reader.SecretID);
    } finally {
      await nomad.close();
    }
  });

  it("sends the target's region and namespace with its requests", async () => {
    const far = connect(target({ NOMAD_REGION: 'mars' }));
    const ops = connect(target({}, { namespace: 'ops', region: 'global' }));
    try {
      await expect(far.jobs.list()).rejects.toThrow('No path to region');
      expect(ops.namespace).toBe('ops');
      await expect(ops.jobs.list()).resolves.toBeDefined();
    } finally {
      await Promise.all([far.close(), ops.close()]);
    }
  });

  it('names the source of an address it cannot use', () => {
    expect(() => connect(target({ NOMAD_ADDR: 'nomad.example:4646' }))).toThrow(
      'the Nomad address "nomad.example:4646" (from NOMAD_ADDR) has no scheme',
    );
  });
});

describe('connections: one client per target, closed together', () => {
  it('hands back the same client for the same settings, another for other settings, and closes them all', async () => {
    const env = await startSimulatedNomad();
    try {
      const pool = connections();
      const settings = { env: { NOMAD_ADDR: env.sim.address } };
      const first = pool.connect(resolveTargets(settings)[0]);
      expect(pool.connect(resolveTargets(settings)[0])).toBe(first);
      const other = pool.connect(resolveTargets({ ...settings, flags: { namespace: 'ops' } })[0]);
      expect(other).not.toBe(first);
      await expect(first.agent.self()).resolves.toBeDefined();
      await pool.close();
      // Writes are not retried: a closed client fails at once.
      for (const closed of [first, other])
        await expect(closed.jobs.register({ Job: serviceJob('web') })).rejects.toThrow('closed');
      // After close, a target gets a fresh client.
      const again = pool.connect(resolveTargets(settings)[0]);
      expect(again).not.toBe(first);
      await expect(again.agent.self()).resolves.toBeDefined();
      await pool.close();
    } finally {
      await env.close();
    }
  });
});

describe('connections to one address', () => {
  it("are shared by its regions' clients: together they stay under Nomad's 100 per client address", async () => {
    let open = 0;
    let most = 0;
    const server = createServer((_req, res) => {
      // Every answer waits, so that each request of a burst holds its socket at once.
      setTimeout(() => res.end('{}'), 50);
    });
    server.on('connection', (socket) => {
      most = Math.max(most, ++open);
      socket.on('close', () => open--);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pool = connections();
    try {
      const [eu, us] = ['eu', 'us'].map((region) =>
        pool.connect(resolveTargets({ flags: { region }, env: { NOMAD_ADDR: address } })[0]!),
      );
      expect(eu).not.toBe(us);
      await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? eu! : us!).agent.self()));
      expect(most).toBe(64);
    } finally {
      await pool.close();
      server.close();
    }
  });
});
