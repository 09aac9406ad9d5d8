/**
 * A project's plan across its clusters: one part per cluster, each the cluster's own Plan (or why it could not be
 * made), with the clusters it rolls out after. A project without cluster blocks has one part, "default", and
 * reads as the plan of its one Nomad.
 */
import { ACTIONS, countByAction, hasChanges, type Action, type Plan } from './model.js';

/** Why a cluster has no plan: it could not be reached, refused the token, did not answer in time. */
export interface ClusterPlanFailure {
  readonly message: string;
  readonly hint?: string;
  readonly code: string;
}

export type ClusterPart<P extends Plan = Plan> =
  | { readonly cluster: string; readonly after: readonly string[]; readonly plan: P }
  | {
      readonly cluster: string;
      readonly after: readonly string[];
      readonly address: string;
      readonly failure: ClusterPlanFailure;
    };

export interface ProjectPlan<P extends Plan = Plan> {
  /** In drover.hcl's order. */
  readonly parts: readonly [ClusterPart<P>, ...ClusterPart<P>[]];
}

export type PlannedPart<P extends Plan = Plan> = Extract<ClusterPart<P>, { plan: P }>;
export type FailedPart = Extract<ClusterPart, { failure: ClusterPlanFailure }>;

export const isPlanned = <P extends Plan>(part: ClusterPart<P>): part is PlannedPart<P> => 'plan' in part;

/** The same project with each cluster's plan passed through `change` (masking, compacting). */
export function mapPlans<P extends Plan, Q extends Plan>(
  project: ProjectPlan<P>,
  change: (plan: P) => Q,
): ProjectPlan<Q> {
  const map = (part: ClusterPart<P>): ClusterPart<Q> =>
    isPlanned(part) ? { ...part, plan: change(part.plan) } : part;
  const [first, ...rest] = project.parts;
  return { parts: [map(first), ...rest.map(map)] };
}

/** One cluster's plan as a project's (destroy, promote and rollback plan one cluster at a time). */
export function onePart(plan: Plan): ProjectPlan {
  return { parts: [{ cluster: plan.settings.cluster, after: [], plan }] };
}

/** The one plan of a project that declares no clusters: shown and saved as drover has always shown one. */
export function singlePlan(project: ProjectPlan): Plan | undefined {
  const [only, ...rest] = project.parts;
  return rest.length === 0 && isPlanned(only) && only.cluster === 'default' ? only.plan : undefined;
}

export function plannedParts<P extends Plan>(project: ProjectPlan<P>): PlannedPart<P>[] {
  return project.parts.filter((part): part is PlannedPart<P> => isPlanned(part));
}

export function failedParts(project: ProjectPlan<Plan>): FailedPart[] {
  return project.parts.filter((part): part is FailedPart => !isPlanned(part));
}

export function projectHasChanges(project: ProjectPlan): boolean {
  return plannedParts(project).some((part) => hasChanges(part.plan));
}

/** Counts per action over every cluster planned. */
export function countAcross(project: ProjectPlan): Record<Action, number> {
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  for (const part of plannedParts(project))
    for (const [action, n] of Object.entries(countByAction(part.plan))) counts[action as Action] += n;
  return counts;
}

/**
 * The clusters in rollout stages: each stage holds the clusters whose `after` clusters all come in earlier
 * stages. A cluster it comes after that is not in the plan (--cluster left it out) is not waited for.
 */
export function rolloutStages(project: ProjectPlan): string[][] {
  const inPlan = new Set(project.parts.map((p) => p.cluster));
  const placed = new Set<string>();
  const stages: string[][] = [];
  let left = [...project.parts];
  while (left.length > 0) {
    const ready = left.filter((p) => p.after.every((a) => placed.has(a) || !inPlan.has(a)));
    // drover.hcl refuses cycles; a part left here would be a bug, so it is run last rather than dropped.
    const stage = ready.length > 0 ? ready : left;
    stages.push(stage.map((p) => p.cluster));
    for (const p of stage) placed.add(p.cluster);
    left = left.filter((p) => !placed.has(p.cluster));
  }
  return stages;
}

/**
 * The order a destroy goes in: the rollout's, backwards. A cluster is emptied only after every cluster that rolls
 * out after it (production before the staging it comes after), so that what was rolled out last goes first and a
 * failure stops before the clusters the others came after. Each cluster's clusters to wait for, by name.
 */
export function destroyAfter(
  clusters: ReadonlyArray<{ readonly name: string; readonly after: readonly string[] }>,
): Map<string, string[]> {
  return new Map(
    clusters.map((c) => [
      c.name,
      clusters.filter((other) => other.after.includes(c.name)).map((o) => o.name),
    ]),
  );
}
