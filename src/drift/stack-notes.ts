import { lockPath } from '../lock/stack-lock.js';
import type { NomadClient } from '../nomad/client.js';
import type { Deployment } from '../nomad/types.js';
import { waitingDeployments } from '../watch/waiting-deployments.js';
import { promotionWaitSince } from '../watch/readiness.js';
import type { InventoryRead } from '../stack/inventory.js';
import type { PlanDrift } from '../plan/model.js';
import { planDriftOf, readStackDrift } from './plan-drift.js';
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
  const cluster = inputs.cluster ?? 'default';
  const [lock, drift, waiting] = await Promise.all([
    client.variables.read(lockPath(stack), { namespace, signal }).catch(() => undefined),
    readStackDrift({
      client,
      stack,
      namespace,
      stampKey: inputs.stampKey,
      cluster,
      signal,
      ...(inputs.inventory ? { inventory: inputs.inventory } : {}),
    }),
    declared.size === 0
      ? new Map<string, Deployment>()
      : waitingDeployments(client, signal).catch(() => new Map<string, Deployment>()),
  ]);
  const notes: StackNote[] = [];
  const locked = Boolean(lock?.body?.Lock);
  if (locked)
    notes.push({
      type: 'stack-locked',
      stack,
      ...(lock!.body!.Items ? { holder: lock!.body!.Items } : {}),
      seenAt: now().toISOString(),
    });
  // The run holding the lock is writing: its registrations are no drift.
  if (!locked) {
    for (const fact of drift.objects) notes.push({ type: 'object-drift', ...fact });
    for (const fact of drift.jobs)
      notes.push({ type: 'job-drift', namespace: fact.namespace, id: fact.id, message: fact.message });
  }
  const found: PlanDrift[] = locked ? [] : planDriftOf(drift, cluster);
  for (const [key, deployment] of waiting) {
    const since = promotionWaitSince(deployment);
    if (!since || !declared.has(key)) continue;
    notes.push({ type: 'promotion-wait', namespace: deployment.Namespace, id: deployment.JobID, since });
  }
  return { notes, drift: found };
}
