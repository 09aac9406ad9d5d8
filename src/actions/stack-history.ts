import { UserError } from '../errors.js';
import { readHistory, type StackHistory } from '../history/stack-history.js';
import type { NomadClient } from '../nomad/client.js';
import { resolveWorkspace } from './workspace.js';

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
  if (!settings.stack)
    throw new UserError('history needs a stack name', {
      code: 'history_without_stack',
      hint: 'Set stack in drover.hcl or pass --stack NAME.',
    });
  const { records } = await readHistory(inputs.client, settings.stack, settings.namespace);
  return {
    stack: settings.stack,
    namespace: settings.namespace,
    records: inputs.limit === undefined ? records : records.slice(0, inputs.limit),
  };
}
