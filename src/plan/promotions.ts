/**
 * Promotions as plan changes: a job whose spec is unchanged but whose deployment's canaries are healthy and wait
 * for a promotion becomes a `promote` change (apply --auto-promote, drover promote), so that it is shown,
 * carried out in its wave, locked and recorded like any other change.
 */
import type { Deployment } from '../nomad/types.js';
import { changeKey, type JobChange, type Plan } from './model.js';

/**
 * The plan with each unchanged job whose deployment waits (`waiting`, by namespace/job: watch/waiting-deployments.ts)
 * turned into a promote change of that deployment.
 */
export function withPromotions(plan: Plan, waiting: ReadonlyMap<string, Deployment>): Plan {
  if (!plan.changes.some((c) => c.action === 'noop' && waiting.has(changeKey(c)))) return plan;
  return {
    ...plan,
    changes: plan.changes.map((change): JobChange => {
      const deployment = change.action === 'noop' ? waiting.get(changeKey(change)) : undefined;
      return deployment ? { ...change, action: 'promote', deploymentId: deployment.ID } : change;
    }),
  };
}
