import { scrubDeep, secretsOf } from '../plan/mask.js';
import { dirname, resolve } from 'node:path';
import type { ResolveValues } from '../kinds/variable/change.js';
import { estateDesired, refuseInvalidEstate } from './estate-desired.js';
import { applyPlan, type ApplyEvent, type ApplyOptions } from '../apply/apply-plan.js';
import type { ApplyOutcome } from '../apply/types.js';
import { UserError } from '../errors.js';
import { DEFAULT_TARGET_NAME } from '../config/target.js';
import type { NomadClient } from '../nomad/client.js';
import type { Logger } from '../util/logger.js';
import { hasChanges, type Plan } from '../plan/model.js';
import { withPromotions } from '../plan/promotions.js';
import { waitingDeployments } from '../watch/waiting-deployments.js';
import { shownPath } from '../util/shown-path.js';
import { targetOf } from './nomad-access.js';
import { isPlanFile, loadPlanFile } from './plan-file.js';
import { planJobs, type PlanInputs } from './plan-jobs.js';
import { runStack, type LockFlags } from './stack-run.js';
import { resolveWorkspace } from './workspace.js';
import { recheckSavedPlan, withChecks } from './plan-checks.js';
import { blockingChecks } from '../plan/check-report.js';
import type { StackLock } from '../lock/stack-lock.js';

export interface ApplyInputs extends PlanInputs {
  /** --cluster (apply-project.ts): the clusters of drover.hcl to apply; refused beside a saved plan. */
  readonly clusters?: readonly string[];
  readonly autoPromote?: boolean;
  readonly rollback?: boolean;
  readonly detach?: boolean;
  readonly timeoutMs?: number;
  /** Jobs registered and watched at once within a wave. */
  readonly parallelism?: number;
  /** One event stream for every job (default), or a blocking query per object. */
  readonly watchWith?: 'blocking' | 'events';
  /** Hears of a fall-back from the event stream to blocking queries. */
  readonly logger?: Logger;
  /** Shown the plan; resolves to false to stop before anything is sent. */
  readonly confirm: (plan: Plan) => Promise<boolean>;
  readonly emit: (event: ApplyEvent) => void;
  /** Leave the plan's secrets in what the run reports (--show-sensitive). */
  readonly showSensitive?: boolean;
  /** The stack lock (docs/stack-lock.md); without it, none is taken. */
  readonly locking?: LockFlags;
}

export type { ApplyOutcome } from '../apply/types.js';

/**
 * The stack lock is taken while the plan is made (no round trip added) and held through the approval and the
 * apply; a plan made while another run held the lock is made again once it is ours.
 */
export async function applyJobs(inputs: ApplyInputs): Promise<ApplyOutcome> {
  const planFile = savedPlanAmong(inputs);
  const saved = planFile ? savedPlanFor(planFile, inputs) : undefined;
  const workspace = saved ? undefined : resolveWorkspace({ ...inputs, flags: inputs });
  const client = saved?.client ?? inputs.connect(workspace!.target);
  const scope = saved?.plan.settings ?? workspace!.settings;
  let resolveValues: ResolveValues | undefined;
  return runStack(
    inputs.locking,
    { ...inputs, client, stack: scope.stack, namespace: scope.namespace },
    async () => {
      // The running deployments are read beside the plan: with --auto-promote, an unchanged job whose canaries
      // wait is promoted too (the plan shows it as a promote change).
      const waiting = inputs.autoPromote ? waitingDeployments(client, inputs.signal) : undefined;
      waiting?.catch(() => {});
      const fresh = saved ? undefined : await planJobs({ ...inputs, workspace });
      const plan = saved?.plan ?? fresh!.plan;
      resolveValues = fresh?.resolveValues ?? savedPlanValues(plan, inputs);
      // Promotions join the plan before its checks run: they see them.
      const promoting = waiting ? withPromotions(plan, await waiting) : plan;
      // A saved plan's checks run again now, as its project declares them now.
      if (saved) return recheckSavedPlan(promoting, inputs);
      return promoting === plan ? plan : withChecks(promoting, fresh!.checks, inputs);
    },
    (planned, lock) => confirmAndApply(planned, { ...inputs, client, resolveValues }, lock),
  );
}

/** How a plan is carried out once made: nothing to do, or shown and confirmed, then applied. */
export type RunOptions = Omit<ApplyOptions, 'plan' | 'emit'> & {
  readonly confirm: (plan: Plan) => Promise<boolean>;
  readonly emit: (event: ApplyEvent) => void;
  /** Leave the plan's secrets in what the run reports (--show-sensitive); by default they are scrubbed out. */
  readonly showSensitive?: boolean;
};

/** The steps apply, destroy, promote and rollback share after planning; a lost stack lock stops them as Ctrl-C would. */
export async function confirmAndApply(
  plan: Plan,
  options: RunOptions,
  lock?: StackLock,
): Promise<ApplyOutcome> {
  // A blocking check stops the run before it is confirmed, and before any write.
  if (blockingChecks(plan.checks).length > 0) return { kind: 'refused', plan };
  if (!hasChanges(plan)) return { kind: 'no-changes', plan };
  if (!(await options.confirm(plan))) return { kind: 'declined', plan };
  // Whether deletes purge is the plan's to say (a saved plan carries it).
  const { confirm: _confirm, purge: _purge, showSensitive, ...applyOptions } = options;
  const signal =
    lock && options.signal ? AbortSignal.any([options.signal, lock.lost]) : (lock?.lost ?? options.signal);
  // What Nomad and the tasks say (a failing task's stderr, driver errors) is scrubbed of the plan's secrets, and
  // of every value of the variables it writes (a template may render one into a task's output).
  const secrets = showSensitive
    ? undefined
    : secretsOf(plan, await writtenValues(plan, options.resolveValues));
  const scrub = <T>(value: T): T => (secrets ? scrubDeep(value, secrets) : value);
  const result = scrub(
    await applyPlan({
      ...applyOptions,
      plan,
      signal,
      beforeWrite: lock?.confirmHeld,
      emit: (event) => options.emit(scrub(event)),
    }),
  );
  return { kind: 'applied', plan, result, ...(lock?.lost.aborted ? { lockLost: true } : {}) };
}

async function writtenValues(plan: Plan, resolveValues: ResolveValues | undefined): Promise<string[]> {
  if (!resolveValues) return [];
  const values: string[] = [];
  for (const change of plan.changes)
    if (change.kind === 'variable' && change.action !== 'noop' && change.action !== 'delete')
      values.push(...Object.values((await resolveValues(change.address)) ?? {}));
  return values;
}

/** The flags that shape a plan: a saved plan is applied as it was made, so these are refused beside it. */
const PLAN_SHAPING: ReadonlyArray<[string, (inputs: ApplyInputs) => boolean]> = [
  ['--var', (i) => (i.vars?.length ?? 0) > 0],
  ['--var-file', (i) => (i.varFiles?.length ?? 0) > 0],
  ['--target', (i) => (i.targets?.length ?? 0) > 0],
  ['--stack', (i) => i.stack !== undefined],
  ['--prune', (i) => i.prune !== undefined],
  ['--namespace', (i) => i.nomad?.namespace !== undefined],
  ['--region', (i) => i.nomad?.region !== undefined],
  ['--cluster', (i) => (i.clusters?.length ?? 0) > 0],
  ['--preserve-counts', (i) => Boolean(i.preserveCounts)],
  ['--purge', (i) => Boolean(i.purge)],
  ['--read-only', (i) => Boolean(i.readOnly)],
  ['--dangerously-prune-everything', (i) => Boolean(i.dangerouslyPruneEverything)],
];

/**
 * The values of a saved plan's variables are read again from its project (drover.hcl's var files and
 * NOMAD_VAR_*): the plan holds digests only, and apply refuses a value that differs from what was planned.
 */
export function savedPlanValues(plan: Plan, inputs: ApplyInputs): ResolveValues {
  const writes = plan.changes.some(
    (c) => c.kind === 'variable' && c.action !== 'delete' && c.action !== 'noop',
  );
  if (!writes || !plan.settings.projectFile) return () => undefined;
  const workspace = resolveWorkspace({
    paths: [dirname(resolve(inputs.cwd, plan.settings.projectFile))],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: {},
    nomad: inputs.nomad,
    clusters: plan.settings.cluster === DEFAULT_TARGET_NAME ? undefined : [plan.settings.cluster],
  });
  refuseInvalidEstate(workspace.estate, workspace.settings.maskPatterns, 'apply the plan again');
  return estateDesired(workspace.estate, { prune: false, partial: false }).resolveValues;
}

/** A saved plan among the paths (known by its content, whatever its name); it must stand alone. */
export function savedPlanAmong(inputs: ApplyInputs): string | undefined {
  const plans = inputs.paths.filter((p) => isPlanFile(resolve(inputs.cwd, p)));
  if (plans.length === 0) return undefined;
  const path = plans[0]!;
  const others = inputs.paths.filter((p) => p !== path);
  if (others.length > 0)
    throw new UserError(`${path} is a saved plan; it is applied on its own, not with ${others.join(', ')}`, {
      code: 'plan_file_with_paths',
      hint: `Run drover apply ${path} alone, or plan the job files again.`,
    });
  const shaping = PLAN_SHAPING.filter(([, given]) => given(inputs)).map(([flag]) => flag);
  if (shaping.length > 0)
    throw new UserError(
      `${path} is a saved plan, applied exactly as planned: ${shaping.join(', ')} would change it`,
      {
        code: 'plan_file_with_flags',
        hint: `Give ${shaping.length === 1 ? 'that flag' : 'those flags'} to drover plan --out instead, then apply the new plan.`,
      },
    );
  return resolve(inputs.cwd, path);
}

/**
 * A saved plan and the client it is applied with: the Nomad of the flags and the environment, with the plan's
 * namespace and region standing for the drover.hcl it was planned with.
 */
function savedPlanFor(path: string, inputs: ApplyInputs): { plan: Plan; client: NomadClient } {
  const { plan } = loadPlanFile(path);
  const { namespace, region } = plan.settings;
  const target = targetOf(inputs, { source: shownPath(path, inputs.cwd), namespace, region });
  const client = inputs.connect(target);
  if (plan.settings.address !== client.address)
    throw new UserError(`${path} was planned against ${plan.settings.address}, not ${client.address}`, {
      code: 'plan_elsewhere',
      hint: 'Point NOMAD_ADDR (or --address) at the cluster the plan was made for, or plan again.',
    });
  return { plan, client };
}
