import { setMaxListeners } from 'node:events';
import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';

/**
 * The whole plan's bound (--timeout): the signal every request of the plan listens to, and the error a plan
 * stopped by it ends with (a Nomad that does not answer in time is an error, not a wait without end).
 */
export function planDeadline(inputs: {
  readonly client: NomadClient;
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}): { signal: AbortSignal | undefined; timedOut: (error: unknown) => unknown } {
  const deadline = inputs.deadlineMs ? AbortSignal.timeout(inputs.deadlineMs) : undefined;
  const signal =
    deadline && inputs.signal ? AbortSignal.any([inputs.signal, deadline]) : (deadline ?? inputs.signal);
  // Every request in flight listens to it (--concurrency of them), past Node's warning at 10.
  if (signal) setMaxListeners(0, signal);
  const timedOut = (error: unknown) =>
    deadline?.aborted && !inputs.signal?.aborted
      ? new UserError(
          `Nomad at ${inputs.client.address} did not answer the plan within ${Math.round(inputs.deadlineMs! / 1000)}s; nothing was changed`,
          {
            code: 'plan_timeout',
            hint: 'Check that the address is a Nomad agent that answers, or raise --timeout.',
          },
        )
      : error;
  return { signal, timedOut };
}
