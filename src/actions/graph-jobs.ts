import type { Job } from '../nomad/types.js';
import type { TargetFlags } from '../config/target.js';
import type { Connect } from '../nomad/connect.js';
import type { Graph } from '../graph/model.js';
import { rolloutGraph, stepsOfJobs, stepsOfPlan } from '../graph/rollout.js';
import { refuseUnknownDependencies } from './check-dependencies.js';
import { loadJobFiles, refuseInvalidJobFiles } from './load-jobs.js';
import { planJobs } from './plan-jobs.js';
import type { PlanFlagValues } from '../config/project-settings.js';
import { goesToCluster, resolveWorkspace, type Workspace } from './workspace.js';

export interface GraphInputs {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly vars?: readonly string[];
  readonly varFiles?: readonly string[];
  /** The Nomad flags: --namespace for jobs that name none, and where to plan with `state`. */
  readonly nomad?: TargetFlags;
  /**
   * --cluster: the one cluster of drover.hcl whose rollout to draw. A graph is one cluster's waves (its jobs and
   * var files may differ from another's) and one document to pipe into dot: several clusters need one named.
   */
  readonly clusters?: readonly string[];
  /** Plan against Nomad as drover plan does: each job's action, and the stack's deletes when prune is on. */
  readonly state?: {
    readonly connect: Connect;
    readonly stack?: string;
    readonly prune?: boolean;
    readonly readOnly?: boolean;
  };
}

export interface GraphResult {
  readonly graph: Graph;
  /** From the job files alone with prune on: the stack's deletes, which only Nomad knows, are missing. */
  readonly deletesUnknown: boolean;
}

/** drover plan's default --timeout: the graph's plan gives up as the plan would. */
const STATE_DEADLINE_MS = 60_000;

/** The rollout's order: from the job files alone (nothing is sent anywhere), or with `state` from a plan. */
export async function graphJobs(inputs: GraphInputs): Promise<GraphResult> {
  return inputs.state ? graphOfPlan(inputs, inputs.state) : graphOfFiles(inputs);
}

function graphWorkspace(inputs: GraphInputs, flags: PlanFlagValues = {}): Workspace {
  return resolveWorkspace({
    paths: inputs.paths,
    cwd: inputs.cwd,
    vars: inputs.vars,
    varFiles: inputs.varFiles,
    env: inputs.env,
    flags,
    nomad: inputs.nomad,
    clusters: inputs.clusters,
  });
}

function graphOfFiles(inputs: GraphInputs): GraphResult {
  const workspace = graphWorkspace(inputs);
  const { project, settings } = workspace;
  const jobs = loadJobFiles(workspace.jobs).filter(
    (j) => !j.job || goesToCluster(workspace, String(j.job.ID)),
  );
  refuseInvalidJobFiles(jobs, settings.maskPatterns, 'run drover graph again');
  if (!workspace.partial) refuseUnknownDependencies(jobs, project);
  const steps = stepsOfJobs(
    jobs.map((j) => ({ job: j.job as Job, dependsOn: project?.dependsOn[String(j.job!.ID)] })),
    settings.namespace,
  );
  return {
    graph: rolloutGraph(steps, { namespace: settings.namespace }),
    deletesUnknown: settings.prune,
  };
}

async function graphOfPlan(
  inputs: GraphInputs,
  state: NonNullable<GraphInputs['state']>,
): Promise<GraphResult> {
  const { plan } = await planJobs({
    workspace: graphWorkspace(inputs, { stack: state.stack, prune: state.prune }),
    connect: state.connect,
    nomad: inputs.nomad,
    paths: inputs.paths,
    cwd: inputs.cwd,
    env: inputs.env,
    vars: inputs.vars,
    varFiles: inputs.varFiles,
    stack: state.stack,
    prune: state.prune,
    readOnly: state.readOnly,
    deadlineMs: STATE_DEADLINE_MS,
  });
  return {
    graph: rolloutGraph(stepsOfPlan(plan), { namespace: plan.settings.namespace }),
    deletesUnknown: false,
  };
}
