/**
 * Plan settings from, in precedence order: flags > environment (DROVER_STACK) > the project file (drover.hcl) >
 * defaults; the namespace and region are the target's (config/target.ts). Pure: the project file arrives already
 * read.
 */
import type { ClusterDeclaration, Target } from './target.js';

export interface ProjectFile {
  /** The directory holding drover.hcl; its paths are relative to it. */
  readonly dir: string;
  readonly path: string;
  readonly stack?: string;
  readonly namespace?: string;
  readonly region?: string;
  readonly jobs?: readonly string[];
  readonly varFiles?: readonly string[];
  readonly vars?: Readonly<Record<string, string>>;
  readonly prune?: boolean;
  readonly stampKey?: string;
  readonly mask?: readonly string[];
  /** job ID → the job IDs it depends on. */
  readonly dependsOn: Readonly<Record<string, readonly string[]>>;
  /** job ID → where each of its depends_on names stands ("file:line:column"), for messages. */
  readonly dependsOnAt?: Readonly<Record<string, readonly string[]>>;
  /** The clusters it rolls out to, in declaration order; none: the one Nomad of the flags and environment. */
  readonly clusters?: readonly ClusterDeclaration[];
  /** job ID → the clusters it goes to (a job block's `clusters`); a job not listed goes to every cluster. */
  readonly jobClusters?: Readonly<Record<string, readonly string[]>>;
}

export interface PlanFlagValues {
  readonly stack?: string;
  readonly prune?: boolean;
  readonly stampKey?: string;
  readonly mask?: readonly string[];
}

export interface ResolvedPlanSettings {
  readonly stack?: string;
  readonly namespace: string;
  readonly region?: string;
  readonly prune: boolean;
  readonly stampKey: string;
  readonly maskPatterns: readonly string[];
}

export const DEFAULT_MASK_PATTERNS = [
  'token',
  'secret',
  'password',
  'passwd',
  'key',
  'auth',
  'credential',
  'private',
];

export function resolvePlanSettings(
  flags: PlanFlagValues,
  env: Readonly<Record<string, string | undefined>>,
  project: ProjectFile | undefined,
  target: Pick<Target, 'namespace' | 'region'>,
): ResolvedPlanSettings {
  const first = <T>(...values: Array<T | undefined | ''>) =>
    values.find((v): v is T => v !== undefined && v !== '');
  return {
    stack: first(flags.stack, env.DROVER_STACK, project?.stack),
    namespace: target.namespace?.value ?? 'default',
    region: target.region?.value,
    prune: flags.prune ?? project?.prune ?? false,
    stampKey: first(flags.stampKey, project?.stampKey) ?? 'drover.stack',
    maskPatterns: [...DEFAULT_MASK_PATTERNS, ...(project?.mask ?? []), ...(flags.mask ?? [])],
  };
}
