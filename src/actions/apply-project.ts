/**
 * apply over a project's clusters: every cluster's stack lock is taken and its plan made at once; the whole plan is
 * shown and approved once; then the clusters roll out in their `after` order, those independent of each other
 * at once (bounded). A cluster starts only when every cluster it comes after succeeded; a failure stops those
 * after it, and each cluster's part says what ran, failed or never started. Each cluster's lock, history and
 * inventory stay in its own Nomad. A project without cluster blocks is applied as one Nomad's plan.
 */
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { ResolveValues } from '../kinds/variable/change.js';
import type { Plan } from '../plan/model.js';
import { withPromotions } from '../plan/promotions.js';
import {
  isPlanned,
  projectHasChanges,
  singlePlan,
  type PlannedPart,
  type ProjectPlan,
} from '../plan/project-plan.js';
import { shownPath } from '../util/shown-path.js';
import { waitingDeployments } from '../watch/waiting-deployments.js';
import {
  applyJobs,
  confirmAndApply,
  savedPlanAmong,
  savedPlanValues,
  type ApplyInputs,
  type RunOptions,
} from './apply-jobs.js';
import type { NomadClient } from '../nomad/client.js';
import type { NomadAccess } from './nomad-access.js';
import type { LockFlags } from './stack-run.js';
import type { ApplyOutcome } from '../apply/types.js';
import { staleChangesOf } from '../apply/apply-plan.js';
import { blockingChecks } from '../plan/check-report.js';
import type { ClusterRun, ProjectApplyOutcome } from '../apply/rollout.js';
import { loadSavedProject } from './plan-file.js';
import { planJobs } from './plan-jobs.js';
import { sharedJobLoader } from './load-jobs.js';
import { runStack } from './stack-run.js';
import { recheckSavedPlan, withChecks } from './plan-checks.js';
import { waitForReplication } from '../watch/wait-replicated.js';
import { resolveClusterWorkspaces, type Workspace } from './workspace.js';

/** What a rollout over clusters needs: how to reach them, how to carry out each plan, and the one approval. */
export type RolloutInputs = NomadAccess &
  Omit<RunOptions, 'confirm' | 'client' | 'resolveValues'> & {
    /** The stack lock (docs/stack-lock.md); without it, none is taken. */
    readonly locking?: LockFlags;
    /** Shown the whole plan (every cluster's); resolves to false to stop before anything is sent. */
    readonly confirmProject: (project: ProjectPlan) => Promise<boolean>;
    /** Independent clusters rolled out at once. Default 4. */
    readonly clusterParallelism?: number;
  };

export type ApplyProjectInputs = ApplyInputs & RolloutInputs;

/** One cluster's plan, made under its lock, and its variables' values (read again at apply, never kept). */
export interface ClusterPrepared {
  readonly plan: Plan;
  readonly resolveValues?: ResolveValues;
}

export type { ClusterRun, ProjectApplyOutcome } from '../apply/rollout.js';

const DEFAULT_CLUSTER_PARALLELISM = 4;

export async function applyProject(inputs: ApplyProjectInputs): Promise<ProjectApplyOutcome> {
  const planFile = savedPlanAmong(inputs);
  const saved = planFile ? loadSavedProject(planFile).project : undefined;
  // A saved plan of one Nomad is applied as one (its project declares no clusters to find it in).
  if (saved && singlePlan(saved)) return { kind: 'one', outcome: await applyJobs(inputs) };
  const workspaces = saved
    ? savedWorkspaces(saved, planFile!, inputs)
    : resolveClusterWorkspaces({ ...inputs, flags: inputs });
  if (!workspaces[0]!.project?.clusters) return { kind: 'one', outcome: await applyJobs(inputs) };
  const loadJobs = sharedJobLoader();
  const savedPart = (cluster: string) =>
    saved?.parts.find((p): p is PlannedPart => isPlanned(p) && p.cluster === cluster);
  return rollOut(inputs, workspaces, {
    prepare: async (workspace, client) => {
      const cluster = workspace.target.name;
      const waiting = inputs.autoPromote ? waitingDeployments(client, inputs.signal) : undefined;
      waiting?.catch(() => {});
      const part = savedPart(cluster);
      const fresh = part ? undefined : await planJobs({ ...inputs, workspace, loadJobs });
      const plan = part?.plan ?? fresh!.plan;
      // As for one Nomad: promotions join before the checks run, and a saved plan's checks run again now.
      const promoting = waiting ? withPromotions(plan, await waiting) : plan;
      return {
        plan: part
          ? recheckSavedPlan(promoting, inputs)
          : promoting === plan
            ? plan
            : withChecks(promoting, fresh!.checks, inputs),
        resolveValues: fresh?.resolveValues ?? savedPlanValues(plan, inputs),
      };
    },
    // A saved plan rolls out in the order it was planned with (a destroy's is the reverse of drover.hcl's).
    afterOf: (workspace) => savedPart(workspace.target.name)?.after ?? workspace.target.after,
    ...(saved?.parts.some((p) => isPlanned(p) && p.plan.settings.destroy)
      ? { waitedFor: DESTROYED_BEFORE }
      : {}),
  });
}

/** A destroy's "not started" reason: the cluster it waited for goes first because it comes after it. */
export const DESTROYED_BEFORE = 'is destroyed before it';

/** How each cluster's plan is made, and the clusters each one waits for. */
export interface RolloutSteps {
  readonly prepare: (workspace: Workspace, client: NomadClient) => Promise<ClusterPrepared>;
  readonly afterOf: (workspace: Workspace) => readonly string[];
  /** How a cluster waited for relates to the one waiting, for its "not started" reason. Default "it comes after". */
  readonly waitedFor?: string;
}

/**
 * Every cluster's lock taken and plan made at once, the whole plan approved once, then the clusters carried out
 * in `afterOf` order (apply, destroy, promote and rollback over a project's clusters).
 */
export function rollOut(
  inputs: RolloutInputs,
  workspaces: readonly Workspace[],
  steps: RolloutSteps,
): Promise<ProjectApplyOutcome> {
  return new ProjectRollout(inputs, workspaces, steps).run();
}

/** The workspace of each cluster a saved plan covers, from the drover.hcl it was planned with. */
function savedWorkspaces(saved: ProjectPlan, planFile: string, inputs: ApplyProjectInputs): Workspace[] {
  const parts = saved.parts.filter(isPlanned);
  const projectFile = parts[0]?.plan.settings.projectFile;
  if (!projectFile)
    throw new UserError(`${shownPath(planFile, inputs.cwd)} has no project file to find its clusters in`, {
      code: 'bad_plan_file',
      hint: 'Plan again with drover plan --out.',
    });
  const workspaces = resolveClusterWorkspaces({
    paths: [dirname(resolve(inputs.cwd, projectFile))],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: {},
    nomad: inputs.nomad,
    clusters: parts.map((p) => p.cluster),
  });
  for (const part of parts) {
    const workspace = workspaces.find((w) => w.target.name === part.cluster)!;
    if (part.plan.settings.address !== workspace.target.address.value)
      throw new UserError(
        `${shownPath(planFile, inputs.cwd)} planned cluster "${part.cluster}" at ${part.plan.settings.address}, but ${projectFile} now puts it at ${workspace.target.address.value}`,
        { code: 'plan_elsewhere', hint: 'Plan again against the clusters as drover.hcl declares them.' },
      );
  }
  return [...workspaces];
}

interface Ready {
  readonly plan: Plan;
  readonly client: NomadClient;
  readonly resolveValues?: ResolveValues;
}

/** The run over the clusters: one runStack each, meeting at the approval, then released in `after` order. */
class ProjectRollout {
  private readonly ready = new Map<string, Ready>();
  private readonly failedEarly = new Map<string, unknown>();
  /** The clusters whose plan a check blocks: none is applied anywhere. */
  private readonly blocked = new Set<string>();
  /** Cluster → why its part of the plan is stale, found before the first write anywhere. */
  private readonly stale = new Map<string, string>();
  private readonly finished = new Map<string, Promise<boolean>>();
  private readonly finish = new Map<string, (ok: boolean) => void>();
  private decide!: (go: 'go' | 'no-changes' | 'declined' | 'refused') => void;
  private giveUp!: (error: unknown) => void;
  private readonly decision: Promise<'go' | 'no-changes' | 'declined' | 'refused'>;
  private slots: number;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly inputs: RolloutInputs,
    private readonly workspaces: readonly Workspace[],
    private readonly steps: RolloutSteps,
  ) {
    this.decision = new Promise((resolveDecision, reject) => {
      this.decide = resolveDecision;
      this.giveUp = reject;
    });
    this.decision.catch(() => {});
    this.slots = inputs.clusterParallelism ?? DEFAULT_CLUSTER_PARALLELISM;
    for (const w of workspaces)
      this.finished.set(w.target.name, new Promise((done) => this.finish.set(w.target.name, done)));
  }

  async run(): Promise<ProjectApplyOutcome> {
    const settled = await Promise.allSettled(this.workspaces.map((w) => this.runCluster(w)));
    // A refused approval (no terminal to ask on) is the run's error, as with one Nomad.
    const approval = await this.decision.then(
      () => undefined,
      (error: unknown) => error,
    );
    if (approval) throw approval;
    const runs = this.workspaces.map((w, i): ClusterRun => {
      const cluster = w.target.name;
      const result = settled[i]!;
      if (result.status === 'rejected') return { cluster, status: 'failed', error: described(result.reason) };
      return result.value;
    });
    const decision = await this.decision;
    return {
      kind: 'clusters',
      ...(this.ready.size === this.workspaces.length ? { project: this.project() } : {}),
      decision: decision === 'go' ? 'applied' : decision,
      runs,
    };
  }

  private async runCluster(workspace: Workspace): Promise<ClusterRun> {
    const { inputs } = this;
    const cluster = workspace.target.name;
    const client = inputs.connect(workspace.target);
    const { settings } = workspace;
    let resolveValues: ResolveValues | undefined;
    try {
      const outcome = await runStack(
        inputs.locking,
        { ...inputs, client, stack: settings.stack, namespace: settings.namespace },
        async () => {
          const prepared = await this.steps.prepare(workspace, client);
          resolveValues = prepared.resolveValues;
          return prepared.plan;
        },
        async (plan, lock): Promise<ApplyOutcome | NotStarted> => {
          const decision = await this.arrive(cluster, { plan, client, resolveValues });
          if (this.blocked.has(cluster)) return { kind: 'refused', plan };
          const stale = this.stale.get(cluster);
          if (stale)
            throw new UserError(
              `the plan is stale in cluster "${cluster}": ${stale}; nothing was applied anywhere`,
              {
                code: 'plan_stale',
                hint: 'Plan again (drover plan --out), review, then apply the new plan.',
              },
            );
          if (decision === 'no-changes') return { kind: 'no-changes', plan };
          if (decision !== 'go') return { kind: 'declined', plan };
          const blocker = await this.blockerOf(workspace);
          if (blocker) return { kind: 'not-started', reason: blocker };
          await this.slot();
          try {
            if (workspace.replicated && workspace.target.federation)
              await waitForReplication(client, workspace.replicated, {
                region: workspace.target.federation.region,
                signal: inputs.signal,
              });
            return await confirmAndApply(
              plan,
              { ...inputs, client, resolveValues, confirm: async () => true },
              lock,
            );
          } finally {
            this.release();
          }
        },
      );
      this.finish.get(cluster)!(
        outcome.kind === 'no-changes' || (outcome.kind === 'applied' && succeeded(outcome)),
      );
      if (outcome.kind === 'not-started') return { cluster, status: 'not-started', reason: outcome.reason };
      return { cluster, status: 'ran', outcome };
    } catch (error) {
      this.finish.get(cluster)!(false);
      if (!this.ready.has(cluster)) {
        // Nothing is written anywhere when a cluster cannot be planned or locked.
        this.failedEarly.set(cluster, error);
        this.decide('refused');
      }
      throw error;
    }
  }

  /** A cluster's plan is made and its lock held: once every cluster is there, the whole plan is approved once. */
  private async arrive(cluster: string, ready: Ready): Promise<'go' | 'no-changes' | 'declined' | 'refused'> {
    this.ready.set(cluster, ready);
    if (this.ready.size === this.workspaces.length && this.failedEarly.size === 0) {
      const project = this.project();
      for (const [name, { plan }] of this.ready)
        if (blockingChecks(plan.checks).length > 0) this.blocked.add(name);
      if (this.blocked.size > 0) this.decide('refused');
      else if (!projectHasChanges(project)) this.decide('no-changes');
      else
        this.inputs
          .confirmProject(project)
          .then(async (yes) => {
            if (!yes) return this.decide('declined');
            await this.findStale();
            this.decide(this.stale.size > 0 ? 'refused' : 'go');
          })
          .catch((error: unknown) => this.giveUp(error));
    }
    return this.decision.catch(() => 'refused' as const);
  }

  /** Every cluster's part is checked before any is applied: a rollout never stops half-way on a stale plan. */
  private async findStale(): Promise<void> {
    await Promise.all(
      [...this.ready].map(async ([cluster, { plan, client, resolveValues }]) => {
        const stale = await staleChangesOf({ client, plan, resolveValues, signal: this.inputs.signal });
        if (stale.size > 0) this.stale.set(cluster, [...stale.values()].join('; '));
      }),
    );
  }

  /** Why the cluster may not start: a cluster it comes after did not succeed (undefined: it may). */
  private async blockerOf(workspace: Workspace): Promise<string | undefined> {
    for (const before of this.steps.afterOf(workspace)) {
      const done = this.finished.get(before);
      if (done && !(await done))
        return `cluster "${before}", which ${this.steps.waitedFor ?? 'it comes after'}, did not succeed`;
    }
    return undefined;
  }

  private project(): ProjectPlan {
    const parts = this.workspaces.map((w) => ({
      cluster: w.target.name,
      after: this.steps.afterOf(w),
      plan: this.ready.get(w.target.name)!.plan,
    }));
    return { parts: [parts[0]!, ...parts.slice(1)] };
  }

  private async slot(): Promise<void> {
    if (this.slots > 0) {
      this.slots--;
      return;
    }
    await new Promise<void>((take) => this.queue.push(take));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.slots++;
  }
}

interface NotStarted {
  readonly kind: 'not-started';
  readonly reason: string;
}

function succeeded(outcome: Extract<ApplyOutcome, { kind: 'applied' }>): boolean {
  return outcome.result.ok && !outcome.result.cancelled && !outcome.lockLost;
}

function described(error: unknown): { message: string; hint?: string; code: string } {
  if (error instanceof UserError)
    return { message: error.message, code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
  throw error;
}
