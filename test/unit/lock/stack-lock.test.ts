import { acquireStackLock, lockPath } from '../../../src/lock/stack-lock.js';
import { startSimulatedNomad, type SimulatedNomad } from '../../support/simulated-nomad.js';

const holder = (name: string) => ({
  holder: name,
  command: 'apply',
  started: '2026-12-01T10:00:00.000Z',
  drover_version: '0.1.0',
});

describe('the stack lock against Nomad variable locks', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  it("waits out a crashed holder's lock: Nomad frees it 2 × TTL + lock delay (45 s) after its last renewal", async () => {
    const crashed = await acquireStackLock({
      client: env.nomad,
      stack: 'shop',
      namespace: 'default',
      holder: holder('crashed@ci'),
      timeoutMs: 0,
    });
    expect(crashed.waited).toBe(false);
    // The crashed run never renews nor releases; a second run waits with --lock-timeout 2m.
    const second = acquireStackLock({
      client: env.nomad,
      stack: 'shop',
      namespace: 'default',
      holder: holder('next@ci'),
      timeoutMs: 120_000,
    });
    let settled = false;
    void second.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    env.sim.advance(44_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    env.sim.advance(1_500);
    const lock = await second;
    expect(lock.waited).toBe(true);
    const { body } = await env.nomad.variables.read(lockPath('shop'));
    expect(body?.Items?.holder).toBe('next@ci');
    await lock.release();
    expect((await env.nomad.variables.read(lockPath('shop'))).body?.Lock).toBeUndefined();
  });

  it('fails at once without a timeout, naming the holder; different stacks never block each other', async () => {
    await acquireStackLock({
      client: env.nomad,
      stack: 'a',
      namespace: 'default',
      holder: holder('ana'),
      timeoutMs: 0,
    });
    await expect(
      acquireStackLock({
        client: env.nomad,
        stack: 'a',
        namespace: 'default',
        holder: holder('bo'),
        timeoutMs: 0,
      }),
    ).rejects.toThrow(/^stack "a" is locked by ana \(drover 0\.1\.0 apply, since 2026-12-01T10:00:00\.000Z/);
    const other = await acquireStackLock({
      client: env.nomad,
      stack: 'b',
      namespace: 'default',
      holder: holder('bo'),
      timeoutMs: 0,
    });
    expect(other.waited).toBe(false);
  });
});

describe('holding the stack lock', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('keeps it past 2 × TTL + delay by renewing, and says when a renewal is refused (the lock was lost)', async () => {
    const lock = await acquireStackLock({
      client: env.nomad,
      stack: 'long',
      namespace: 'default',
      holder: holder('long@ci'),
      timeoutMs: 0,
      renewEveryMs: 20,
    });
    for (let i = 0; i < 4; i++) {
      await pause(80);
      env.sim.advance(25_000);
    }
    const held = (await env.nomad.variables.read(lockPath('long'))).body;
    expect(held?.Lock).toBeDefined();
    expect(lock.lost.aborted).toBe(false);

    // Someone force-unlocks it: the next renewal is refused and the holder learns it lost the lock.
    await env.nomad.variables.releaseLock(lockPath('long'), held!.Lock!.ID);
    for (let i = 0; i < 50 && !lock.lost.aborted; i++) await pause(20);
    expect(lock.lost.aborted).toBe(true);
    expect((lock.lost.reason as Error).message).toBe('lost the lock of stack "long"');
    await lock.release();
  });

  it('confirms the lock before a write: nothing asked while renewals are on time, lost found at once when overdue', async () => {
    const lock = await acquireStackLock({
      client: env.nomad,
      stack: 'busy',
      namespace: 'default',
      holder: holder('busy@ci'),
      timeoutMs: 0,
      renewEveryMs: 1_000,
    });
    const renewals = () =>
      env.sim.requests.filter((r) => r.startsWith('PUT /v1/var/drover/stacks/busy/lock')).length;
    const before = renewals();
    await lock.confirmHeld();
    expect(renewals()).toBe(before);

    // Someone force-unlocks it while this run's event loop is held up past a renewal (a long synchronous step).
    const held = (await env.nomad.variables.read(lockPath('busy'))).body;
    await env.nomad.variables.releaseLock(lockPath('busy'), held!.Lock!.ID);
    const until = Date.now() + 1_600;
    while (Date.now() < until);
    expect(lock.lost.aborted).toBe(false);
    await lock.confirmHeld();
    expect(lock.lost.aborted).toBe(true);
    expect(renewals()).toBeGreaterThan(before);
    await lock.release();
  });
});
