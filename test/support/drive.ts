import type { Simulator } from '../simulator/simulator.js';

/**
 * Moves the simulator's manual clock in steps while `work` runs (it waits on blocking queries, which wake as the
 * clock causes writes), until it settles or `maxSimMs` of simulated time has passed.
 */
export async function drive<T>(
  sim: Simulator,
  work: Promise<T>,
  { stepMs = 500, maxSimMs = 600_000 } = {},
): Promise<T> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  for (let t = 0; !settled && t < maxSimMs; t += stepMs) {
    sim.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return done;
}
