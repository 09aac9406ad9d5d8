/**
 * The rollout's graph, from a plan's changes or from the job files alone: one node per job, one group per wave
 * (deletes last, as apply runs them), an edge per depends_on between jobs drawn, and an edge from each wave to
 * the next (a wave starts once the one before it is done).
 */
import type { JobChange } from '../kinds/job/change.js';
import type { Job } from '../nomad/types.js';
import type { Action, Plan } from '../plan/model.js';
import { assignWaves, isPreDeploy, orderNodeOf } from '../plan/ordering.js';
import { compareText } from '../util/compare.js';
import type { Graph, GraphEdge, GraphGroup, GraphNode } from './model.js';

/** One job's place in the rollout. */
export interface RolloutStep {
  readonly id: string;
  readonly namespace: string;
  /** 0-based, as plans count them. */
  readonly wave: number;
  /** The job IDs it depends on; a delete's are the jobs it is deleted before. */
  readonly dependsOn: readonly string[];
  readonly preDeploy: boolean;
  /** What the plan does; absent for the order of the job files alone. */
  readonly action?: Action;
}

export interface RolloutOptions {
  /** The namespace the rollout is in: a job in another one is labelled with it. */
  readonly namespace: string;
  /** The steps drawn (default: all); an order that runs through a step left out stays an edge. */
  readonly shown?: (step: RolloutStep) => boolean;
}

export function rolloutGraph(steps: readonly RolloutStep[], options: RolloutOptions): Graph {
  const shown = options.shown ?? (() => true);
  const phase = (step: RolloutStep) => (step.action === 'delete' ? 'delete' : 'register');
  const named = new Map<string, RolloutStep[]>();
  for (const step of steps) {
    const key = `${phase(step)}:${step.id}`;
    named.set(key, [...(named.get(key) ?? []), step]);
  }
  // Dependencies name jobs of the same phase: registrations wait for registrations, deletes for deletes.
  const dependencies = (step: RolloutStep) =>
    step.dependsOn.flatMap((id) => named.get(`${phase(step)}:${id}`) ?? []).filter((d) => d !== step);
  const nearest = new Map<RolloutStep, RolloutStep[]>();
  const shownDependencies = (step: RolloutStep, visiting = new Set<RolloutStep>()): RolloutStep[] => {
    const known = nearest.get(step);
    if (known) return known;
    visiting.add(step);
    const found = dependencies(step)
      .filter((d) => !visiting.has(d))
      .flatMap((d) => (shown(d) ? [d] : shownDependencies(d, visiting)));
    visiting.delete(step);
    const unique = [...new Set(found)];
    nearest.set(step, unique);
    return unique;
  };

  const drawn = steps.filter(shown);
  const nodeId = (step: RolloutStep) => `job:${step.namespace}/${step.id}`;
  const nodes: GraphNode[] = drawn.map((step) => ({
    kind: 'job',
    id: nodeId(step),
    name: step.id,
    ...(step.namespace === options.namespace ? {} : { namespace: step.namespace }),
    ...(step.action ? { action: step.action } : {}),
  }));

  const groups: GraphGroup[] = [...new Set(drawn.map((s) => s.wave))]
    .sort((a, b) => a - b)
    .map((wave) => {
      const members = drawn.filter((s) => s.wave === wave);
      const only = members.every((s) => s.action === 'delete')
        ? 'deletes'
        : members.every((s) => s.preDeploy)
          ? 'pre-deploy'
          : undefined;
      return {
        kind: 'wave',
        id: `wave:${wave + 1}`,
        wave: wave + 1,
        ...(only ? { only } : {}),
        members: members.map(nodeId),
      };
    });

  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const add = (edge: GraphEdge) => {
    const key = JSON.stringify([edge.from, edge.to, edge.kind]);
    if (seen.has(key)) return;
    seen.add(key);
    edges.push(edge);
  };
  for (let i = 1; i < groups.length; i++) add({ from: groups[i - 1]!.id, to: groups[i]!.id, kind: 'wave' });
  for (const step of drawn)
    for (const dependency of shownDependencies(step)) {
      // A job is deleted before what it depends on: the arrow runs the other way.
      const [from, to] = phase(step) === 'delete' ? [step, dependency] : [dependency, step];
      add({ from: nodeId(from), to: nodeId(to), kind: 'depends_on' });
    }
  return { nodes, groups, edges };
}

/** A plan's changes as steps, in the plan's order. */
export function stepsOfPlan(plan: Plan): RolloutStep[] {
  return jobChanges(plan).map((change) => ({
    id: change.address.name,
    namespace: change.address.namespace,
    wave: change.wave,
    dependsOn: change.dependsOn ?? [],
    preDeploy:
      change.action === 'create' ||
      change.action === 'update' ||
      change.action === 'start' ||
      change.action === 'adopt' ||
      change.action === 'noop'
        ? isPreDeploy(change.job)
        : false,
    action: change.action,
  }));
}

/** Desired jobs in the order a plan of them runs: the waves their depends_on make, pre-deploy jobs first. */
export function stepsOfJobs(
  jobs: ReadonlyArray<{ readonly job: Job; readonly dependsOn?: readonly string[] }>,
  namespace: string,
): RolloutStep[] {
  const order = jobs.map((j) => orderNodeOf(j.job, j.dependsOn));
  const waves = assignWaves(order);
  return jobs
    .map((j, i) => ({
      id: String(j.job.ID),
      namespace: j.job.Namespace ?? namespace,
      wave: waves.get(order[i]!.key) ?? 0,
      dependsOn: order[i]!.dependsOn,
      preDeploy: order[i]!.preDeploy,
    }))
    .sort((a, b) => a.wave - b.wave || compareText(a.id, b.id) || compareText(a.namespace, b.namespace));
}

function jobChanges(plan: Plan): JobChange[] {
  return plan.changes.flatMap((change) => (change.kind === 'job' ? [change] : []));
}
