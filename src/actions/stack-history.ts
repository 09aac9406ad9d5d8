import { readHistory, type StackHistory } from '../history/stack-history.js';
import type { NomadClient } from '../nomad/client.js';
import { requireStack, resolveWorkspace } from './workspace.js';

/** The stack's history, newest first (read-only: the variables capability "read" is enough). */
export async function stackHistory(inputs: {
  client: NomadClient;
  dir?: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stack?: string;
  namespace?: string;
  limit?: number;
}): Promise<StackHistory> {
  const { settings } = resolveWorkspace({
    paths: inputs.dir ? [inputs.dir] : [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack, namespace: inputs.namespace },
  });
  const stack = requireStack(settings, 'history');
  const { records } = await readHistory(inputs.client, stack, settings.namespace);
  return {
    stack,
    namespace: settings.namespace,
    records: inputs.limit === undefined ? records : records.slice(0, inputs.limit),
  };
}
