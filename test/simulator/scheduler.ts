/**
 * The simulated scheduler and deployment watcher. An evaluation is planned after `schedulerMs`: allocations are
 * placed, updated in place, or replaced (rolling by max_parallel, canaries first when the update asks for them);
 * deployments track health, wait for promotion, fail on unhealthy allocations or the progress deadline, and
 * auto-revert to the last stable version. Scripted failures decide what goes wrong.
 */
import type {
  AllocMetric,
  Allocation,
  Deployment,
  DeploymentState,
  Evaluation,
  Job,
  NomadEvent,
  TaskGroup,
} from '../../src/nomad/types.js';
import { multierror, sameSpec } from './canonicalize.js';
import { ClientRunner, allocWrite, type ClientCallbacks } from './client-runner.js';
import { RpcError, type SimContext } from './context.js';
import { diffJobs, groupChangeKind } from './job-diff.js';
import { evalEvent, markStable, registerJob } from './job-operations.js';
import {
  MS,
  isClientTerminal,
  isTerminalDeployment,
  newAllocation,
  newDeployment,
  newEvaluation,
} from './objects.js';
import { failureMetric } from './placement-failure.js';
import { findScript } from './scripts.js';
import type { JobRecord, SimNode, Store, WriteResult } from './store.js';

type Obj = Record<string, unknown>;

interface Placement {
  group: TaskGroup;
  nameIndex: number;
  node: SimNode;
  canary: boolean;
  previous?: Allocation;
}

export function deploymentEvent(type: string, deployment: Deployment): Omit<NomadEvent, 'Index'> {
  return {
    Topic: 'Deployment',
    Type: type,
    Key: deployment.ID,
    Namespace: deployment.Namespace,
    FilterKeys: [deployment.JobID],
    Payload: { Deployment: deployment },
  };
}

function deploymentWrite(deployment: Deployment, type: string): WriteResult {
  return {
    tables: ['deployment'],
    keys: [`deployment:${deployment.ID}`, `deployments:${deployment.Namespace}/${deployment.JobID}`],
    events: [deploymentEvent(type, deployment)],
  };
}

/** A deployment's status (and description) changes in one write, stamped with the write's index. */
function setDeploymentStatus(
  store: Store,
  deployment: Deployment,
  change: Partial<Pick<Deployment, 'Status' | 'StatusDescription'>>,
  index: number,
  nowMs: number,
  eventType = 'DeploymentStatusUpdate',
): WriteResult {
  const updated = { ...deployment, ...change, ModifyIndex: index, ModifyTime: nowMs * MS };
  store.deployments.set(updated.ID, updated);
  return deploymentWrite(updated, eventType);
}

function mergeWrites(...writes: WriteResult[]): WriteResult {
  return {
    tables: [...new Set(writes.flatMap((w) => w.tables ?? []))],
    keys: [...new Set(writes.flatMap((w) => w.keys ?? []))],
    events: writes.flatMap((w) => w.events ?? []),
  };
}

function evalWrite(evaluation: Evaluation, type: string): WriteResult {
  return {
    tables: ['evals'],
    keys: [`eval:${evaluation.ID}`, `evals:${evaluation.Namespace}/${evaluation.JobID}`],
    events: [evalEvent(type, evaluation)],
  };
}

const usesDeployments = (job: Job) =>
  job.Type === 'service' &&
  (job.TaskGroups ?? []).some((g) => Number((g.Update as Obj | null)?.MaxParallel ?? 0) > 0);

export class Scheduler implements ClientCallbacks {
  readonly client: ClientRunner;
  private readonly deadlines = new Map<string, () => void>();

  constructor(private readonly ctx: SimContext) {
    this.client = new ClientRunner(ctx, this);
  }

  enqueue(evalId: string): void {
    this.ctx.clock.after(this.ctx.timings.schedulerMs, () => this.process(evalId));
  }

  process(evalId: string): void {
    const { store } = this.ctx;
    const evaluation = store.evals.get(evalId);
    if (!evaluation || evaluation.Status !== 'pending') return;
    const record = store.job(evaluation.Namespace ?? 'default', evaluation.JobID ?? '');
    if (!record || record.job.Stop) return this.stopJob(evaluation);
    this.reconcile(evaluation, record);
  }

  // --- the reconciler ---------------------------------------------------------------------------------------

  private reconcile(evaluation: Evaluation, record: JobRecord): void {
    const { store } = this.ctx;
    const job = record.job;
    const version = job.Version ?? 0;
    const scripts = this.ctx.scripts.get(job.ID ?? '') ?? [];
    const perNode = job.Type === 'system' || job.Type === 'sysbatch';
    const batchLike = job.Type === 'batch' || job.Type === 'sysbatch';
    const allocs = store.allocsOfJob(record.namespace, record.id);
    const live = allocs.filter((a) => a.DesiredStatus === 'run' && !isClientTerminal(a));

    // As Nomad's reconciler: a deployment of another version or of an earlier incarnation of the job (purged,
    // then registered again) is not this one's.
    const deployments = store.deploymentsOfJob(record.namespace, record.id);
    const cancelled = deployments.filter(
      (d) => !isTerminalDeployment(d) && (d.JobVersion !== version || d.JobCreateIndex !== job.CreateIndex),
    );
    const current = deployments.filter((d) => d.JobCreateIndex === job.CreateIndex);
    let deployment =
      current.find((d) => d.JobVersion === version && d.JobModifyIndex === job.ModifyIndex) ??
      current.find((d) => d.JobVersion === version);
    const rollingHalted =
      deployment !== undefined &&
      (deployment.Status === 'failed' || deployment.Status === 'paused' || deployment.Status === 'cancelled');

    const placements: Placement[] = [];
    const stops: Array<{ alloc: Allocation; description: string }> = [];
    const inPlace: Allocation[] = [];
    const failed: Record<string, AllocMetric> = {};
    const queued: Record<string, number> = {};
    const canaryPlan: Record<string, number> = {};
    const jobDiffs = new Map<number, ReturnType<typeof diffJobs>>();
    const diffAgainst = (old: Job) => {
      const v = old.Version ?? 0;
      if (!jobDiffs.has(v)) jobDiffs.set(v, diffJobs(old, job));
      return jobDiffs.get(v)!;
    };

    for (const alloc of live)
      if (!job.TaskGroups?.some((g) => g.Name === alloc.TaskGroup))
        stops.push({ alloc, description: 'alloc not needed due to job update' });

    for (const group of job.TaskGroups ?? []) {
      const nodes = this.ctx.store.nodes;
      const wanted = perNode ? nodes.length : (group.Count ?? 1);
      const groupLive = live.filter((a) => a.TaskGroup === group.Name);
      const done = batchLike
        ? allocs.filter(
            // Nomad's reconciler ignores terminal batch allocations of an older version or job incarnation.
            (a) =>
              a.TaskGroup === group.Name &&
              a.Job?.Version === version &&
              (a.Job?.CreateIndex ?? 0) >= (job.CreateIndex ?? 0) &&
              a.ClientStatus === 'complete',
          ).length
        : 0;
      const unplaceable = findScript(
        scripts,
        ['unplaceable-resources', 'unplaceable-constraint'],
        version,
        group.Name,
      );
      const current: Allocation[] = [];
      const outdated: Allocation[] = [];
      for (const alloc of groupLive) {
        if (alloc.Job?.Version === version) current.push(alloc);
        else {
          const kind = groupChangeKind(
            diffAgainst(alloc.Job!).TaskGroups?.find((g) => g.Name === group.Name),
            diffAgainst(alloc.Job!),
          );
          if (kind === 'destructive' || batchLike) outdated.push(alloc);
          else {
            inPlace.push(alloc);
            current.push(alloc);
          }
        }
      }
      const update = (group.Update ?? {}) as Obj;
      const state = deployment?.TaskGroups[group.Name];
      // Canaries run beside the old allocations until promoted; only then do they count toward the group's count.
      const waitingCanaries = state?.Promoted ? [] : current.filter((a) => a.DeploymentStatus?.Canary);
      const counted = current.filter((a) => !waitingCanaries.includes(a));
      const byIndexDesc = (a: Allocation, b: Allocation) => nameIndex(b) - nameIndex(a);
      let excess = counted.length + outdated.length + done - wanted;
      // An old allocation whose name a promoted canary now holds goes first.
      const taken = new Set(counted.map(nameIndex));
      const stopOrder = [...outdated].sort(
        (a, b) => Number(taken.has(nameIndex(b))) - Number(taken.has(nameIndex(a))) || byIndexDesc(a, b),
      );
      for (const alloc of [...stopOrder, ...counted.sort(byIndexDesc)]) {
        if (excess-- <= 0) break;
        for (const list of [outdated, counted, inPlace])
          if (list.includes(alloc)) list.splice(list.indexOf(alloc), 1);
        stops.push({ alloc, description: 'alloc not needed due to job update' });
      }
      const missing = Math.max(0, wanted - counted.length - outdated.length - done);
      if (unplaceable) {
        if (missing + outdated.length > 0) {
          failed[group.Name] = failureMetric(
            this.ctx,
            job,
            group,
            unplaceable.kind,
            missing + outdated.length,
          );
          queued[group.Name] = missing + outdated.length;
        }
        continue;
      }
      const canaries = job.Type === 'service' && outdated.length > 0 ? Number(update.Canary ?? 0) : 0;
      const freeIndexes = freeNameIndexes([...counted, ...outdated], missing);
      const nodeFor = (i: number) => nodes[i % nodes.length]!;
      outdated.sort((a, b) => nameIndex(a) - nameIndex(b));

      if (canaries > 0 && !state?.Promoted) {
        canaryPlan[group.Name] = canaries;
        if (!rollingHalted)
          for (let i = waitingCanaries.length; i < canaries; i++) {
            const idx = nameIndex(outdated[i % outdated.length]!);
            placements.push({ group, nameIndex: idx, node: nodeFor(idx), canary: true });
          }
      } else if (!rollingHalted || !usesDeployments(job)) {
        const maxParallel = Number(update.MaxParallel ?? 0);
        const inFlight = counted.filter(
          (a) => a.DeploymentID === deployment?.ID && a.DeploymentStatus?.Healthy !== true,
        ).length;
        const budget =
          usesDeployments(job) && maxParallel > 0 ? Math.max(0, maxParallel - inFlight) : outdated.length;
        for (const alloc of outdated.slice(0, budget)) {
          stops.push({ alloc, description: 'alloc is being updated due to job update' });
          const node = perNode
            ? (nodes.find((n) => n.ID === alloc.NodeID) ?? nodeFor(0))
            : nodeFor(nameIndex(alloc));
          placements.push({ group, nameIndex: nameIndex(alloc), node, canary: false, previous: alloc });
        }
      }
      if (perNode) {
        const covered = new Set([...current, ...outdated].map((a) => a.NodeID));
        nodes
          .filter((n) => !covered.has(n.ID))
          .forEach((node) => placements.push({ group, nameIndex: 0, node, canary: false }));
      } else
        for (let i = 0; i < missing; i++)
          placements.push({
            group,
            nameIndex: freeIndexes[i]!,
            node: nodeFor(freeIndexes[i]!),
            canary: false,
          });
    }

    // Nomad creates the deployment with the plan even when some placements fail; its progress deadline then runs.
    const needsDeployment =
      usesDeployments(job) &&
      !deployment &&
      (placements.length > 0 || inPlace.length > 0 || Object.keys(failed).length > 0);
    const placedAllocs: Allocation[] = [];
    const inPlaceUpdated: Allocation[] = [];
    let blocked: Evaluation | undefined;
    store.write((index) => {
      const now = this.ctx.clock.now();
      const writes: WriteResult[] = [];
      for (const old of cancelled)
        writes.push(
          setDeploymentStatus(
            store,
            old,
            { Status: 'cancelled', StatusDescription: 'Cancelled due to newer version of job' },
            index,
            now,
          ),
        );
      if (needsDeployment) {
        const groups: Record<string, DeploymentState> = {};
        for (const group of job.TaskGroups ?? []) {
          const update = (group.Update ?? {}) as Obj;
          groups[group.Name] = {
            AutoRevert: Boolean(update.AutoRevert),
            AutoPromote: Boolean(update.AutoPromote),
            ProgressDeadline: Number(update.ProgressDeadline ?? 600e9),
            RequireProgressBy: new Date(now + Number(update.ProgressDeadline ?? 600e9) / MS).toISOString(),
            Promoted: false,
            PlacedCanaries: null,
            DesiredCanaries: canaryPlan[group.Name] ?? 0,
            DesiredTotal: group.Count ?? 1,
            PlacedAllocs: 0,
            HealthyAllocs: 0,
            UnhealthyAllocs: 0,
          };
        }
        deployment = newDeployment(job, index, now, groups);
        if (Object.values(canaryPlan).some((n) => n > 0))
          deployment.StatusDescription = 'Deployment is running';
      }
      if (deployment && !isTerminalDeployment(deployment)) {
        deployment = structuredClone(deployment);
        evaluation.DeploymentID = deployment.ID;
      }
      for (const { alloc, description } of stops) {
        const stopped = {
          ...alloc,
          DesiredStatus: 'stop' as const,
          DesiredDescription: description,
          ModifyIndex: index,
          AllocModifyIndex: index,
          ModifyTime: now * MS,
        };
        store.allocs.set(alloc.ID, stopped);
        writes.push(allocWrite(stopped, 'PlanResult'));
      }
      for (const alloc of inPlace) {
        const updated: Allocation = {
          ...alloc,
          Job: job,
          DesiredDescription: '',
          DeploymentID: deployment?.ID ?? alloc.DeploymentID,
          DeploymentStatus: deployment ? undefined : alloc.DeploymentStatus,
          ModifyIndex: index,
          AllocModifyIndex: index,
          ModifyTime: now * MS,
        };
        store.allocs.set(alloc.ID, updated);
        inPlaceUpdated.push(updated);
        if (deployment?.TaskGroups[alloc.TaskGroup ?? ''])
          deployment.TaskGroups[alloc.TaskGroup!]!.PlacedAllocs++;
        writes.push(allocWrite(updated, 'PlanResult'));
      }
      for (const placement of placements) {
        const alloc = newAllocation(job, placement.group.Name, placement.nameIndex, placement.node, {
          evalId: evaluation.ID,
          deploymentId: deployment && !isTerminalDeployment(deployment) ? deployment.ID : undefined,
          canary: placement.canary,
          previousAllocation: placement.previous?.ID,
          index,
          nowMs: now,
        });
        if (placement.previous)
          store.allocs.set(placement.previous.ID, {
            ...store.allocs.get(placement.previous.ID)!,
            NextAllocation: alloc.ID,
          });
        store.allocs.set(alloc.ID, alloc);
        placedAllocs.push(alloc);
        const state = deployment?.TaskGroups[placement.group.Name];
        if (state && !isTerminalDeployment(deployment!)) {
          state.PlacedAllocs++;
          if (placement.canary) state.PlacedCanaries = [...(state.PlacedCanaries ?? []), alloc.ID];
        }
        writes.push(allocWrite(alloc, 'PlanResult'));
      }
      if (deployment && !isTerminalDeployment(deployment)) {
        deployment.ModifyIndex = index;
        deployment.ModifyTime = now * MS;
        store.deployments.set(deployment.ID, deployment);
        writes.push(deploymentWrite(deployment, 'PlanResult'));
      }
      if (Object.keys(failed).length > 0) {
        blocked = newEvaluation(job, index, now, {
          triggeredBy: evaluation.TriggeredBy ?? 'job-register',
          status: 'blocked',
          statusDescription: 'created to place remaining allocations',
          previousEval: evaluation.ID,
        });
        blocked.QueuedAllocations = queued;
        store.evals.set(blocked.ID, blocked);
        evaluation.FailedTGAllocs = failed;
        evaluation.BlockedEval = blocked.ID;
        writes.push(evalWrite(blocked, 'PlanResult'));
      }
      evaluation.QueuedAllocations = Object.fromEntries(
        (job.TaskGroups ?? []).map((g) => [g.Name, queued[g.Name] ?? 0]),
      );
      // What this evaluation did, group by group, as Nomad records the plan's annotations on it.
      evaluation.PlanAnnotations = {
        DesiredTGUpdates: Object.fromEntries(
          (job.TaskGroups ?? []).map((g) => {
            const stopped = stops.filter((s) => s.alloc.TaskGroup === g.Name).length;
            const updated = inPlace.filter((a) => a.TaskGroup === g.Name).length;
            const kept = live.filter((a) => a.TaskGroup === g.Name).length - stopped - updated;
            return [
              g.Name,
              {
                Ignore: Math.max(0, kept),
                Place: placements.filter((p) => p.group.Name === g.Name).length,
                Migrate: 0,
                Stop: stopped,
                InPlaceUpdate: updated,
                DestructiveUpdate: 0,
                Canary: placements.filter((p) => p.group.Name === g.Name && p.canary).length,
                Preemptions: 0,
                Disconnect: 0,
                Reconnect: 0,
                RescheduleNow: 0,
                RescheduleLater: 0,
              },
            ];
          }),
        ),
        PreemptedAllocs: null,
      };
      evaluation.SnapshotIndex = index - 1;
      evaluation.Status = 'complete';
      evaluation.ModifyIndex = index;
      evaluation.ModifyTime = now * MS;
      writes.push(evalWrite(evaluation, 'PlanResult'));
      return mergeWrites(...writes);
    });
    for (const alloc of placedAllocs) this.client.start(alloc);
    for (const { alloc } of stops) this.client.stop(alloc);
    for (const alloc of inPlaceUpdated) this.client.restartHealth(alloc);
    if (deployment && !isTerminalDeployment(deployment)) {
      this.armProgressDeadline(deployment.ID);
      if (placedAllocs.length === 0 && inPlaceUpdated.length === 0) this.checkDeployment(deployment.ID);
    }
  }

  private stopJob(evaluation: Evaluation): void {
    const { store } = this.ctx;
    const namespace = evaluation.Namespace ?? 'default';
    const live = store
      .allocsOfJob(namespace, evaluation.JobID ?? '')
      .filter((a) => a.DesiredStatus === 'run' && !isClientTerminal(a));
    store.write((index) => {
      const now = this.ctx.clock.now();
      const writes: WriteResult[] = [];
      for (const d of store
        .deploymentsOfJob(namespace, evaluation.JobID ?? '')
        .filter((d) => !isTerminalDeployment(d)))
        writes.push(
          setDeploymentStatus(
            store,
            d,
            { Status: 'cancelled', StatusDescription: 'Cancelled because job is stopped' },
            index,
            now,
          ),
        );
      for (const alloc of live) {
        const stopped = {
          ...alloc,
          DesiredStatus: 'stop' as const,
          DesiredDescription: 'alloc not needed due to job update',
          ModifyIndex: index,
          AllocModifyIndex: index,
          ModifyTime: now * MS,
        };
        store.allocs.set(alloc.ID, stopped);
        writes.push(allocWrite(stopped, 'PlanResult'));
      }
      evaluation.Status = 'complete';
      evaluation.ModifyIndex = index;
      evaluation.ModifyTime = now * MS;
      writes.push(evalWrite(evaluation, 'PlanResult'));
      return mergeWrites(...writes);
    });
    for (const alloc of live) this.client.stop(alloc);
  }

  /** POST /v1/allocation/:id/stop: the allocation stops and a follow-up eval replaces it. */
  stopAllocation(alloc: Allocation): { EvalID: string; Index: number } {
    const { store } = this.ctx;
    const record = store.job(alloc.Namespace ?? 'default', alloc.JobID ?? '');
    let evaluation: Evaluation | undefined;
    const index = store.write((index) => {
      const now = this.ctx.clock.now();
      const stopped = {
        ...alloc,
        DesiredStatus: 'stop' as const,
        DesiredDescription: 'alloc was stopped by the user',
        DesiredTransition: { Migrate: true },
        ModifyIndex: index,
        ModifyTime: now * MS,
      };
      store.allocs.set(alloc.ID, stopped);
      const writes: WriteResult[] = [allocWrite(stopped, 'AllocationUpdateDesiredStatus')];
      if (record) {
        evaluation = newEvaluation(record.job, index, now, { triggeredBy: 'alloc-stop' });
        store.evals.set(evaluation.ID, evaluation);
        writes.push(evalWrite(evaluation, 'AllocationUpdateDesiredStatus'));
      }
      return mergeWrites(...writes);
    });
    this.client.stop(alloc);
    if (evaluation) this.enqueue(evaluation.ID);
    return { EvalID: evaluation?.ID ?? '', Index: index };
  }

  // --- deployment watcher ------------------------------------------------------------------------------------

  onHealth(alloc: Allocation, healthy: boolean): void {
    const { store } = this.ctx;
    const deploymentId = alloc.DeploymentID ?? '';
    store.write((index) => {
      const now = this.ctx.clock.now();
      const updated: Allocation = {
        ...alloc,
        DeploymentStatus: {
          Healthy: healthy,
          Timestamp: new Date(now).toISOString(),
          Canary: Boolean(alloc.DeploymentStatus?.Canary),
          ModifyIndex: index,
        },
        ModifyIndex: index,
        ModifyTime: now * MS,
      };
      store.allocs.set(alloc.ID, updated);
      const writes: WriteResult[] = [allocWrite(updated, 'DeploymentAllocHealth')];
      const deployment = store.deployments.get(deploymentId);
      if (deployment && !isTerminalDeployment(deployment)) {
        const copy = structuredClone(deployment);
        const state = copy.TaskGroups[alloc.TaskGroup ?? ''];
        if (state) {
          if (healthy) {
            state.HealthyAllocs++;
            state.RequireProgressBy = new Date(now + state.ProgressDeadline / MS).toISOString();
          } else state.UnhealthyAllocs++;
        }
        copy.ModifyIndex = index;
        copy.ModifyTime = now * MS;
        store.deployments.set(copy.ID, copy);
        writes.push(deploymentWrite(copy, 'DeploymentAllocHealth'));
      }
      return mergeWrites(...writes);
    });
    this.armProgressDeadline(deploymentId);
    this.checkDeployment(deploymentId);
  }

  onTerminal(alloc: Allocation): void {
    if (
      alloc.ClientStatus === 'failed' &&
      alloc.DesiredStatus === 'run' &&
      alloc.DeploymentStatus?.Healthy !== false
    ) {
      const deployment = this.ctx.store.deployments.get(alloc.DeploymentID ?? '');
      if (deployment && !isTerminalDeployment(deployment)) return this.onHealth(alloc, false);
    }
  }

  private checkDeployment(deploymentId: string): void {
    const { store } = this.ctx;
    const deployment = store.deployments.get(deploymentId);
    if (!deployment || isTerminalDeployment(deployment) || deployment.Status === 'paused') return;
    const groups = Object.entries(deployment.TaskGroups);
    if (groups.some(([, s]) => s.UnhealthyAllocs > 0)) {
      this.fail(deploymentId, 'Failed due to unhealthy allocations');
      return;
    }
    const allocs = store
      .allocsOfJob(deployment.Namespace, deployment.JobID)
      .filter((a) => a.DesiredStatus === 'run' && !isClientTerminal(a));
    const awaiting = groups.filter(([, s]) => s.DesiredCanaries > 0 && !s.Promoted);
    if (awaiting.length > 0) {
      const ready = awaiting.every(
        ([name, s]) => healthyCanaries(allocs, deploymentId, name) >= s.DesiredCanaries,
      );
      if (!ready) return;
      if (awaiting.every(([, s]) => s.AutoPromote)) {
        this.promote(deploymentId);
        return;
      }
      const description = 'Deployment is running but requires manual promotion';
      if (deployment.StatusDescription !== description)
        store.write((index) =>
          setDeploymentStatus(
            store,
            deployment,
            { StatusDescription: description },
            index,
            this.ctx.clock.now(),
          ),
        );
      return;
    }
    const outdated = allocs.filter((a) => a.Job?.Version !== deployment.JobVersion).length;
    const complete = groups.every(([, s]) => s.HealthyAllocs >= s.DesiredTotal) && outdated === 0;
    if (complete) {
      store.write((index) =>
        setDeploymentStatus(
          store,
          deployment,
          { Status: 'successful', StatusDescription: 'Deployment completed successfully' },
          index,
          this.ctx.clock.now(),
        ),
      );
      this.deadlines.get(deploymentId)?.();
      const record = store.job(deployment.Namespace, deployment.JobID);
      if (record) markStable(this.ctx, record, deployment.JobVersion, true);
      return;
    }
    if (outdated > 0) this.followUp(deployment);
  }

  private followUp(deployment: Deployment): void {
    const record = this.ctx.store.job(deployment.Namespace, deployment.JobID);
    if (!record) return;
    let evaluation: Evaluation | undefined;
    this.ctx.store.write((index) => {
      evaluation = newEvaluation(record.job, index, this.ctx.clock.now(), {
        triggeredBy: 'deployment-watcher',
        deploymentId: deployment.ID,
      });
      this.ctx.store.evals.set(evaluation.ID, evaluation);
      return evalWrite(evaluation, 'DeploymentStatusUpdate');
    });
    this.enqueue(evaluation!.ID);
  }

  promote(deploymentId: string, groups?: readonly string[]) {
    const { store } = this.ctx;
    const deployment = store.deployments.get(deploymentId);
    if (!deployment) throw new RpcError(500, 'deployment not found');
    if (isTerminalDeployment(deployment)) throw new RpcError(500, "can't promote terminal deployment");
    const allocs = store.allocsOfJob(deployment.Namespace, deployment.JobID);
    const names = (groups ?? Object.keys(deployment.TaskGroups)).filter(
      (g) => (deployment.TaskGroups[g]?.DesiredCanaries ?? 0) > 0,
    );
    const errors = names
      .map(
        (g) =>
          [g, healthyCanaries(allocs, deploymentId, g), deployment.TaskGroups[g]!.DesiredCanaries] as const,
      )
      .filter(([, have, need]) => have < need)
      .map(([g, have, need]) => `Task group "${g}" has ${have}/${need} healthy allocations`);
    if (errors.length > 0) throw new RpcError(500, multierror(errors));
    let evaluation: Evaluation | undefined;
    const record = store.job(deployment.Namespace, deployment.JobID)!;
    const index = store.write((index) => {
      const copy = structuredClone(deployment);
      for (const g of names) copy.TaskGroups[g]!.Promoted = true;
      copy.StatusDescription = 'Deployment is running';
      copy.ModifyIndex = index;
      store.deployments.set(copy.ID, copy);
      evaluation = newEvaluation(record.job, index, this.ctx.clock.now(), {
        triggeredBy: 'deployment-watcher',
        deploymentId,
      });
      store.evals.set(evaluation.ID, evaluation);
      return mergeWrites(
        deploymentWrite(copy, 'DeploymentPromotion'),
        evalWrite(evaluation, 'DeploymentPromotion'),
      );
    });
    this.enqueue(evaluation!.ID);
    return {
      EvalID: evaluation!.ID,
      EvalCreateIndex: index,
      DeploymentModifyIndex: index,
      RevertedJobVersion: null,
      Index: index,
    };
  }

  /** Fails a deployment; with auto_revert, registers the last stable version again. */
  fail(deploymentId: string, description: string) {
    const { store } = this.ctx;
    const deployment = store.deployments.get(deploymentId);
    if (!deployment) throw new RpcError(500, 'deployment not found');
    if (isTerminalDeployment(deployment)) throw new RpcError(500, "can't fail terminal deployment");
    const record = store.job(deployment.Namespace, deployment.JobID);
    const autoRevert = Object.values(deployment.TaskGroups).some((s) => s.AutoRevert);
    let revertTo: Job | undefined;
    let suffix = '';
    if (autoRevert && record) {
      const stable = record.versions.find((v) => v.Stable && (v.Version ?? 0) < deployment.JobVersion);
      if (!stable) suffix = ' - no stable job version to auto revert to';
      else if (sameSpec(stable, record.job))
        suffix = ` - not rolling back to stable job version ${stable.Version} as current job has same specification`;
      else {
        revertTo = stable;
        suffix = ` - rolling back to job version ${stable.Version}`;
      }
    }
    const index = store.write((index) =>
      setDeploymentStatus(
        store,
        deployment,
        { Status: 'failed', StatusDescription: description + suffix },
        index,
        this.ctx.clock.now(),
      ),
    );
    this.deadlines.get(deploymentId)?.();
    let evalId = '';
    if (revertTo && record) {
      const { Version: _v, VersionTag: _t, ...spec } = revertTo;
      evalId = registerJob(this.ctx, { ...spec, Stable: false }, record.namespace, {
        triggeredBy: 'deployment-watcher',
      }).EvalID;
    }
    return {
      EvalID: evalId,
      EvalCreateIndex: evalId ? index : 0,
      DeploymentModifyIndex: index,
      RevertedJobVersion: revertTo?.Version ?? null,
      Index: index,
    };
  }

  pause(deploymentId: string, pause: boolean) {
    const { store } = this.ctx;
    const deployment = store.deployments.get(deploymentId);
    if (!deployment) throw new RpcError(500, 'deployment not found');
    if (isTerminalDeployment(deployment))
      throw new RpcError(500, `can't ${pause ? 'pause' : 'resume'} terminal deployment`);
    const index = store.write((index) =>
      setDeploymentStatus(
        store,
        deployment,
        pause
          ? { Status: 'paused', StatusDescription: 'Deployment is paused' }
          : { Status: 'running', StatusDescription: 'Deployment is running' },
        index,
        this.ctx.clock.now(),
      ),
    );
    if (!pause) this.checkDeployment(deploymentId);
    return {
      EvalID: '',
      EvalCreateIndex: 0,
      DeploymentModifyIndex: index,
      RevertedJobVersion: null,
      Index: index,
    };
  }

  private armProgressDeadline(deploymentId: string): void {
    const deployment = this.ctx.store.deployments.get(deploymentId);
    if (!deployment || isTerminalDeployment(deployment)) return;
    this.deadlines.get(deploymentId)?.();
    const due = Math.max(
      ...Object.values(deployment.TaskGroups).map((s) =>
        s.RequireProgressBy ? Date.parse(s.RequireProgressBy) : 0,
      ),
    );
    if (!Number.isFinite(due) || due <= 0) return;
    const cancel = this.ctx.clock.after(due - this.ctx.clock.now(), () => {
      const current = this.ctx.store.deployments.get(deploymentId);
      if (current && (current.Status === 'running' || current.Status === 'paused'))
        this.fail(deploymentId, 'Failed due to progress deadline');
    });
    this.deadlines.set(deploymentId, cancel);
  }
}

function nameIndex(alloc: Allocation): number {
  const match = /\[(\d+)\]$/.exec(alloc.Name ?? '');
  return match ? Number(match[1]) : 0;
}

function freeNameIndexes(allocs: readonly Allocation[], upTo: number): number[] {
  const used = new Set(allocs.map(nameIndex));
  const free: number[] = [];
  for (let i = 0; free.length < upTo; i++) if (!used.has(i)) free.push(i);
  return free;
}

function healthyCanaries(allocs: readonly Allocation[], deploymentId: string, group: string): number {
  return allocs.filter(
    (a) =>
      a.DeploymentID === deploymentId &&
      a.TaskGroup === group &&
      a.DeploymentStatus?.Canary &&
      a.DeploymentStatus.Healthy === true,
  ).length;
}
