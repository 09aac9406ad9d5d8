import { createInterface } from 'node:readline/promises';
import { UserError } from '../errors.js';

/**
 * Approval before changing anything: on a terminal, ask y/N; without one (CI, pipes) refuse unless the caller
 * passed --auto-approve.
 */
export async function confirm(question: string, autoApprove: boolean): Promise<boolean> {
  if (autoApprove) return true;
  if (!process.stdin.isTTY || process.env.CI === 'true')
    throw new UserError('refusing to apply without approval: there is no terminal to ask on', {
      code: 'approval_required',
      hint: 'Review the plan above, then run again with --auto-approve (in CI: after a plan step whose output you checked).',
    });
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
