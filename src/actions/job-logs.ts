import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import { targetOf, type NomadAccess } from './nomad-access.js';

/** The namespace is the target's (--namespace, NOMAD_NAMESPACE); logs read no project file. */
export interface LogsInputs extends NomadAccess {
  readonly job: string;
  readonly alloc?: string;
  readonly task?: string;
  readonly stderr?: boolean;
  readonly follow?: boolean;
  /** The last N lines (default: all). */
  readonly tail?: number;
  readonly signal?: AbortSignal;
  readonly write: (chunk: Buffer) => void;
}

/** A task's log through the client logs endpoint; picks the newest running allocation when none is named. */
export async function jobLogs(inputs: LogsInputs): Promise<{ alloc: string; task: string }> {
  const { signal } = inputs;
  const client = inputs.connect(targetOf(inputs));
  const { body: allocations } = await client.jobs.allocations(inputs.job, { signal });
  const alloc = inputs.alloc
    ? allocations.find((a) => a.ID === inputs.alloc || a.ID.startsWith(inputs.alloc!))
    : [...allocations].sort(
        (a, b) =>
          Number(b.ClientStatus === 'running') - Number(a.ClientStatus === 'running') ||
          b.CreateIndex - a.CreateIndex,
      )[0];
  if (!alloc) throw await noAllocation(inputs, client);
  const tasks = Object.keys(alloc.TaskStates ?? {}).sort();
  const task = inputs.task ?? (tasks.length === 1 ? tasks[0] : undefined);
  if (!task)
    throw new UserError(
      `allocation ${alloc.ID.slice(0, 8)} runs ${tasks.length} tasks: ${tasks.join(', ')}`,
      { code: 'which_task', hint: 'Name one with --task.' },
    );
  if (!tasks.includes(task))
    throw new UserError(
      `allocation ${alloc.ID.slice(0, 8)} has no task "${task}" (it runs ${tasks.join(', ')})`,
      { code: 'no_task' },
    );
  const type = inputs.stderr ? 'stderr' : 'stdout';
  if (inputs.tail !== undefined) {
    // Read enough of the end to hold N lines, then keep the last N.
    const text = (
      await client.clientFs.logsPlain(alloc.ID, task, {
        type,
        origin: 'end',
        offset: Math.max(4096, inputs.tail * 512),
        signal,
      })
    ).toString('utf8');
    const last = lastLines(text, inputs.tail);
    if (last) inputs.write(Buffer.from(last));
    if (!inputs.follow) return { alloc: alloc.ID, task };
    // Then only what is written from now on.
    for await (const frame of client.clientFs.logs(alloc.ID, task, {
      type,
      origin: 'end',
      offset: 0,
      follow: true,
      signal,
    }))
      inputs.write(frame.Data);
    return { alloc: alloc.ID, task };
  }
  for await (const frame of client.clientFs.logs(alloc.ID, task, { type, follow: inputs.follow, signal }))
    inputs.write(frame.Data);
  return { alloc: alloc.ID, task };
}

/**
 * Nomad lists no allocations (200, []) for a job it does not have, as for one that has none: which it is, only
 * the job itself says.
 */
async function noAllocation(inputs: LogsInputs, client: NomadClient): Promise<UserError> {
  const { signal } = inputs;
  const namespace = client.namespace ?? 'default';
  const { body: job } = await client.jobs.find(inputs.job, { namespace, signal });
  if (!job)
    return new UserError(`job ${inputs.job} does not exist in namespace ${namespace}`, {
      code: 'unknown_job',
      hint: 'drover status lists the jobs of the stack.',
    });
  return new UserError(
    inputs.alloc
      ? `job ${inputs.job} has no allocation ${inputs.alloc}`
      : `job ${inputs.job} has no allocations`,
    { code: 'no_allocation' },
  );
}

/** The last `count` lines of a log, each with its newline as written (the last may have none yet). */
function lastLines(text: string, count: number): string {
  if (count === 0) return '';
  const ends = text.endsWith('\n') ? 1 : 0;
  return text
    .split('\n')
    .slice(-count - ends)
    .join('\n');
}
