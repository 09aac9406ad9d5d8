import { readFileSync } from 'node:fs';
import {
  resolveTargets,
  type Environment,
  type ProjectTarget,
  type Target,
  type TargetFlags,
} from '../config/target.js';
import type { Connect } from '../nomad/connect.js';
import type { Logger } from '../util/logger.js';

/**
 * How an action reaches Nomad: it resolves its target from these (flags > NOMAD_* in `env` > drover.hcl >
 * defaults) and asks `connect` for the client. The caller reads the process environment; actions never do.
 */
export interface NomadAccess {
  /** --address, --token, --namespace, --region and the TLS flags. */
  readonly nomad?: TargetFlags;
  readonly env: Environment;
  readonly connect: Connect;
  /** Hears, at debug level, what an action spends beside its requests (the checks' evaluation). */
  readonly logger?: Logger;
}

/** The Nomad of the flags and the environment (and the project's namespace and region): one, never a cluster block's. */
export function targetOf(inputs: Pick<NomadAccess, 'nomad' | 'env'>, project?: ProjectTarget): Target {
  const [target] = resolveTargets({
    flags: inputs.nomad,
    env: inputs.env,
    project: project && { ...project, clusters: undefined },
  });
  return target;
}

/** The targets of the project's clusters (those --cluster names, else all), or its one Nomad without cluster blocks. */
export function targetsOf(
  inputs: Pick<NomadAccess, 'nomad' | 'env'>,
  project: ProjectTarget | undefined,
  clusters: readonly string[] | undefined,
): readonly [Target, ...Target[]] {
  return resolveTargets({
    flags: inputs.nomad,
    env: inputs.env,
    project,
    clusters,
    readFile: (path) => readFileSync(path, 'utf8'),
  });
}
