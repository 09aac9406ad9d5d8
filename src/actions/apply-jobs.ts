import { applyPlan, type ApplyEvent, type ApplyResult } from '../apply/apply-plan.js';
import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { hasChanges, type Plan } from '../plan/model.js';
import { loadPlanFile } from './plan-file.js';
import { planJobs, type PlanInputs } from './plan-jobs.js';

export interface ApplyInputs extends PlanInputs {
  /** A saved plan to apply as it is, instead of planning the paths. */
  readonly planFile?: string;
  readonly purge?: boolean;
  readonly autoPromote?: boolean;
  readonly rollback?: boolean;
  readonly detach?: boolean;
  readonly timeoutMs?: number;
  /** Jobs registered and watched at once within a wave. */
  readonly parallelism?: number;
  /** A blocking query per object, or one event stream for every job. */
  readonly watchWith?: 'blocking' | 'events';
  /** Shown the plan; resolves to false to stop before anything is sent. */
  readonly confirm: (plan: Plan) => Promise<boolean>;
  readonly emit: (event: ApplyEvent) => void;
}

export type ApplyOutcome =
  | { readonly kind: 'no-changes'; readonly plan: Plan }
  | { readonly kind: 'declined'; readonly plan: Plan }
  | { readonly kind: 'applied'; readonly plan: Plan; readonly result: ApplyResult };

export async function applyJobs(inputs: ApplyInputs): Promise<ApplyOutcome> {
  const plan = inputs.planFile ? savedPlanFor(inputs.planFile, inputs.client) : (await planJobs(inputs)).plan;
  if (!hasChanges(plan)) return { kind: 'no-changes', plan };
  if (!(await inputs.confirm(plan))) return { kind: 'declined', plan };
  const result = await applyPlan({
    client: inputs.client,
    plan,
    purge: inputs.purge,
    autoPromote: inputs.autoPromote,
    rollback: inputs.rollback,
    detach: inputs.detach,
    timeoutMs: inputs.timeoutMs,
    parallelism: inputs.parallelism,
    watchWith: inputs.watchWith,
    signal: inputs.signal,
    emit: inputs.emit,
  });
  return { kind: 'applied', plan, result };
}

function savedPlanFor(path: string, client: NomadClient): Plan {
  const { plan } = loadPlanFile(path);
  if (plan.settings.address !== client.address)
    throw new UserError(`${path} was planned against ${plan.settings.address}, not ${client.address}`, {
      code: 'plan_elsewhere',
      hint: 'Point NOMAD_ADDR (or --address) at the cluster the plan was made for, or plan again.',
    });
  return plan;
}
