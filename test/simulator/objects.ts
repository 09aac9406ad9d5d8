/** Builders and API encodings for the simulator's evaluations, allocations and deployments (reference §4–6). */
import { randomUUID } from 'node:crypto';
import type {
  AllocListStub,
  Allocation,
  Deployment,
  Evaluation,
  Job,
  Task,
  TaskEvent,
  TaskState,
} from '../../src/nomad/types.js';

type Obj = Record<string, unknown>;

export const MS = 1_000_000;

/** Evaluation and Allocation carry `codec:",omitempty"`: zero-valued fields are not sent. */
export function omitZero<T extends Obj>(value: T): Partial<T> {
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null || v === '' || v === 0 || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as Obj).length === 0) continue;
    out[k] = v;
  }
  return out as Partial<T>;
}

export function newEvaluation(
  job: Job,
  index: number,
  nowMs: number,
  fields: {
    triggeredBy: string;
    status?: Evaluation['Status'];
    deploymentId?: string;
    statusDescription?: string;
    previousEval?: string;
  },
): Evaluation {
  return {
    ID: randomUUID(),
    Namespace: job.Namespace,
    Priority: job.Priority,
    Type: fields.triggeredBy === 'job-deregister' ? 'service' : job.Type,
    TriggeredBy: fields.triggeredBy,
    JobID: job.ID,
    JobModifyIndex: job.JobModifyIndex,
    DeploymentID: fields.deploymentId ?? '',
    Status: fields.status ?? 'pending',
    StatusDescription: fields.statusDescription ?? '',
    PreviousEval: fields.previousEval ?? '',
    CreateIndex: index,
    ModifyIndex: index,
    CreateTime: nowMs * MS,
    ModifyTime: nowMs * MS,
  };
}

export function taskEvent(
  type: string,
  nowMs: number,
  displayMessage: string,
  details: Record<string, string> = {},
  extra: Obj = {},
): TaskEvent {
  return {
    Type: type,
    Time: nowMs * MS,
    Message: '',
    DisplayMessage: displayMessage,
    Details: details,
    FailsTask: false,
    RestartReason: '',
    SetupError: '',
    DriverError: '',
    ExitCode: 0,
    Signal: 0,
    KillTimeout: 0,
    KillError: '',
    KillReason: '',
    StartDelay: 0,
    DownloadError: '',
    ValidationError: '',
    DiskLimit: 0,
    FailedSibling: '',
    VaultError: '',
    TaskSignalReason: '',
    TaskSignal: '',
    DriverMessage: '',
    GenericSource: '',
    ...extra,
  };
}

/** An allocation's DesiredTransition as Nomad returns it before any transition is asked for. */
const NO_TRANSITION = {
  Migrate: null,
  Reschedule: null,
  ForceReschedule: null,
  NoShutdownDelay: null,
  MigrateDisablePlacement: null,
};

/** Go's zero time.Time: Nomad 2.0.5 writes a task's StartedAt so before it starts (FinishedAt and LastRestart are null). */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function pendingTaskState(nowMs: number): TaskState {
  return {
    State: 'pending',
    Failed: false,
    Paused: '',
    Restarts: 0,
    LastRestart: null,
    StartedAt: ZERO_TIME,
    FinishedAt: null,
    Events: [taskEvent('Received', nowMs, 'Task received by client')],
  };
}

export function newAllocation(
  job: Job,
  group: string,
  nameIndex: number,
  node: { ID: string; Name: string },
  fields: {
    evalId: string;
    deploymentId?: string;
    canary?: boolean;
    previousAllocation?: string;
    index: number;
    nowMs: number;
  },
): Allocation {
  const taskGroup = job.TaskGroups?.find((g) => g.Name === group);
  const tasks = taskGroup?.Tasks ?? [];
  return {
    ID: randomUUID(),
    Namespace: job.Namespace,
    EvalID: fields.evalId,
    Name: `${job.ID}.${group}[${nameIndex}]`,
    NodeID: node.ID,
    NodeName: node.Name,
    JobID: job.ID,
    Job: job,
    TaskGroup: group,
    ...allocationResources(tasks, node.ID, fields.nowMs),
    DesiredStatus: 'run',
    DesiredDescription: '',
    DesiredTransition: NO_TRANSITION,
    ClientStatus: 'pending',
    ClientDescription: 'No tasks have started',
    TaskStates: Object.fromEntries(tasks.map((t) => [t.Name, pendingTaskState(fields.nowMs)])),
    PreviousAllocation: fields.previousAllocation ?? '',
    DeploymentID: fields.deploymentId ?? '',
    DeploymentStatus: fields.canary
      ? { Healthy: null, Timestamp: null, Canary: true, ModifyIndex: fields.index }
      : undefined,
    CreateIndex: fields.index,
    ModifyIndex: fields.index,
    AllocModifyIndex: fields.index,
    CreateTime: fields.nowMs * MS,
    ModifyTime: fields.nowMs * MS,
  };
}

/** A Nomad 1.x-style resources block (Allocation.Resources and friends, still sent by Nomad 2.0). */
function legacyResources(cpu: number, memoryMB: number, memoryMaxMB: number, diskMB: number) {
  return {
    CPU: cpu,
    Cores: 0,
    MemoryMB: memoryMB,
    MemoryMaxMB: memoryMaxMB,
    DiskMB: diskMB,
    IOPS: 0,
    Networks: null,
    Devices: null,
    NUMA: null,
    SecretsMB: 0,
  };
}

/** What the scheduler and the client add to an allocation besides its state, in the shapes Nomad 2.0.5 sends. */
function allocationResources(tasks: readonly Task[], nodeId: string, nowMs: number) {
  const asked = tasks.map((t) => {
    const r = (t.Resources ?? {}) as Obj;
    return {
      name: t.Name,
      cpu: (r.CPU as number | undefined) ?? 100,
      memory: (r.MemoryMB as number | undefined) ?? 300,
      memoryMax: (r.MemoryMaxMB as number | undefined) ?? 0,
      lifecycle: (t.Lifecycle as Obj | undefined) ?? null,
    };
  });
  const sum = (pick: (a: (typeof asked)[number]) => number) => asked.reduce((total, a) => total + pick(a), 0);
  return {
    AllocatedResources: {
      Tasks: Object.fromEntries(
        asked.map((a) => [
          a.name,
          {
            Cpu: { CpuShares: a.cpu, ReservedCores: null },
            Memory: { MemoryMB: a.memory, MemoryMaxMB: a.memoryMax },
            Networks: null,
            Devices: null,
          },
        ]),
      ),
      TaskLifecycles: Object.fromEntries(asked.map((a) => [a.name, a.lifecycle])),
      Shared: { DiskMB: 300, Networks: null, Ports: null },
    },
    Resources: legacyResources(
      sum((a) => a.cpu),
      sum((a) => a.memory),
      sum((a) => a.memoryMax),
      300,
    ),
    SharedResources: legacyResources(0, 0, 0, 300),
    TaskResources: Object.fromEntries(
      asked.map((a) => [a.name, legacyResources(a.cpu, a.memory, a.memoryMax, 0)]),
    ),
    Metrics: {
      NodesInPool: 1,
      NodesEvaluated: 1,
      NodesFiltered: 0,
      NodesAvailable: { dc1: 1 },
      ClassFiltered: null,
      ConstraintFiltered: null,
      NodesExhausted: 0,
      ClassExhausted: null,
      DimensionExhausted: null,
      QuotaExhausted: null,
      ResourcesExhausted: null,
      ScoreMetaData: [
        {
          NodeID: nodeId,
          Scores: { binpack: 0.5, 'job-anti-affinity': 0, 'node-reschedule-penalty': 0, 'node-affinity': 0 },
          NormScore: 0.5,
        },
      ],
      AllocationTime: 50_000 + (nowMs % 1000),
      CoalescedFailures: 0,
      NodePool: 'default',
      Scores: null,
    },
    NetworkStatus: { InterfaceName: '', Address: '', AddressIPv6: '', DNS: null },
    SigningKeyID: SIGNING_KEY_ID,
  };
}

/** The key that signs workload identities (one per simulated cluster, as in a dev agent). */
const SIGNING_KEY_ID = randomUUID();

export function allocationJson(alloc: Allocation, withJob = true): Partial<Allocation> {
  const copy: Obj = { ...alloc };
  if (!withJob) delete copy.Job;
  return omitZero(copy);
}

export function allocationStub(alloc: Allocation): AllocListStub {
  return {
    ID: alloc.ID,
    EvalID: alloc.EvalID ?? '',
    Name: alloc.Name ?? '',
    Namespace: alloc.Namespace ?? 'default',
    NodeID: alloc.NodeID ?? '',
    NodeName: alloc.NodeName ?? '',
    JobID: alloc.JobID ?? '',
    JobType: alloc.Job?.Type ?? 'service',
    JobVersion: alloc.Job?.Version ?? 0,
    TaskGroup: alloc.TaskGroup ?? '',
    AllocatedResources: null,
    DesiredStatus: alloc.DesiredStatus ?? 'run',
    DesiredDescription: alloc.DesiredDescription ?? '',
    ClientStatus: alloc.ClientStatus ?? 'pending',
    ClientDescription: alloc.ClientDescription ?? '',
    DesiredTransition: { ...NO_TRANSITION, ...((alloc.DesiredTransition as Obj) ?? {}) },
    TaskStates: alloc.TaskStates ?? null,
    DeploymentStatus: alloc.DeploymentStatus ?? null,
    FollowupEvalID: String(alloc.FollowupEvalID ?? ''),
    NextAllocation: String(alloc.NextAllocation ?? ''),
    RescheduleTracker: null,
    PreemptedAllocations: null,
    PreemptedByAllocation: '',
    CreateIndex: alloc.CreateIndex ?? 0,
    ModifyIndex: alloc.ModifyIndex ?? 0,
    CreateTime: Number(alloc.CreateTime ?? 0),
    ModifyTime: Number(alloc.ModifyTime ?? 0),
  };
}

export const isTerminalAlloc = (a: Allocation) =>
  a.DesiredStatus === 'stop' ||
  a.DesiredStatus === 'evict' ||
  ['complete', 'failed', 'lost'].includes(a.ClientStatus ?? '');
export const isClientTerminal = (a: Allocation) =>
  ['complete', 'failed', 'lost'].includes(a.ClientStatus ?? '');
export const isTerminalEval = (e: Evaluation) => ['complete', 'failed', 'canceled'].includes(e.Status);
export const isTerminalDeployment = (d: Deployment) =>
  ['successful', 'failed', 'cancelled'].includes(d.Status);

export function newDeployment(
  job: Job,
  index: number,
  nowMs: number,
  groups: Deployment['TaskGroups'],
): Deployment {
  return {
    ID: randomUUID(),
    Namespace: job.Namespace ?? 'default',
    JobID: job.ID ?? '',
    JobVersion: job.Version ?? 0,
    JobModifyIndex: job.ModifyIndex ?? 0,
    JobSpecModifyIndex: job.JobModifyIndex ?? 0,
    JobCreateIndex: job.CreateIndex ?? 0,
    IsMultiregion: false,
    TaskGroups: groups,
    Status: 'running',
    StatusDescription: 'Deployment is running',
    EvalPriority: job.Priority ?? 50,
    CreateIndex: index,
    ModifyIndex: index,
    CreateTime: nowMs * MS,
    ModifyTime: nowMs * MS,
  };
}

/** Go's time.Duration String(), for messages such as "Exceeded allowed attempts 2 in interval 30m0s". */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  let seconds = ns / 1e9;
  const h = Math.floor(seconds / 3600);
  seconds -= h * 3600;
  const m = Math.floor(seconds / 60);
  seconds -= m * 60;
  const s = Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(3).replace(/0+$/, '');
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
