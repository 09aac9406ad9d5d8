import type { NomadClient } from '../nomad/client.js';
import { currentHolder } from '../lock/holder.js';
import { acquireStackLock, type StackLock } from '../lock/stack-lock.js';
import type { Logger } from '../util/logger.js';

export interface LockFlags {
  /** false: --lock=false, no lock at all. Default true. */
  readonly lock?: boolean;
  /** --lock-timeout: how long to wait for another run's lock. Default 0: fail at once. */
  readonly lockTimeoutMs?: number;
  /** Named in the lock: "apply", "destroy". */
  readonly command: string;
  readonly droverVersion: string;
}

export interface LockScope {
  readonly client: NomadClient;
  readonly stack: string | undefined;
  readonly namespace: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/**
 * Starts taking the stack's lock (none for --lock=false or a run without a stack). The returned promise is
 * marked handled so that it may settle while the caller is still planning.
 */
export function startStackLock(flags: LockFlags, scope: LockScope): Promise<StackLock | undefined> {
  if (flags.lock === false || !scope.stack) return Promise.resolve(undefined);
  const locking = acquireStackLock({
    client: scope.client,
    stack: scope.stack,
    namespace: scope.namespace,
    holder: currentHolder(scope.env, flags.command, flags.droverVersion, new Date()),
    timeoutMs: flags.lockTimeoutMs ?? 0,
    signal: scope.signal,
    logger: scope.logger,
  });
  locking.catch(() => {});
  return locking;
}

/**
 * Runs `work` under the lock being taken: work that fails first still releases a lock taken meanwhile; the lock
 * is released whatever the work ends with (an error, a cancel).
 */
export async function underLock<P, R>(
  locking: Promise<StackLock | undefined>,
  prepare: () => Promise<P>,
  work: (prepared: P, lock: StackLock | undefined) => Promise<R>,
): Promise<R> {
  let prepared: P;
  try {
    prepared = await prepare();
  } catch (error) {
    await (await locking.catch(() => undefined))?.release();
    throw error;
  }
  const lock = await locking;
  try {
    return await work(prepared, lock);
  } finally {
    await lock?.release();
  }
}
