import { readHistory, type StackHistory } from '../history/stack-history.js';
import type { NomadAccess } from './nomad-access.js';
import { requireStack, resolveWorkspace } from './workspace.js';

/** The stack's history, newest first (read-only: the variables capability "read" is enough). */
export async function stackHistory(
  inputs: NomadAccess & { dir?: string; cwd: string; stack?: string; limit?: number },
): Promise<StackHistory> {
  const { settings, target } = resolveWorkspace({
    paths: inputs.dir ? [inputs.dir] : [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
    nomad: inputs.nomad,
  });
  const stack = requireStack(settings, 'history');
  const { records } = await readHistory(inputs.connect(target), stack, settings.namespace);
  return {
    stack,
    namespace: settings.namespace,
    records: inputs.limit === undefined ? records : records.slice(0, inputs.limit),
  };
}
