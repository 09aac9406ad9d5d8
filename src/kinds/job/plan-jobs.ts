/**
 * The job kind's part of a plan: the declared jobs (narrowed by --target), each planned against Nomad with bounded
 * concurrency, in the waves their depends_on make; with prune, the stack's jobs no file declares, to delete.
 */
import { UserError } from '../../errors.js';
import { assignWaves, orderNodeOf } from '../../plan/ordering.js';
import { compareText } from '../../util/compare.js';
import { mapLimit } from '../../util/limit.js';
import type { Job } from '../../nomad/types.js';
import type { Change } from '../../plan/model.js';
import type { KindPlan, PlanContext } from '../kind.js';
import type { Replicated } from '../../watch/wait-replicated.js';
import type { JobChange, JobRegistration } from './change.js';
import type { DesiredJob, JobsDesired } from './desired.js';
import { dependencies, planDeletes } from './plan-deletes.js';
import { planRegistration } from './plan-registration.js';

export async function planJobs(
  context: PlanContext,
  desired: JobsDesired,
  earlier: readonly Change[],
): Promise<KindPlan<JobChange>> {
  const { settings } = context;
  const jobs = targeted(context, withPlanScope(context, desired.jobs));
  refuseDuplicates(jobs);
  // Only a federated region waits on replication: any other plan reads its jobs without a round trip before.
  const arriving = context.replicated
    ? await arrivingByReplication(context.replicated, context)
    : NONE_ARRIVING;
  const created = (kind: 'namespace' | 'node-pool') =>
    new Set([
      ...earlier.flatMap((c) => (c.kind === kind && c.action === 'create' ? [c.address.name] : [])),
      ...(kind === 'namespace' ? arriving.namespaces : arriving.nodePools),
    ]);
  const createdNamespaces = created('namespace');
  const createdPools = created('node-pool');
  /** The namespace or node pool this plan creates that the job is in: Nomad cannot plan it there yet. */
  const createdFirst = (job: Job) =>
    createdNamespaces.has(String(job.Namespace))
      ? { kind: 'namespace' as const, name: String(job.Namespace) }
      : typeof job.NodePool === 'string' && createdPools.has(job.NodePool)
        ? { kind: 'node-pool' as const, name: job.NodePool }
        : undefined;
  // A namespace the plan read as there already (declared and unchanged, updated or adopted) is not asked again.
  const readThere = new Set(
    earlier.flatMap((c) =>
      c.kind === 'namespace' && c.action !== 'create' && c.action !== 'delete' ? [c.address.name] : [],
    ),
  );
  await refuseMissingNamespaces(
    context,
    jobs
      .map((d) => String(d.job.Namespace))
      .filter((namespace) => !createdNamespaces.has(namespace) && !readThere.has(namespace)),
  );
  if (settings.prune && !settings.stack)
    throw new UserError('prune needs a stack name', {
      code: 'prune_without_stack',
      hint: 'Set stack = "name" in drover.hcl or pass --stack NAME: only jobs stamped with this stack are ever deleted.',
    });
  const planned = await mapLimit(jobs, context.concurrency, (d) => settled(planOne(d)));
  // Every job is planned before a refusal is raised: the first in the files' order, whatever answered first.
  const refused = planned.find((p) => 'error' in p);
  if (refused && 'error' in refused) throw refused.error;
  const registrations = planned.map((p) => (p as { value: JobRegistration }).value);
  async function planOne(d: DesiredJob): Promise<JobRegistration> {
    const first = createdFirst(d.job);
    if (!first) return planRegistration(context, d, desired.reparseSubmission);
    // Read all the same: a job moving to a new pool exists, and Nomad deletes a namespace whose jobs are stopped
    // but keeps those jobs in it until its garbage collection.

    const local = await planRegistration({ ...context, readOnly: true }, d, desired.reparseSubmission);
    return { ...local, notes: [...local.notes, { type: 'created-first' as const, ...first }] };
  }
  const deletes = settings.prune
    ? await planDeletes(
        context,
        jobs.map((d) => d.job),
        desired,
      )
    : [];
  const order = jobs.map((d) => orderNodeOf(d.job, d.dependsOn));
  const waves = assignWaves(order);
  const ordered = registrations
    .map((c, i) => ({ ...c, wave: waves.get(c.address.name) ?? 0, ...dependencies(order[i]!.dependsOn) }))
    .sort(
      (a, b) =>
        a.wave - b.wave ||
        compareText(a.address.name, b.address.name) ||
        compareText(a.address.namespace, b.address.namespace),
    );
  return { registrations: ordered, deletes };
}

function settled<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** Each job in the plan's namespace unless it names its own; in the plan's region when it names none. */
function withPlanScope(context: PlanContext, jobs: readonly DesiredJob[]): DesiredJob[] {
  const { settings } = context;
  return jobs.map((d) => ({
    ...d,
    job: {
      ...d.job,
      Namespace: (d.job.Namespace as string | null | undefined) ?? settings.namespace,
      ...(settings.region && !d.job.Region ? { Region: settings.region } : {}),
    },
  }));
}

function targeted(context: PlanContext, jobs: DesiredJob[]): DesiredJob[] {
  const { targets } = context.settings;
  if (targets.length === 0) return jobs;
  const unknown = targets.filter((t) => !jobs.some((d) => d.job.ID === t));
  if (unknown.length > 0)
    throw new UserError(
      `--target ${unknown.join(', ')}: no job file declares ${unknown.length === 1 ? 'this job' : 'these jobs'}`,
      {
        code: 'unknown_target',
        hint: `Jobs in these files: ${jobs.map((d) => d.job.ID).join(', ')}.`,
      },
    );
  return jobs.filter((d) => targets.includes(String(d.job.ID)));
}

function refuseDuplicates(jobs: readonly DesiredJob[]): void {
  const seen = new Map<string, string | undefined>();
  for (const d of jobs) {
    const key = `${String(d.job.Namespace)}/${String(d.job.ID)}`;
    if (seen.has(key))
      throw new UserError(`job ${key} is declared twice: in ${seen.get(key)} and ${d.file}`, {
        code: 'duplicate_job',
      });
    seen.set(key, d.file);
  }
}

/**
 * The namespaces and node pools a federated region does not have yet and will get by replication once the
 * rollout wrote them in its cluster's first region: its jobs in them are diffed locally, as in a plan creating them.
 */
const NONE_ARRIVING: Replicated = { namespaces: [], nodePools: [] };

async function arrivingByReplication(replicated: Replicated, context: PlanContext): Promise<Replicated> {
  const { client, signal } = context;
  const missing = async <T>(
    names: readonly string[],
    exists: (name: string) => Promise<T>,
    absent: (v: T) => boolean,
  ) => (await Promise.all(names.map(async (name) => (absent(await exists(name)) ? [name] : [])))).flat();
  return {
    namespaces: await missing(
      replicated.namespaces,
      (name) => client.namespaces.exists(name, signal),
      (exists) => exists === false,
    ),
    nodePools: await missing(
      replicated.nodePools,
      (name) => client.nodePools.find(name, { signal }),
      (found) => found.body === null,
    ),
  };
}

/** A namespace that does not exist fails the plan, not the apply half-way (the local diff never asks Nomad). */
async function refuseMissingNamespaces(context: PlanContext, namespaces: readonly string[]): Promise<void> {
  for (const namespace of new Set(namespaces)) {
    if (namespace === 'default') continue;
    if ((await context.client.namespaces.exists(namespace, context.signal)) !== false) continue;
    throw new UserError(`namespace "${namespace}" does not exist in Nomad at ${context.client.address}`, {
      code: 'no_namespace',
      hint: "Check NOMAD_NAMESPACE, --namespace, drover.hcl namespace and the jobs' own namespace; create it with nomad namespace apply.",
    });
  }
}
