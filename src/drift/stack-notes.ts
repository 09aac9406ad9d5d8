import { readHistory } from '../history/stack-history.js';
import { lockPath } from '../lock/stack-lock.js';
import type { NomadClient } from '../nomad/client.js';
import type { Deployment } from '../nomad/types.js';
import { waitingDeployments } from '../watch/waiting-deployments.js';
import { promotionWaitSince } from '../watch/readiness.js';
import { readInventory, type InventoryRead } from '../stack/inventory.js';
import { detectDrift } from './detect-drift.js';
import { jobAddress } from '../kinds/job/change.js';
import type { PlanDrift } from '../plan/model.js';
import { describeObjectDrift, detectObjectDrift } from './object-drift.js';
import type { StackNote } from '../plan/notes.js';

export interface StackNotesInputs {
  readonly client: NomadClient;
  readonly stack: string;
  readonly namespace: string;
  readonly stampKey: string;
  /** The cluster the stack's inventory describes. */
  readonly cluster?: string;
  /** The jobs the files declare: their deployments waiting for promotion are named. */
  readonly jobs?: ReadonlyArray<{ readonly id: string; readonly namespace: string }>;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  /** The stack's inventory when the caller reads it already (to know what the stack owns). */
  readonly inventory?: Promise<InventoryRead>;
}

/**
 * What a plan says beside its changes about the stack itself: who holds its lock (Nomad shows a held lock to
 * management tokens only, and to every token when ACLs are off), what drifted since drover last applied it, and
 * which of its jobs' deployments wait for a promotion (one request for every running deployment).
 * Read-only; a token that may not read these gets no notes rather than an error.
 */
export async function stackNotes(
  inputs: StackNotesInputs,
): Promise<{ notes: StackNote[]; drift: PlanDrift[] }> {
  const { client, stack, namespace, signal } = inputs;
  const now = inputs.now ?? (() => new Date());
  const declared = new Set((inputs.jobs ?? []).map((j) => `${j.namespace}/${j.id}`));
  const location = { cluster: inputs.cluster ?? 'default', stack, namespace };
  const [lock, drift, waiting, objects] = await Promise.all([
    client.variables.read(lockPath(stack), { namespace, signal }).catch(() => undefined),
    readHistory(client, stack, namespace, signal)
      .then((history) =>
        history.records.length === 0
          ? []
          : detectDrift({ client, stack, stampKey: inputs.stampKey, records: history.records, signal }).then(
              (found) => found.drifted,
            ),
      )
      .catch(() => []),
    declared.size === 0
      ? new Map<string, Deployment>()
      : waitingDeployments(client, signal).catch(() => new Map<string, Deployment>()),
    (inputs.inventory ?? readInventory(client, location, signal))
      .then((read) =>
        read.readable
          ? detectObjectDrift(client, location.cluster, read.inventory.objects, signal).then((d) => d.facts)
          : [],
      )
      .catch(() => []),
  ]);
  const notes: StackNote[] = [];
  const found: PlanDrift[] = [];
  const locked = Boolean(lock?.body?.Lock);
  if (locked)
    notes.push({
      type: 'stack-locked',
      stack,
      ...(lock!.body!.Items ? { holder: lock!.body!.Items } : {}),
      seenAt: now().toISOString(),
    });
  // The run holding the lock is writing: its registrations are no drift.
  for (const fact of locked ? [] : objects) {
    notes.push({ type: 'object-drift', ...fact });
    found.push({ address: fact.address, change: fact.change, message: describeObjectDrift(fact) });
  }
  for (const fact of locked ? [] : drift) {
    notes.push({ type: 'job-drift', namespace: fact.namespace, id: fact.id, message: fact.message });
    found.push({
      address: jobAddress(location.cluster, fact.namespace, fact.id),
      change: fact.kind,
      message: fact.message,
    });
  }
  for (const [key, deployment] of waiting) {
    const since = promotionWaitSince(deployment);
    if (!since || !declared.has(key)) continue;
    notes.push({ type: 'promotion-wait', namespace: deployment.Namespace, id: deployment.JobID, since });
  }
  return { notes, drift: found };
}
