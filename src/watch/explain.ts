/**
 * Why allocations failed, in plain words: their task events (driver failure, exit code and signal, restarts
 * exhausted, sibling failed, artifact or template failure) and the last lines of stderr from the client.
 */
import type { NomadClient } from '../nomad/client.js';
import type { AllocListStub, AllocMetric, TaskEvent } from '../nomad/types.js';

export function describeEvent(event: TaskEvent): string | undefined {
  const details = event.Details ?? {};
  switch (event.Type) {
    case 'Driver Failure':
      return `driver failure: ${event.DriverError || details.driver_error || event.DisplayMessage}`;
    case 'Terminated': {
      const code = event.ExitCode ?? Number(details.exit_code ?? 0);
      const signal = event.Signal ?? Number(details.signal ?? 0);
      if (details.oom_killed === 'true') return `killed: out of memory (exit code ${code})`;
      return `exited with code ${code}${signal ? ` (signal ${signal})` : ''}`;
    }
    case 'Not Restarting':
      return `not restarting: ${event.DisplayMessage}`;
    case 'Sibling Task Failed':
      return `stopped because sibling task ${event.FailedSibling || details.failed_sibling} failed`;
    case 'Failed Artifact Download':
      return `artifact download failed: ${event.DisplayMessage}`;
    case 'Template':
      return `template: ${event.DisplayMessage}`;
    case 'Setup Failure':
    case 'Failed Validation':
    case 'Task hook failed':
    case 'Disk Resources Exceeded':
    case 'Alloc Unhealthy':
      return `${event.Type.toLowerCase()}: ${event.DisplayMessage}`;
    default:
      return undefined;
  }
}

export function describePlacementFailure(group: string, metric: AllocMetric): string {
  const parts: string[] = [];
  for (const [dimension, n] of Object.entries(metric.DimensionExhausted ?? {}))
    parts.push(`${dimension} exhausted on ${n} node${n === 1 ? '' : 's'}`);
  for (const [constraint, n] of Object.entries(metric.ConstraintFiltered ?? {}))
    parts.push(`constraint ${constraint} filtered ${n} node${n === 1 ? '' : 's'}`);
  for (const [cls, n] of Object.entries(metric.ClassFiltered ?? {}))
    parts.push(`class ${cls} filtered ${n} node${n === 1 ? '' : 's'}`);
  if (metric.NodesEvaluated === 0) parts.push('no nodes were eligible');
  const coalesced = metric.CoalescedFailures ? ` (${metric.CoalescedFailures + 1} allocations)` : '';
  return `group "${group}" could not be placed${coalesced}: ${parts.join('; ') || 'no node fits'}`;
}

/** Lines explaining each failed or unhealthy allocation of a version, with its stderr tail. */
export async function explainFailures(
  client: NomadClient,
  namespace: string,
  allocations: readonly AllocListStub[],
  version: number,
  signal?: AbortSignal,
): Promise<string[]> {
  const bad = allocations
    .filter(
      (a) =>
        a.JobVersion === version && (a.ClientStatus === 'failed' || a.DeploymentStatus?.Healthy === false),
    )
    .slice(0, 3);
  const lines: string[] = [];
  for (const stub of bad) {
    lines.push(`allocation ${stub.ID.slice(0, 8)} (${stub.Name}) ${stub.ClientStatus}:`);
    for (const [task, state] of Object.entries(stub.TaskStates ?? {})) {
      const described = (state.Events ?? []).map(describeEvent).filter((d): d is string => d !== undefined);
      const unique = described.filter((d, i) => described.indexOf(d) === i);
      if (unique.length > 0) lines.push(`  task "${task}": ${unique.join('; ')}`);
      try {
        const tail = (
          await client.clientFs.logsPlain(stub.ID, task, {
            type: 'stderr',
            origin: 'end',
            offset: 2048,
            signal,
          })
        ).toString('utf8');
        const last = tail
          .split('\n')
          .filter((l) => l.trim() !== '')
          .slice(-5);
        if (last.length > 0) lines.push(`  last stderr lines of "${task}":`, ...last.map((l) => `    ${l}`));
      } catch {
        // The client may be gone or the logs collected; the task events above still say why.
      }
    }
  }
  return lines;
}
