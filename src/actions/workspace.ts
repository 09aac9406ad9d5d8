import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  resolvePlanSettings,
  type PlanFlagValues,
  type ProjectFile,
  type ResolvedPlanSettings,
} from '../config/project-settings.js';
import type { Target, TargetFlags } from '../config/target.js';
import { UserError } from '../errors.js';
import type { PlanSettings } from '../plan/model.js';
import type { Replicated } from '../watch/wait-replicated.js';
import { estateOfCluster, readEstate, type EstateDeclarations } from '../source/estate.js';
import {
  findProjectFile,
  ProjectFileError,
  readProjectDocument,
  type ProjectDocument,
} from '../source/project-file.js';
import { hasGlob } from '../util/glob.js';
import { shownPath } from '../util/shown-path.js';
import { sharedVariableValues, type JobInputs } from './load-jobs.js';
import { targetsOf } from './nomad-access.js';

/** What every command works on: the project file that governs the paths, the settings, and the job inputs. */
export interface Workspace {
  readonly project?: ProjectFile;
  /** The project file as the user would name it (relative to cwd), for headers and messages. */
  readonly projectFile?: string;
  readonly settings: ResolvedPlanSettings;
  /** The Nomad it is planned against: flags > environment > drover.hcl > defaults. */
  readonly target: Target;
  /** The job files and variable values, the project's own in front (flags win). */
  readonly jobs: JobInputs;
  /** The paths name only some of the project's job files (one file, a subdirectory). */
  readonly partial: boolean;
  /** What drover.hcl and the files it includes declare beside jobs (namespaces, node pools, ACL, variables). */
  readonly estate?: EstateDeclarations;
  /** A federated region after its cluster's first: the namespaces and node pools it gets by replication. */
  readonly replicated?: Replicated;
}

export interface WorkspaceInputs extends JobInputs {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags?: PlanFlagValues;
  /** The Nomad flags (--address, --namespace, --region…). */
  readonly nomad?: TargetFlags;
  /** --cluster: the clusters of drover.hcl to work on (default every one). */
  readonly clusters?: readonly string[];
}

/**
 * Finds the project for the paths the way a user expects: the drover.hcl in the directory of the given paths or
 * the nearest parent (up to the repository root), else the current directory's. Paths in two different projects
 * are refused. A project whose `jobs` the paths stand for (no paths, or its own directory) plans all of them;
 * other paths plan just those files, with the project's stack, var files, vars and depends_on.
 */
export function resolveWorkspace(inputs: WorkspaceInputs): Workspace {
  const workspaces = resolveClusterWorkspaces(inputs);
  if (workspaces.length > 1)
    throw new UserError(
      `${workspaces[0]!.projectFile} declares clusters ${workspaces.map((w) => w.target.name).join(', ')}: this command works on one at a time`,
      { code: 'cluster_not_chosen', hint: `Name one with --cluster ${workspaces[0]!.target.name}.` },
    );
  return workspaces[0]!;
}

/**
 * One workspace per cluster the project rolls out to (as resolveWorkspace finds the project), in declaration
 * order; a project without cluster blocks has one, "default". Each has its cluster's target, its var files after
 * the project's, and the estate and job blocks that go to it.
 */
export function resolveClusterWorkspaces(inputs: WorkspaceInputs): readonly [Workspace, ...Workspace[]] {
  const groups = projectGroups(inputs.paths, inputs.cwd);
  if (groups.size > 1)
    throw new UserError(
      `these paths belong to different projects (${[...groups.keys()].map((f) => (f ? shownPath(f, inputs.cwd) : 'none')).join(', ')})`,
      { code: 'mixed_projects', hint: 'Plan each project on its own: drover plan DIR.' },
    );
  return workspacesFor(inputs, [...groups.keys()][0]);
}

/** Whether the job goes to the workspace's cluster (drover.hcl's job block may name some clusters only). */
export function goesToCluster(workspace: Workspace, jobId: string): boolean {
  const clusters = workspace.project?.jobClusters?.[jobId];
  const { target } = workspace;
  return !clusters || clusters.includes(target.federation?.cluster ?? target.name);
}

/**
 * The settings a plan of this workspace records: the cluster, the namespace, stack and stamp, the project file and
 * the masking patterns, then what the kind of plan adds (prune, targets, purge, destroy).
 */
export function planSettingsOf(
  workspace: Workspace,
  address: string,
  shape: Pick<PlanSettings, 'prune' | 'targets'> &
    Partial<Pick<PlanSettings, 'stack' | 'preserveCounts' | 'purge' | 'destroy'>>,
): PlanSettings {
  const { settings, projectFile } = workspace;
  const stack = shape.stack ?? settings.stack;
  return {
    cluster: workspace.target.name,
    address,
    namespace: settings.namespace,
    ...(stack ? { stack } : {}),
    ...(projectFile ? { projectFile } : {}),
    stampKey: settings.stampKey,
    prune: shape.prune,
    preserveCounts: shape.preserveCounts ?? false,
    targets: shape.targets,
    maskPatterns: settings.maskPatterns,
    ...(shape.purge ? { purge: true } : {}),
    ...(shape.destroy ? { destroy: true } : {}),
  };
}

/** The stack a command needs, or the error that says where to name it. */
export function requireStack(settings: ResolvedPlanSettings, command: string, why?: string): string {
  if (settings.stack) return settings.stack;
  throw new UserError(`${command} needs a stack name`, {
    code: `${command}_without_stack`,
    hint: `Set stack in drover.hcl or pass --stack NAME${why ? `: ${why}` : '.'}`,
  });
}

/** One workspace per project the paths fall in (validate reads each file in its own project). */
export function resolveWorkspaces(inputs: WorkspaceInputs): Workspace[] {
  return [...projectGroups(inputs.paths, inputs.cwd)].flatMap(([path, paths]) =>
    workspacesFor({ ...inputs, paths }, path),
  );
}

function workspacesFor(inputs: WorkspaceInputs, path: string | undefined): [Workspace, ...Workspace[]] {
  const document = path ? readProject(path, inputs.cwd) : undefined;
  const project = document?.project;
  const whole =
    !project ||
    inputs.paths.length === 0 ||
    (inputs.paths.length === 1 && resolve(inputs.cwd, inputs.paths[0]!) === project.dir);
  const flags = inputs.flags ?? {};
  if (project && !whole && flags.prune)
    throw new UserError(
      `--prune with some of the job files of ${shownPath(project.path, inputs.cwd)} would delete the stack's other jobs`,
      {
        code: 'partial_prune',
        hint: `Plan the whole project (drover plan ${shownPath(project.dir, inputs.cwd)} --prune), or leave out --prune.`,
      },
    );
  // A project's `prune = true` speaks for all of its jobs, never for a few of them.
  const scoped = project && !whole ? { ...project, prune: undefined } : project;
  const named = project && { project, projectFile: shownPath(project.path, inputs.cwd) };
  const targets = targetsOf(
    inputs,
    named && {
      source: named.projectFile,
      namespace: named.project.namespace,
      region: named.project.region,
      clusters: named.project.clusters,
      dir: named.project.dir,
    },
    inputs.clusters,
  );
  const [first, ...rest] = targets.map((target): Workspace => {
    const settings = resolvePlanSettings(flags, inputs.env, scoped, target);
    const jobs = project ? withProject(inputs, project, whole, target.varFiles) : inputs;
    const read =
      document &&
      readEstate(document, {
        cwd: inputs.cwd,
        namespace: settings.namespace,
        values: () => sharedVariableValues(jobs),
      });
    const estate = read && project?.clusters ? estateOfCluster(read, target) : read;
    const first =
      read && target.federation && !target.federation.authoritative
        ? estateOfCluster(read, { name: target.federation.cluster })
        : undefined;
    return {
      ...named,
      settings,
      target,
      jobs:
        estate && jobs.project
          ? { ...jobs, project: { ...jobs.project, declared: estate.declaredVariables } }
          : jobs,
      partial: !whole,
      ...(estate ? { estate } : {}),
      ...(first
        ? {
            replicated: {
              namespaces: first.namespaces.map((n) => n.spec.Name),
              nodePools: first.nodePools.map((p) => p.spec.Name),
            },
          }
        : {}),
    };
  });
  return [first!, ...rest];
}

/** The paths by the project file that governs them (undefined for none); no paths: the current directory's project. */
function projectGroups(paths: readonly string[], cwd: string): Map<string | undefined, string[]> {
  if (paths.length === 0) return new Map([[findProjectFile(cwd), []]]);
  const groups = new Map<string | undefined, string[]>();
  for (const path of paths) {
    const project = findProjectFile(anchorDir(resolve(cwd, path)));
    groups.set(project, [...(groups.get(project) ?? []), path]);
  }
  return groups;
}

/** The directory a path stands in: itself for a directory, the folder of a file, the fixed part of a glob. */
function anchorDir(path: string): string {
  if (hasGlob(path)) {
    const parts = path.split('/');
    return parts.slice(0, parts.findIndex(hasGlob)).join('/') || '/';
  }
  if (existsSync(path) && statSync(path).isDirectory()) return path;
  return dirname(path);
}

function readProject(path: string, cwd: string): ProjectDocument {
  try {
    return readProjectDocument(path, undefined, shownPath(path, cwd));
  } catch (error) {
    if (error instanceof ProjectFileError)
      throw new UserError(`${shownPath(path, cwd)} has errors:\n${error.message}`, {
        code: 'invalid_project_file',
        hint: 'Fix the project file (drover.hcl); nothing was sent to Nomad.',
      });
    if ((error as NodeJS.ErrnoException).code)
      throw new UserError(`cannot read ${shownPath(path, cwd)}: ${(error as Error).message}`, {
        code: 'unreadable',
      });
    throw error;
  }
}

function withProject(
  inputs: JobInputs,
  project: ProjectFile,
  whole: boolean,
  clusterVarFiles: readonly string[],
): JobInputs {
  return {
    ...inputs,
    paths: whole ? (project.jobs ?? ['.']).map((p) => join(project.dir, p)) : inputs.paths,
    project: {
      vars: Object.entries(project.vars ?? {}).map(([k, v]) => `${k}=${v}`),
      varFiles: [...(project.varFiles ?? []).map((f) => join(project.dir, f)), ...clusterVarFiles],
      complete: whole,
    },
  };
}
