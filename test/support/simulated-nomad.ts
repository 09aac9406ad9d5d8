import { NomadClient, type NomadClientOptions } from '../../src/nomad/client.js';
import type { Job } from '../../src/nomad/types.js';
import { Simulator, type SimulatorOptions } from '../simulator/simulator.js';

export interface SimulatedNomad {
  readonly sim: Simulator;
  readonly nomad: NomadClient;
  /** Another client on the same simulator (other token, namespace, options). */
  client(options?: Partial<NomadClientOptions>): NomadClient;
  close(): Promise<void>;
}

/** A simulator with a manual clock and a client pointed at it. Retries are fast so failures stay quick. */
export async function startSimulatedNomad(
  options: SimulatorOptions = {},
  clientOptions: Partial<NomadClientOptions> = {},
): Promise<SimulatedNomad> {
  const sim = await Simulator.start(options);
  const clients: NomadClient[] = [];
  const client = (extra: Partial<NomadClientOptions> = {}) => {
    const created = new NomadClient({
      address: sim.address,
      retry: { baseMs: 5, maxMs: 20 },
      ...clientOptions,
      ...extra,
    });
    clients.push(created);
    return created;
  };
  return {
    sim,
    nomad: client(),
    client,
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await sim.stop();
    },
  };
}

/** A service job in API JSON, as drover's parser will produce it. */
export function serviceJob(
  id: string,
  overrides: Partial<Job> = {},
  group: Record<string, unknown> = {},
): Job {
  return {
    ID: id,
    Name: id,
    Type: 'service',
    TaskGroups: [
      {
        Name: 'web',
        Count: 2,
        Tasks: [
          {
            Name: 'app',
            Driver: 'docker',
            Config: { image: 'example/app:1.0' },
            Resources: { CPU: 200, MemoryMB: 256 },
          },
        ],
        ...group,
      },
    ],
    ...overrides,
  };
}

export function batchJob(id: string, overrides: Partial<Job> = {}): Job {
  return {
    ID: id,
    Name: id,
    Type: 'batch',
    TaskGroups: [
      {
        Name: 'migrate',
        Count: 1,
        Tasks: [{ Name: 'migrate', Driver: 'docker', Config: { image: 'example/migrate:1' } }],
      },
    ],
    ...overrides,
  };
}

/** The same job with another image: a destructive update. */
export function withImage(job: Job, image: string): Job {
  return {
    ...job,
    TaskGroups: job.TaskGroups!.map((g) => ({
      ...g,
      Tasks: g.Tasks!.map((t) => ({ ...t, Config: { ...t.Config, image } })),
    })),
  };
}

/** Moves simulated time in steps so every timer chain (start → healthy → next batch) runs. */
export function runFor(sim: Simulator, totalMs: number, stepMs = 500): void {
  for (let t = 0; t < totalMs; t += stepMs) sim.advance(stepMs);
}
