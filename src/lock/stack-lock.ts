/**
 * The stack lock: a Nomad variable lock at drover/stacks/<stack>/lock in the stack's namespace, its items naming
 * the holder. Held with a 15 s TTL renewed every 5 s; Nomad frees the lock of a run that died 2 × TTL + lock
 * delay (45 s) after its last renewal. Waiting for a lock is a blocking query on the variable, never a poll.
 */
import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { NomadApiError, NomadPermissionError, NotNomadError } from '../nomad/errors.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { describeHolder, type Holder } from './holder.js';

export const LOCK_TTL = '15s';
const LOCK_TTL_MS = 15_000;
export const LOCK_DELAY = '15s';
const RENEW_EVERY_MS = 5_000;

export const lockPath = (stack: string) => `drover/stacks/${stack}/lock`;

export interface LockRequest {
  readonly client: NomadClient;
  readonly stack: string;
  readonly namespace: string;
  readonly holder: Holder;
  /** How long to wait for another run's lock; 0 fails at once. */
  readonly timeoutMs: number;
  /** How often the lease is renewed. Default 5 s (a third of the TTL). */
  readonly renewEveryMs?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

export interface StackLock {
  /** Whether the lock had to be waited for (what was read before it may have changed). */
  readonly waited: boolean;
  /** Aborts when the lock is lost (its renewal refused): writes must stop. */
  readonly lost: AbortSignal;
  /**
   * Called before each write: when the last renewal is overdue (the event loop was held up, or renewals failed),
   * renews at once, and aborts `lost` if the lease cannot be shown to be still ours. Never throws.
   */
  confirmHeld(): Promise<void>;
  /** Lets the lock go; never throws (a lock that cannot be released expires by itself). */
  release(): Promise<void>;
}

export class StackLockedError extends UserError {}

export async function acquireStackLock(request: LockRequest): Promise<StackLock> {
  const { client, stack, namespace } = request;
  const path = lockPath(stack);
  const now = request.now ?? (() => new Date());
  const deadline = Date.now() + request.timeoutMs;
  const items = Object.fromEntries(Object.entries(request.holder).filter(([, v]) => v !== undefined));
  let waited = false;
  const acquire = async () => {
    const outcome = await attempt(() =>
      client.variables.acquireLock(
        path,
        items,
        { ttl: LOCK_TTL, lockDelay: LOCK_DELAY },
        { namespace, signal: request.signal },
      ),
    );
    if (outcome.conflict) return undefined;
    const id = outcome.variable?.Lock?.ID;
    if (!id)
      throw new UserError(
        `Nomad at ${client.address} wrote ${path} but took no lock: it has no variable locks (Nomad 1.7 and later have them)`,
        { code: 'no_lock_api', hint: LOCK_FALSE_HINT },
      );
    return id;
  };
  for (;;) {
    const id = await acquire();
    if (id) return holdLock(request, path, id, waited);
    const seen = await attempt(() =>
      client.variables.read(path, { namespace, signal: request.signal }),
    ).catch((error: unknown) => {
      if (error instanceof UserError && error.code === 'lock_forbidden') return undefined;
      throw error;
    });
    const holder = seen
      ? describeHolder(seen.body?.Items, now())
      : 'another run (the token may not read who)';
    const remaining = deadline - Date.now();
    if (remaining <= 0 || !seen)
      throw new StackLockedError(`stack "${stack}" is locked by ${holder}`, {
        code: 'stack_locked',
        hint: !seen
          ? `To wait for it the token needs the variables capability "read" on "${path}" too. If that run is gone, its lock expires by itself within 45 s of its last renewal, or run drover force-unlock ${stack}.`
          : request.timeoutMs > 0
            ? `It was not released within --lock-timeout. If that run is gone, its lock expires by itself within 45 s of its last renewal, or run drover force-unlock ${stack}.`
            : `Wait for that run, pass --lock-timeout 10m to wait for it, or, if it is gone, run drover force-unlock ${stack} (its lock also expires by itself within 45 s of its last renewal).`,
      });
    if (!waited) request.logger?.warn(`stack "${stack}" is locked by ${holder}; waiting for it`);
    waited = true;
    // Released between the refusal and the read, the variable would not change again to wake the wait.
    const taken = await acquire();
    if (taken) return holdLock(request, path, taken, waited);
    // Wakes when the lock variable changes (a release, or Nomad expiring the lock), or at the deadline.
    await client.variables.read(path, {
      namespace,
      index: Math.max(1, seen.meta.index),
      wait: `${Math.max(1, Math.min(300, Math.ceil(remaining / 1000)))}s`,
      signal: request.signal,
    });
  }
}

const LOCK_FALSE_HINT =
  'Upgrade Nomad, or pass --lock=false to run without the stack lock (dangerous: two runs of the stack can then interleave).';

/** Translates what a Nomad without variables, or a token without their capabilities, answers. */
async function attempt<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof NomadPermissionError)
      throw new UserError(
        `the token may not use the stack lock ${error.request.path.slice(8)}: ${error.body.trim()}`,
        {
          code: 'lock_forbidden',
          hint: `It needs the variables capabilities "write" and "read" on path "drover/stacks/*" in namespace "${error.request.namespace ?? 'default'}" (namespace "…" { variables { path "drover/stacks/*" { capabilities = ["write", "read"] } } }), or pass --lock=false to run without the lock (dangerous: two runs of the stack can then interleave).`,
        },
      );
    if (error instanceof NotNomadError)
      throw new UserError(
        `Nomad at ${error.request.address} has no variables API for the stack lock (${error.message})`,
        {
          code: 'no_lock_api',
          hint: LOCK_FALSE_HINT,
        },
      );
    throw error;
  }
}

function holdLock(request: LockRequest, path: string, id: string, waited: boolean): StackLock {
  const { client, namespace } = request;
  const logger = request.logger ?? silentLogger;
  const renewEveryMs = request.renewEveryMs ?? RENEW_EVERY_MS;
  const lost = new AbortController();
  const lose = (why: string) => {
    clearInterval(timer);
    logger.error(`lost the lock of stack "${request.stack}": ${why}`);
    lost.abort(new UserError(`lost the lock of stack "${request.stack}"`, { code: 'lock_lost' }));
  };
  let lastRenewed = Date.now();
  let renewing: Promise<void> | undefined;
  const renewOnce = async () => {
    try {
      await client.variables.renewLock(path, id, { namespace });
      lastRenewed = Date.now();
    } catch (error) {
      const refused = error instanceof NomadApiError && error.status === 409;
      // A renewal that only failed to arrive is tried again, until the lease Nomad grants (2 × TTL) has run out.
      if (refused || Date.now() - lastRenewed > 2 * LOCK_TTL_MS) lose((error as Error).message);
      else logger.warn(`could not renew the lock of stack "${request.stack}": ${(error as Error).message}`);
    }
  };
  const renew = () => {
    renewing ??= renewOnce().finally(() => (renewing = undefined));
    return renewing;
  };
  const timer = setInterval(() => void renew(), renewEveryMs);
  timer.unref();
  let released = false;
  return {
    waited,
    lost: lost.signal,
    async confirmHeld() {
      if (lost.signal.aborted || Date.now() - lastRenewed < renewEveryMs * 1.5) return;
      await renew();
      if (!lost.signal.aborted && Date.now() - lastRenewed > LOCK_TTL_MS)
        lose(
          `not renewed for ${Math.round((Date.now() - lastRenewed) / 1000)} s, longer than its TTL of ${LOCK_TTL}`,
        );
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      if (lost.signal.aborted) return;
      try {
        await client.variables.releaseLock(path, id, { namespace });
      } catch (error) {
        logger.warn(
          `could not release the lock of stack "${request.stack}" (${(error as Error).message}); it expires by itself within 45 s`,
        );
      }
    },
  };
}

export type LockState =
  | { readonly held: false; readonly items?: Readonly<Record<string, string>> }
  | {
      readonly held: true;
      readonly items?: Readonly<Record<string, string>>;
      /** Shown to management tokens only. */
      readonly id?: string;
    };

/**
 * Whether the stack's lock is held, and by whom. Nomad shows a held lock's details to management tokens only;
 * for others a release with an ID nobody holds tells: 409 when someone holds the lock, 500 when no one does.
 */
export async function readStackLock(
  client: NomadClient,
  stack: string,
  namespace: string,
  signal?: AbortSignal,
): Promise<LockState> {
  const path = lockPath(stack);
  const { body } = await attempt(() => client.variables.read(path, { namespace, signal }));
  if (!body) return { held: false };
  if (body.Lock) return { held: true, items: body.Items, id: body.Lock.ID };
  try {
    const probe = await client.variables.releaseLock(path, 'drover-probe-no-such-lock', {
      namespace,
      signal,
    });
    return probe.conflict ? { held: true, items: body.Items } : { held: false, items: body.Items };
  } catch (error) {
    if (error instanceof NomadApiError && /doesn't hold a lock/.test(error.body))
      return { held: false, items: body.Items };
    throw error;
  }
}

/** Releases a lock another run left behind; needs its ID, which Nomad shows management tokens only. */
export async function forceRelease(
  client: NomadClient,
  stack: string,
  namespace: string,
  state: LockState,
): Promise<void> {
  if (!state.held) return;
  if (!state.id)
    throw new UserError(
      `the lock of stack "${stack}" is held, but Nomad shows its ID to management tokens only`,
      {
        code: 'lock_id_hidden',
        hint: `Run drover force-unlock ${stack} with a management token, or wait: the lock of a run that is gone expires by itself within 45 s of its last renewal.`,
      },
    );
  const outcome = await attempt(() =>
    client.variables.releaseLock(lockPath(stack), state.id!, { namespace }),
  );
  if (outcome.conflict)
    throw new UserError(`the lock of stack "${stack}" changed hands while it was being released`, {
      code: 'lock_changed',
      hint: `Run drover force-unlock ${stack} again to see its new holder.`,
    });
}
