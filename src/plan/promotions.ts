/**
 * Promotions as plan changes: a job whose spec is unchanged but whose deployment's canaries are healthy and wait
 * for a promotion becomes a `promote` change (apply --auto-promote, drover promote), so that it is shown,
 * carried out in its wave, locked and recorded like any other change.
 */
import type { Deployment } from '../nomad/types.js';
import type { Change, Plan } from './model.js';

/**
 * The plan with each unchanged job whose deployment waits (`waiting`, by namespace/job: watch/waiting-deployments.ts)
 * turned into a promote change of that deployment.
 */
export function withPromotions(plan: Plan, waiting: ReadonlyMap<string, Deployment>): Plan {
  const waitingFor = (change: Change) =>
    change.kind === 'job' && change.action === 'noop'
      ? waiting.get(`${change.address.namespace}/${change.address.name}`)
      : undefined;
  if (!plan.changes.some(waitingFor)) return plan;
  return {
    ...plan,
    changes: plan.changes.map((change): Change => {
      const deployment = waitingFor(change);
      if (!deployment || change.kind !== 'job') return change;
      const { kind, address, wave, dependsOn, file, jobModifyIndex, notes } = change;
      return {
        kind,
        address,
        wave,
        ...(dependsOn ? { dependsOn } : {}),
        ...(file ? { file } : {}),
        jobModifyIndex,
        notes,
        action: 'promote',
        deploymentId: deployment.ID,
      };
    }),
  };
}
