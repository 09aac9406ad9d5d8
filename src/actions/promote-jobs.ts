import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import type { Deployment } from '../nomad/types.js';
import { listStackJobs } from '../plan/ownership.js';
import { mapLimit } from '../util/limit.js';
import type { Logger } from '../util/logger.js';
import { promoteDeployment, type PromoteResult } from '../watch/promote-deployment.js';
import { waitsForPromotion } from '../watch/readiness.js';
import { requireStack, resolveWorkspace } from './workspace.js';

export interface PromoteInputs {
  readonly client: NomadClient;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stack?: string;
  /** Job IDs of the stack; none: every job of the stack whose deployment waits for promotion. */
  readonly jobs: readonly string[];
  /** Bound on the wait for each deployment; 0 for none. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly logger: Logger;
  /** Progress for people: one line per step. */
  readonly progress: (line: string) => void;
}

/**
 * Promotes the canaries of the stack's deployments that wait for it (all of them, or the named jobs', which must
 * wait), then follows each deployment to its end with blocking queries, as apply does.
 */
export async function promoteJobs(
  inputs: PromoteInputs,
): Promise<{ stack: string; results: PromoteResult[] }> {
  const { client, signal } = inputs;
  const { settings } = resolveWorkspace({
    paths: [],
    cwd: inputs.cwd,
    env: inputs.env,
    flags: { stack: inputs.stack },
  });
  const stack = requireStack(settings, 'promote');
  const stubs = (await listStackJobs(client, settings.stampKey, stack, signal)).filter((s) => !s.ParentID);
  const unknown = inputs.jobs.filter((id) => !stubs.some((s) => s.ID === id));
  if (unknown.length > 0)
    throw new UserError(`${unknown.join(', ')}: not a job of stack "${stack}"`, {
      code: 'unknown_job',
      hint: `The stack's jobs: ${stubs.map((s) => s.ID).join(', ') || 'none'}.`,
    });
  const chosen = inputs.jobs.length > 0 ? stubs.filter((s) => inputs.jobs.includes(s.ID)) : stubs;
  const latest = await mapLimit(chosen, 8, async (stub) => {
    const namespace = stub.Namespace ?? 'default';
    const { body } = await client.jobs.latestDeployment(stub.ID, { namespace, signal });
    return { id: stub.ID, namespace, deployment: body };
  });
  const notWaiting = latest.filter(
    (j) => inputs.jobs.includes(j.id) && !(j.deployment && waitsForPromotion(j.deployment)),
  );
  if (notWaiting.length > 0)
    throw new UserError(
      notWaiting
        .map(
          (j) =>
            `${j.id}: no deployment waits for promotion (latest: ${j.deployment ? `${j.deployment.ID.slice(0, 8)} ${j.deployment.Status}` : 'none'})`,
        )
        .join('\n'),
      { code: 'nothing_to_promote', hint: "drover status shows each job's deployment." },
    );
  const waiting = latest.filter((j): j is typeof j & { deployment: Deployment } =>
    Boolean(j.deployment && waitsForPromotion(j.deployment)),
  );
  return {
    stack,
    results: await Promise.all(
      waiting.map((j) =>
        promoteDeployment({ ...inputs, id: j.id, namespace: j.namespace, deployment: j.deployment }),
      ),
    ),
  };
}
