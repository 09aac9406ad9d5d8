import { describeHolder } from '../lock/holder.js';
import { forceRelease, lockPath, readStackLock } from '../lock/stack-lock.js';
import type { NomadAccess } from './nomad-access.js';
import { UserError } from '../errors.js';
import { resolveClusterWorkspaces } from './workspace.js';

export interface ForceUnlockInputs extends NomadAccess {
  readonly stack: string;
  readonly cwd: string;
  /** Shown who holds the lock; resolves to false to leave it. */
  readonly confirm: (holder: string) => Promise<boolean>;
  /** --cluster: the one cluster of drover.hcl whose lock to release (each cluster keeps its own). */
  readonly clusters?: readonly string[];
}

export type ForceUnlockOutcome =
  | { readonly kind: 'not-locked'; readonly path: string; readonly namespace: string }
  | { readonly kind: 'declined'; readonly holder: string }
  | { readonly kind: 'released'; readonly holder: string; readonly path: string; readonly namespace: string };

/** Releases a stack lock left behind (a run killed with SIGKILL, a lost machine), after showing its holder. */
export async function forceUnlock(inputs: ForceUnlockInputs): Promise<ForceUnlockOutcome> {
  const workspaces = resolveClusterWorkspaces({
    paths: [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
    nomad: inputs.nomad,
    clusters: inputs.clusters,
  });
  // Each cluster keeps its own lock, and a lock left behind is one run's in one cluster: released one at a time.
  if (workspaces.length > 1)
    throw new UserError(
      `${workspaces[0].projectFile} declares clusters ${workspaces.map((w) => w.target.name).join(', ')}, each with its own lock of stack "${inputs.stack}": force-unlock releases one`,
      {
        code: 'cluster_not_chosen',
        hint: `Name the cluster whose lock to release: --cluster ${workspaces[0].target.name} (drover status --cluster NAME shows whether a run is under way there).`,
      },
    );
  const { settings, target } = workspaces[0];
  const client = inputs.connect(target);
  const namespace = settings.namespace;
  const path = lockPath(inputs.stack);
  const state = await readStackLock(client, inputs.stack, namespace);
  if (!state.held) return { kind: 'not-locked', path, namespace };
  const holder = describeHolder(state.items, new Date());
  if (!(await inputs.confirm(holder))) return { kind: 'declined', holder };
  await forceRelease(client, inputs.stack, namespace, state);
  return { kind: 'released', holder, path, namespace };
}
