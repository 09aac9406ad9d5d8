import type { PlanFlagValues } from '../config/project-settings.js';
import type { Job } from '../nomad/types.js';
import { stackNotes } from '../drift/stack-notes.js';
import { planDriftOf, readStackDrift } from '../drift/plan-drift.js';
import { readsDrift } from '../checks/reads-drift.js';
import { buildPlan } from '../plan/build-plan.js';
import type { ResolveValues } from '../kinds/variable/change.js';
import { declaresNothing } from '../source/estate.js';
import { estateDesired, refuseInvalidEstate } from './estate-desired.js';
import { stackOwned } from './stack-owned.js';
import { readInventory } from '../stack/inventory.js';
import { refuseAdoptingOwned, unstampedAdoptions } from '../stack/other-owners.js';
import type { Plan } from '../plan/model.js';
import { loadJob, type LoadedJob } from '../source/load-job.js';
import { refuseUnknownDependencies } from './check-dependencies.js';
import { loadJobFiles, refuseInvalidJobFiles, type JobInputs } from './load-jobs.js';
import type { NomadAccess } from './nomad-access.js';
import { planDeadline } from './plan-deadline.js';
import { goesToCluster, planSettingsOf, resolveWorkspace, type Workspace } from './workspace.js';
import { projectChecks, withChecks, type CheckInputs } from './plan-checks.js';
import type { ProjectChecks } from '../checks/evaluate-checks.js';

export interface PlanInputs extends PlanFlagValues, NomadAccess, CheckInputs {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly vars?: readonly string[];
  readonly varFiles?: readonly string[];
  readonly targets?: readonly string[];
  readonly preserveCounts?: boolean;
  readonly readOnly?: boolean;
  readonly dangerouslyPruneEverything?: boolean;
  /** Deletes will purge: jobs already stopped are listed for deletion too. */
  readonly purge?: boolean;
  readonly concurrency?: number;
  /**
   * How the job files are read (default loadJobFiles): a plan over several clusters reads files that every
   * cluster reads with the same values once.
   */
  readonly loadJobs?: (inputs: JobInputs) => LoadedJob[];
  readonly signal?: AbortSignal;
  /** The whole plan's bound: a Nomad that does not answer in time is an error, not a wait without end. */
  readonly deadlineMs?: number;
  /** The workspace, when the caller resolved it already (apply, for the stack lock's scope). */
  readonly workspace?: Workspace;
  /**
   * Notes about the stack beside the changes: who holds its lock, what drifted (plan; apply, which reads the
   * history itself and takes the lock, goes without them, and reads the drift only when a check reads it).
   */
  readonly notes?: boolean;
}

/** Reads the job files (nothing is sent if any has errors), then plans them against Nomad. */
export async function planJobs(inputs: PlanInputs): Promise<{
  plan: Plan;
  jobs: readonly LoadedJob[];
  resolveValues: ResolveValues;
  /** The project's checks (the plan holds their results), for a plan that changes before it is applied. */
  checks?: ProjectChecks;
}> {
  const workspace =
    inputs.workspace ??
    resolveWorkspace({
      paths: inputs.paths,
      cwd: inputs.cwd,
      vars: inputs.vars,
      varFiles: inputs.varFiles,
      env: inputs.env,
      flags: inputs,
      nomad: inputs.nomad,
    });
  const { project, settings } = workspace;
  const client = inputs.connect(workspace.target);
  const whole = workspace.partial ? undefined : workspace.estate;
  const loaded = (inputs.loadJobs ?? loadJobFiles)({
    ...workspace.jobs,
    // A project may declare only its estate.
    allowNoFiles: inputs.dangerouslyPruneEverything || (whole !== undefined && !declaresNothing(whole)),
  });
  refuseInvalidJobFiles(loaded, settings.maskPatterns, 'plan again');
  refuseInvalidEstate(whole, settings.maskPatterns, 'plan again');
  const checks = projectChecks(workspace, inputs, 'plan again');
  const estate = estateDesired(workspace.estate, { prune: settings.prune, partial: workspace.partial });
  if (!workspace.partial) refuseUnknownDependencies(loaded, project);
  const jobs = loaded.filter((j) => goesToCluster(workspace, String(j.job!.ID)));
  const { signal, timedOut } = planDeadline({ ...inputs, client });
  // Notes ride beside the plan; a plan that fails stops them rather than waiting for them.
  const notesDone = new AbortController();
  const owner = { cluster: workspace.target.name, stack: settings.stack, namespace: settings.namespace };
  const inventory = owner.stack ? readInventory(client, { ...owner, stack: owner.stack }, signal) : undefined;
  inventory?.catch(() => {});
  const notes =
    inputs.notes && settings.stack
      ? stackNotes({
          client,
          stack: settings.stack,
          namespace: settings.namespace,
          stampKey: settings.stampKey,
          cluster: workspace.target.name,
          jobs: jobs.map((j) => ({
            id: String(j.job!.ID),
            namespace: typeof j.job!.Namespace === 'string' ? j.job!.Namespace : settings.namespace,
          })),
          signal: signal ? AbortSignal.any([signal, notesDone.signal]) : notesDone.signal,
          ...(inventory ? { inventory } : {}),
        })
      : undefined;
  notes?.catch(() => {});
  // Without notes (apply), the drift is read for the checks that read it: a rule over drift holds as on plan.
  const drift =
    !notes && settings.stack && checks && readsDrift(checks)
      ? readStackDrift({
          client,
          stack: settings.stack,
          namespace: settings.namespace,
          stampKey: settings.stampKey,
          cluster: workspace.target.name,
          signal: signal ? AbortSignal.any([signal, notesDone.signal]) : notesDone.signal,
          ...(inventory ? { inventory } : {}),
        })
      : undefined;
  /** A plan that fails stops its notes and says why (a --timeout it ran past, or Nomad's error). */
  const failed = (error: unknown): never => {
    notesDone.abort();
    throw timedOut(error);
  };
  const stack = await stackOwned(client, owner, signal, inventory).catch(failed);
  const built = await buildPlan({
    client,
    desired: {
      ...estate.desired,
      job: {
        jobs: jobs.map((j) => ({
          job: j.job as Job,
          submission: j.submission,
          file: j.path,
          dependsOn: project?.dependsOn[String(j.job!.ID)] ?? [],
        })),
        dependsOn: project?.dependsOn,
        dangerouslyAllowEmptyPrune: inputs.dangerouslyPruneEverything,
        reparseSubmission: (submission) =>
          jobOfSubmission(jobs, submission) ??
          (loadJob(`submission.${submission.Format === 'json' ? 'json' : 'hcl'}`, submission.Source, {
            vars: Object.entries(submission.VariableFlags ?? {}).map(([name, value]) => ({ name, value })),
            varFiles: submission.Variables
              ? [{ path: 'submission variables', content: submission.Variables }]
              : [],
            env: {},
            allowFilesystem: false,
            ignoreUndeclared: true,
          }).job as Job | undefined),
      },
    },
    settings: {
      ...planSettingsOf(workspace, client.address, {
        prune: settings.prune,
        preserveCounts: inputs.preserveCounts,
        targets: inputs.targets ?? [],
        purge: inputs.purge,
      }),
      // Only a plan of job files sets a region: Nomad takes it for jobs that name none.
      ...(settings.region ? { region: settings.region } : {}),
    },
    readOnly: inputs.readOnly,
    concurrency: inputs.concurrency,
    purge: inputs.purge,
    ...(stack.owned ? { owned: stack.owned } : {}),
    ...(workspace.replicated ? { replicated: workspace.replicated } : {}),
    signal,
    ...(inputs.now ? { now: inputs.now } : {}),
  }).catch(failed);
  if (settings.stack)
    await refuseAdoptingOwned(client, settings.stack, unstampedAdoptions(built.changes), signal).catch(
      failed,
    );
  const read = await notes;
  const said = [...(read?.notes ?? []), ...stack.notes];
  const drifted = read?.drift ?? (drift ? planDriftOf(await drift, workspace.target.name) : []);
  const plan = withChecks(
    {
      ...built,
      ...(said.length > 0 ? { notes: said } : {}),
      ...(drifted.length > 0 ? { drift: drifted } : {}),
    },
    checks,
    inputs,
  );
  return { plan, jobs, resolveValues: estate.resolveValues, ...(checks ? { checks } : {}) };
}

/** A job's source as Nomad keeps it. */
interface Submission {
  readonly Source: string;
  readonly Format: string;
  readonly VariableFlags?: Readonly<Record<string, string>>;
  readonly Variables?: string;
}

/**
 * The job of a file read from this very submission (the same source, format and variables) when it follows from
 * them alone: it is the job that submission registered, so the submission is not read again (a 10 MB job took a
 * second). A file that read another file or called uuidv4 is read again, without the filesystem, as before.
 */
function jobOfSubmission(jobs: readonly LoadedJob[], submission: Submission): Job | undefined {
  const same = jobs.find(
    (j) => j.selfContained && j.submission !== undefined && sameSubmission(j.submission, submission),
  );
  return same?.job as Job | undefined;
}

function sameSubmission(a: Submission, b: Submission): boolean {
  const flags = (s: Submission) => Object.entries(s.VariableFlags ?? {}).sort(([x], [y]) => (x < y ? -1 : 1));
  return (
    a.Source === b.Source &&
    a.Format === b.Format &&
    (a.Variables ?? '') === (b.Variables ?? '') &&
    JSON.stringify(flags(a)) === JSON.stringify(flags(b))
  );
}
