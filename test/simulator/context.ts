import type { Allocation } from '../../src/nomad/types.js';
import type { SimClock } from './clock.js';
import type { LogFiles } from './log-files.js';
import type { FailureScript, Timings } from './scripts.js';
import type { Store } from './store.js';

/** What the simulator's server, scheduler and client share. */
export interface SimContext {
  readonly store: Store;
  readonly clock: SimClock;
  readonly logs: LogFiles;
  readonly region: string;
  readonly datacenter: string;
  timings: Timings;
  /** Scripted failures by job ID. */
  readonly scripts: Map<string, FailureScript[]>;
  /** Set by the scheduler: runs an evaluation after the scheduler delay. */
  enqueueEval(evalId: string): void;
  /** Set by the scheduler: the clients stop these allocations, which the server no longer knows (a purge). */
  stopOnClients(allocs: readonly Allocation[]): void;
}

/** An error as Nomad's HTTP layer returns it: a status and a plain-text body. */
export class RpcError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(body);
  }
}
