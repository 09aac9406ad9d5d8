/**
 * What registering a job would really do to its allocations, read from Nomad's plan annotations. A job is never a
 * no-op while these are not: a lost allocation to place again, a change behind a field drover hides.
 *
 * Nomad's plan endpoint over-reports in two ways (read in Nomad 2.0.5's source):
 * - Job.Register stamps the caller's token accessor on the job (NomadTokenID) and Job.SpecChanged compares it;
 *   Job.Plan never stamps it. With ACLs on, an unchanged job is therefore planned as a new version: its
 *   allocations count as in-place updates (or canaries, or destructive updates when an in-place check fails)
 *   and a batch job's completed allocations, old by that version, as placements. Registered for real, the
 *   unchanged job only gets an evaluation (the same token) or a version whose allocations are updated in place
 *   without a restart (another token): what runs stays. Nomad's diff hides the stamp, so its Type is None.
 * - The system scheduler reports Place as its count of candidate nodes, the nodes whose allocation it keeps or
 *   updates included ("1 create, 1 ignore" for an unchanged job).
 * So a system job places Place less what it ignores or updates, and when no field changes only placements, stops
 * and migrations change what runs. For a service or batch job planned as a new version even those describe the
 * version that will not be (its waiting canaries stopped, its completed work placed again): what an evaluation of
 * the live version would place is read from its allocations instead.
 */
import type { DesiredUpdates, Job } from '../nomad/types.js';

type Annotations = Readonly<Record<string, DesiredUpdates>>;

export interface RegistrationFacts {
  readonly type: string;
  /** A field of the job differs (Nomad's diff, less what drover hides). */
  readonly fieldsChanged: boolean;
  /** Per group, for a service or batch job planned as a new version: its count and what its allocations hold. */
  readonly groups?: Readonly<Record<string, GroupAllocations>>;
}

export interface GroupAllocations {
  readonly count: number;
  /** Allocations that run or are about to (any version, canaries included). */
  readonly active: number;
  /** Allocations of the live version that completed (batch work done). */
  readonly completed: number;
}

/** Nomad's annotations corrected to what registering the job would do, group by group. */
export function registrationEffects(annotations: Annotations, facts: RegistrationFacts): Annotations {
  return Object.fromEntries(
    Object.entries(annotations).map(([group, raw]) => [group, effectsOf(raw, facts, facts.groups?.[group])]),
  );
}

function effectsOf(
  raw: DesiredUpdates,
  facts: RegistrationFacts,
  allocations: GroupAllocations | undefined,
): DesiredUpdates {
  const counts = { ...raw };
  if (facts.type === 'system')
    counts.Place = Math.max(
      0,
      (raw.Place ?? 0) - (raw.Ignore ?? 0) - (raw.InPlaceUpdate ?? 0) - (raw.DestructiveUpdate ?? 0),
    );
  if (facts.fieldsChanged) return counts;
  const unchanged = { ...counts, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 0 };
  if (!allocations)
    return {
      ...unchanged,
      Ignore: (raw.Ignore ?? 0) + (raw.InPlaceUpdate ?? 0) + (raw.DestructiveUpdate ?? 0),
    };
  const kept = allocations.active + (facts.type === 'batch' ? allocations.completed : 0);
  return { ...unchanged, Place: Math.max(0, allocations.count - kept), Stop: 0, Ignore: kept };
}

/** Whether Nomad may have planned the unchanged job as a new version: a token stamp the plan cannot carry. */
export function plannedAsNewVersion(live: Job, fieldsChanged: boolean): boolean {
  return !fieldsChanged && Boolean(live.NomadTokenID);
}

/** Whether registering would place, stop, migrate, update, replace, start canaries or preempt anything. */
export function movesAllocations(annotations: Annotations): boolean {
  return Object.values(annotations).some((counts) => MOVES.some((key) => (counts[key] ?? 0) > 0));
}

const MOVES: ReadonlyArray<keyof DesiredUpdates> = [
  'Place',
  'Stop',
  'Migrate',
  'InPlaceUpdate',
  'DestructiveUpdate',
  'Canary',
  'Preemptions',
];
