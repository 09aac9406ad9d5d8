/**
 * A run that changes a stack (apply, destroy, promote, rollback): under the stack's lock, and recorded in its history. The lock is
 * requested and the history read while the plan is made, so neither adds a round trip before the first write;
 * at the end the record is written beside the release.
 */
import { appendHistory, readHistory, type HistoryRead } from '../history/stack-history.js';
import { isPartial, recordOf, type HistoryRecord, type JobRecord } from '../history/record.js';
import { lastKnown } from '../drift/detect-drift.js';
import { currentHolder, type Holder } from '../lock/holder.js';
import { acquireStackLock, type StackLock } from '../lock/stack-lock.js';
import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { computedLocally, type Plan } from '../plan/model.js';
import { InventoryForbiddenError, readInventory, updateInventory } from '../stack/inventory.js';
import { inventoryChangeOf } from '../stack/inventory-change.js';
import { planChecksum } from '../plan/plan-file.js';
import { overriddenChecks } from '../plan/check-report.js';
import type { Logger } from '../util/logger.js';
import type { ApplyResult } from '../apply/apply-plan.js';

export interface LockFlags {
  /** false: --lock=false, no lock at all. Default true. */
  readonly lock?: boolean;
  /** --lock-timeout: how long to wait for another run's lock. Default 0: fail at once. */
  readonly lockTimeoutMs?: number;
  /** Named in the lock and the history: "apply", "destroy", "promote", "rollback". */
  readonly command: string;
  readonly droverVersion: string;
}

export interface StackScope {
  readonly client: NomadClient;
  /** No stack, no lock and no history. */
  readonly stack: string | undefined;
  readonly namespace: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** What a run ended with, as far as the history goes: only an applied plan (with its result) is recorded. */
export interface StackRunOutcome {
  readonly kind: string;
  readonly result?: ApplyResult;
  readonly lockLost?: boolean;
}

/** How long a failed plan waits for its lock request to answer before giving it up. */
const LOCK_GRACE_MS = 500;

/** Without flags (a library caller that asked for no lock), the plan is simply made and carried out. */
export async function runStack<O extends StackRunOutcome>(
  flags: LockFlags | undefined,
  scope: StackScope,
  prepare: () => Promise<Plan>,
  carryOut: (plan: Plan, lock: StackLock | undefined) => Promise<O>,
): Promise<O> {
  if (!flags) return carryOut(await prepare(), undefined);
  const { client, stack, namespace } = scope;
  const holder = currentHolder(scope.env, flags.command, flags.droverVersion, new Date());
  const lockGivenUp = new AbortController();
  const locking = started(
    flags.lock !== false && stack
      ? acquireStackLock({
          ...scope,
          signal: scope.signal ? AbortSignal.any([scope.signal, lockGivenUp.signal]) : lockGivenUp.signal,
          stack,
          holder,
          timeoutMs: flags.lockTimeoutMs ?? 0,
        })
      : undefined,
  );
  // A failed plan stops the history read; the lock request is let finish, so that a lock taken is released.
  const planFailed = new AbortController();
  const reading = scope.signal ? AbortSignal.any([scope.signal, planFailed.signal]) : planFailed.signal;
  let history = started(stack ? readHistory(client, stack, namespace, reading) : undefined);
  let plan: Plan;
  try {
    plan = await prepare();
  } catch (error) {
    planFailed.abort();
    // A lock taken is released; one still asked for after a moment (a Nomad that does not answer) is given up.
    const late = setTimeout(() => lockGivenUp.abort(), LOCK_GRACE_MS);
    await (await locking.catch(() => undefined))?.release();
    clearTimeout(late);
    throw error;
  }
  const lock = await locking.catch((error: unknown) => {
    throw alsoUnregistrable(error, plan);
  });
  try {
    // Another run held the stack meanwhile: what was planned and read before may have changed.
    if (lock?.waited) {
      plan = await prepare();
      history = started(readHistory(client, stack!, namespace, scope.signal));
    }
    const outcome = await carryOut(plan, lock);
    // Ownership is written while the lock is held: the next run reads it under the same lock.
    await recordOwnership(scope, plan, outcome);
    await Promise.all([record(scope, holder, plan, outcome, history), lock?.release()]);
    return outcome;
  } finally {
    await lock?.release();
  }
}

/**
 * A token refused the lock that was refused Nomad's plan endpoint too (the plan was computed locally) may not
 * register jobs either: one error names both, rather than one now and the other after the first is fixed.
 */
function alsoUnregistrable(error: unknown, plan: Plan): unknown {
  if (!(error instanceof UserError) || error.code !== 'lock_forbidden') return error;
  if (!computedLocally(plan)) return error;
  return new UserError(
    `${error.message}; nor may it register jobs: Nomad refused it the plan endpoint, which needs submit-job (or plan-job)`,
    {
      code: error.code,
      hint: `${error.hint ?? ''} Applying needs the namespace capability submit-job as well.`.trim(),
    },
  );
}

/** A promise that may settle before it is awaited without counting as an unhandled rejection. */
function started<T>(promise: Promise<T> | undefined): Promise<T | undefined> {
  const settled = promise ?? Promise.resolve(undefined);
  settled.catch(() => {});
  return settled;
}

/**
 * The objects of other kinds than jobs the run wrote or deleted, in the stack's inventory: what prune and destroy
 * will delete, and no other. Failing to write it is said loudly: the objects it missed show as adopted next time.
 */
async function recordOwnership(scope: StackScope, plan: Plan, outcome: StackRunOutcome): Promise<void> {
  if (!scope.stack || !outcome.result) return;
  const change = inventoryChangeOf(outcome.result.results);
  if (change.written.length === 0 && change.deleted.length === 0) return;
  const location = { cluster: plan.settings.cluster, stack: scope.stack, namespace: scope.namespace };
  try {
    const read = await readInventory(scope.client, location, scope.signal);
    if (!read.readable) throw new InventoryForbiddenError(location, 'read');
    await updateInventory(scope.client, read.inventory, change, scope.signal);
  } catch (error) {
    scope.logger?.warn(
      `the inventory of stack "${scope.stack}" was not updated (${change.written.length} written, ${change.deleted.length} deleted): ${(error as Error).message}; the next plan shows what it missed as adopted`,
    );
  }
}

/**
 * The history is a record, not a gate: failing to write it is a warning, never a failed run. A run that changed
 * nothing is recorded only when it ends a drift (an unchanged job Nomad holds at a newer JobModifyIndex).
 */
async function record(
  scope: StackScope,
  holder: Holder,
  plan: Plan,
  outcome: StackRunOutcome,
  history: Promise<HistoryRead | undefined>,
): Promise<void> {
  if (!scope.stack || (outcome.kind !== 'applied' && outcome.kind !== 'no-changes')) return;
  if (outcome.kind === 'applied' && !outcome.result) return;
  try {
    const seen = (await history) ?? { records: [], modifyIndex: 0 };
    const caughtUp = caughtUpJobs(plan, seen.records);
    if (outcome.kind === 'no-changes' && caughtUp.length === 0) return;
    const entry = recordOf(holder, outcome.result, {
      planChecksum: planChecksum(plan),
      lockLost: outcome.lockLost ?? false,
      finished: new Date(),
      caughtUp,
      skippedChecks: overriddenChecks(plan.checks).map((r) => ({
        name: r.name,
        status: r.status,
        severity: r.severity,
      })),
    });
    await appendHistory(scope.client, scope.stack, scope.namespace, entry, seen);
  } catch (error) {
    scope.logger?.warn(`the history of stack "${scope.stack}" was not recorded: ${(error as Error).message}`);
  }
}

/**
 * Unchanged jobs that Nomad holds at a newer JobModifyIndex than the history knows: they match the files now. A
 * job the history does not list is one only when every run listed all its jobs (a large run lists part of them).
 */
function caughtUpJobs(plan: Plan, records: readonly HistoryRecord[]): JobRecord[] {
  const known = lastKnown(records);
  const complete = !isPartial(records);
  return plan.changes
    .flatMap((change) => (change.kind === 'job' && change.action === 'noop' ? [change] : []))
    .filter((change) => change.jobModifyIndex > 0)
    .filter((change) => {
      const entry = known.get(`${change.address.namespace}/${change.address.name}`);
      return entry ? entry.job_modify_index! < change.jobModifyIndex : complete;
    })
    .map((change) => ({
      id: change.address.name,
      namespace: change.address.namespace,
      action: 'noop' as const,
      outcome: 'unchanged',
      job_modify_index: change.jobModifyIndex,
    }));
}
