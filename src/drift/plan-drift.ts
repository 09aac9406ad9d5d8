/**
 * The stack's drift as a plan holds it (plan.drift): its jobs changed outside drover since the history's last write
 * of each, and its other objects changed or deleted since the inventory listed them. Read-only; a token that may
 * not read the history or the inventory finds none of that part, rather than an error.
 */
import { readHistory } from '../history/stack-history.js';
import { jobAddress } from '../kinds/job/change.js';
import type { NomadClient } from '../nomad/client.js';
import type { PlanDrift } from '../plan/model.js';
import { readInventory, type InventoryRead } from '../stack/inventory.js';
import { detectDrift, type DriftFact } from './detect-drift.js';
import { describeObjectDrift, detectObjectDrift, type ObjectDriftFact } from './object-drift.js';

export interface StackDriftInputs {
  readonly client: NomadClient;
  readonly stack: string;
  readonly namespace: string;
  readonly stampKey: string;
  /** The cluster the stack's inventory describes. */
  readonly cluster: string;
  readonly signal?: AbortSignal;
  /** The stack's inventory when the caller reads it already (to know what the stack owns). */
  readonly inventory?: Promise<InventoryRead>;
}

export interface StackDriftFacts {
  readonly jobs: readonly DriftFact[];
  readonly objects: readonly ObjectDriftFact[];
}

export async function readStackDrift(inputs: StackDriftInputs): Promise<StackDriftFacts> {
  const { client, stack, namespace, signal } = inputs;
  const location = { cluster: inputs.cluster, stack, namespace };
  const [jobs, objects] = await Promise.all([
    readHistory(client, stack, namespace, signal)
      .then((history) =>
        history.records.length === 0
          ? []
          : detectDrift({ client, stack, stampKey: inputs.stampKey, records: history.records, signal }).then(
              (found) => found.drifted,
            ),
      )
      .catch(() => []),
    (inputs.inventory ?? readInventory(client, location, signal))
      .then((read) =>
        read.readable
          ? detectObjectDrift(client, location.cluster, read.inventory.objects, signal).then((d) => d.facts)
          : [],
      )
      .catch(() => []),
  ]);
  return { jobs, objects };
}

/** The facts as plan.drift lists them: the other objects first, then the jobs. */
export function planDriftOf(facts: StackDriftFacts, cluster: string): PlanDrift[] {
  return [
    ...facts.objects.map((fact) => ({
      address: fact.address,
      change: fact.change,
      message: describeObjectDrift(fact),
    })),
    ...facts.jobs.map((fact) => ({
      address: jobAddress(cluster, fact.namespace, fact.id),
      change: fact.kind,
      message: fact.message,
    })),
  ];
}
