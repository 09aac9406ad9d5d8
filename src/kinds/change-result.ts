import type { ChangeResult } from '../apply/types.js';
import type { Action, Address } from '../plan/model.js';

/**
 * The result of carrying out one change of a spec-object kind, timed from when this is called: its outcome, what
 * it says, and whether it was refused as stale or the index its write (or delete) left for the inventory.
 */
export function changeResults(change: { readonly address: Address; readonly action: Action }) {
  const started = performance.now();
  return (
    outcome: ChangeResult['outcome'],
    message: string,
    facts: Pick<ChangeResult, 'stale' | 'modifyIndex'> = {},
  ): ChangeResult => ({
    address: change.address,
    action: change.action,
    outcome,
    message,
    durationMs: performance.now() - started,
    explanation: [],
    ...(facts.stale ? { stale: true } : {}),
    ...(facts.modifyIndex !== undefined ? { modifyIndex: facts.modifyIndex } : {}),
  });
}
