import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { streamOpening, type StreamOpening } from '../support/api-shapes.js';
import { runCli } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';
import { sleepingService, stackProject } from './projects.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/nomad-2.0.5/event-stream.json');

/**
 * The event stream as Nomad 2.0.5 really opens, refuses and rejects it (recorded with DROVER_RECORD=1 into the
 * fixture the simulator is held to), and drover's default watch on it: the stream where it can be had, blocking
 * queries where it cannot.
 */
describe('the event stream of a real Nomad agent', () => {
  let secured: NomadAgent;
  let brokerless: NomadAgent;
  beforeAll(async () => {
    [secured, brokerless] = await Promise.all([
      startNomadAgent({ acl: true }),
      startNomadAgent({ eventBroker: false }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await secured?.stop();
    await brokerless?.stop();
  });

  it('opens with a heartbeat; refused by the token or a disabled broker, it answers 200 and stays silent', async () => {
    const management = secured.managementToken!;
    const openings: Record<string, StreamOpening & { path: string }> = {};
    const open = async (name: string, agent: NomadAgent, path: string, token?: string) => {
      openings[name] = { path, ...(await streamOpening(agent.address, path, token)) };
    };
    await open('subscribed', secured, '/v1/event/stream?topic=Job:none', management);
    await open('no token (ACL refusal)', secured, '/v1/event/stream?topic=Job:none');
    await open('event broker disabled', brokerless, '/v1/event/stream?topic=Job:none');
    await open('malformed topic', secured, '/v1/event/stream?topic=Job:a:b', management);
    await open('malformed index', secured, '/v1/event/stream?index=x', management);
    if (process.env.DROVER_RECORD === '1')
      writeFileSync(
        FIXTURE,
        `${JSON.stringify({ recorded: `nomad agent -dev, Nomad v${secured.version}: what GET /v1/event/stream sends within 1.5 s`, openings }, null, 2)}\n`,
      );
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { openings: typeof openings };
    expect(openings).toEqual(recorded.openings);
  });

  it('apply falls back to blocking queries, and says so, when the event broker is disabled', async () => {
    const dir = stackProject('nobroker', { 'web.nomad.hcl': sleepingService('web') });
    const env = { ...brokerless.env };
    const applied = await runCli(['apply', dir, '--auto-approve'], env);
    expect(applied.stderr).toMatch(
      /warn: the event stream is unavailable: .*event broker disabled.*; following the jobs with blocking queries instead/,
    );
    expect(applied.stdout).toMatch(/Apply complete: 1 succeeded/);
    expect(applied.code).toBe(0);
    expect((await runCli(['plan', dir, '--detailed-exitcode'], env)).code).toBe(0);
  }, 90_000);

  it('keeps the stream for a token that reads only the namespaces of the stack: one stream per namespace', async () => {
    const management = secured.managementToken!;
    for (const name of ['team', 'other'])
      await secured.api('POST', `/v1/namespace/${name}`, { Name: name }, management);
    await secured.api(
      'POST',
      '/v1/acl/policy/deployer',
      {
        Name: 'deployer',
        Rules:
          'namespace "default" {\n  policy = "write"\n  variables {\n    path "drover/stacks/*" {\n      capabilities = ["write", "read"]\n    }\n  }\n}\nnamespace "team" {\n  policy = "write"\n}\n',
      },
      management,
    );
    const deployer = (
      await secured.api<{ SecretID: string }>(
        'POST',
        '/v1/acl/token',
        { Name: 'deployer', Type: 'client', Policies: ['deployer'] },
        management,
      )
    ).SecretID;
    const dir = stackProject('two-namespaces', {
      'web.nomad.hcl': sleepingService('web'),
      'api.nomad.hcl': sleepingService('api', { namespace: 'team' }),
    });
    const applied = await runCli(['apply', dir, '--auto-approve', '--log-level', 'debug'], {
      NOMAD_ADDR: secured.address,
      NOMAD_TOKEN: deployer,
    });
    expect(applied.stderr).not.toMatch(/blocking queries instead/);
    const streams = applied.stderr
      .split('\n')
      .filter((line) => /GET \/v1\/event\/stream\?\S* 200/.test(line))
      .map((line) => /namespace=(\w+)/.exec(line)?.[1])
      .sort();
    expect(streams).toEqual(['default', 'team']);
    expect(applied.stdout).toMatch(/Apply complete: 2 succeeded/);
    expect(applied.code).toBe(0);
  }, 90_000);
});
