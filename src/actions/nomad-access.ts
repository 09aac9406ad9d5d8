import {
  resolveTargets,
  type Environment,
  type ProjectTarget,
  type Target,
  type TargetFlags,
} from '../config/target.js';
import type { Connect } from '../nomad/connect.js';

/**
 * How an action reaches Nomad: it resolves its target from these (flags > NOMAD_* in `env` > drover.hcl >
 * defaults) and asks `connect` for the client. The caller reads the process environment; actions never do.
 */
export interface NomadAccess {
  /** --address, --token, --namespace, --region and the TLS flags. */
  readonly nomad?: TargetFlags;
  readonly env: Environment;
  readonly connect: Connect;
}

/** The one target until drover.hcl declares clusters (issue 27), from the flags, the environment and the project. */
export function targetOf(inputs: Pick<NomadAccess, 'nomad' | 'env'>, project?: ProjectTarget): Target {
  const [target] = resolveTargets({ flags: inputs.nomad, env: inputs.env, project });
  return target;
}
