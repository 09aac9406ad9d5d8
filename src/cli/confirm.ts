import { createInterface } from 'node:readline/promises';
import { UserError } from '../errors.js';

/** What a command says when there is no terminal to ask on: what it will not do, and how to approve ahead. */
export interface Unasked {
  /** In the command's own words: "apply", "destroy", "revert", "release the lock". */
  readonly refusing: string;
  /** Names the command's own flag that approves ahead (--auto-approve, --force). */
  readonly hint: string;
}

/**
 * Approval before changing anything: on a terminal, ask y/N; without one (CI, pipes) refuse unless the caller
 * approved ahead with its flag.
 */
export async function confirm(question: string, approvedAhead: boolean, unasked: Unasked): Promise<boolean> {
  if (approvedAhead) return true;
  if (!process.stdin.isTTY || process.env.CI === 'true')
    throw new UserError(`refusing to ${unasked.refusing} without approval: there is no terminal to ask on`, {
      code: 'approval_required',
      hint: unasked.hint,
    });
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
