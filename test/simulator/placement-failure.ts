import type { AllocMetric, Job, TaskGroup } from '../../src/nomad/types.js';
import type { SimContext } from './context.js';

/** The AllocMetric Nomad reports for a group it cannot place (FailedTGAllocs), by scripted cause. */
export function failureMetric(
  ctx: SimContext,
  job: Job,
  group: TaskGroup | undefined,
  kind: string,
  count: number,
): AllocMetric {
  const nodes = ctx.store.nodes.length;
  const resources = kind === 'unplaceable-resources';
  const task = group?.Tasks?.[0];
  const memory = Number(((task?.Resources ?? {}) as Record<string, unknown>).MemoryMB ?? 300);
  return {
    NodesEvaluated: nodes,
    NodesFiltered: resources ? 0 : nodes,
    NodesInPool: nodes,
    NodePool: String(job.NodePool ?? 'default'),
    NodesAvailable: { [ctx.datacenter]: nodes },
    ClassFiltered: null,
    ConstraintFiltered: resources ? null : { '${attr.kernel.name} = windows': nodes },
    NodesExhausted: resources ? nodes : 0,
    ClassExhausted: null,
    DimensionExhausted: resources ? { memory: nodes } : null,
    QuotaExhausted: null,
    ResourcesExhausted: resources && task ? { [task.Name]: { CPU: 0, MemoryMB: memory } } : null,
    Scores: null,
    AllocationTime: 48_000,
    CoalescedFailures: count - 1,
  };
}
