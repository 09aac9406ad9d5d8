import { describeHolder } from '../lock/holder.js';
import { forceRelease, lockPath, readStackLock } from '../lock/stack-lock.js';
import type { NomadAccess } from './nomad-access.js';
import { resolveWorkspace } from './workspace.js';

export interface ForceUnlockInputs extends NomadAccess {
  readonly stack: string;
  readonly cwd: string;
  /** Shown who holds the lock; resolves to false to leave it. */
  readonly confirm: (holder: string) => Promise<boolean>;
}

export type ForceUnlockOutcome =
  | { readonly kind: 'not-locked'; readonly path: string; readonly namespace: string }
  | { readonly kind: 'declined'; readonly holder: string }
  | { readonly kind: 'released'; readonly holder: string; readonly path: string; readonly namespace: string };

/** Releases a stack lock left behind (a run killed with SIGKILL, a lost machine), after showing its holder. */
export async function forceUnlock(inputs: ForceUnlockInputs): Promise<ForceUnlockOutcome> {
  const { settings, target } = resolveWorkspace({
    paths: [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
    nomad: inputs.nomad,
  });
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
