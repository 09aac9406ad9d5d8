/**
 * Nomad HTTP API shapes (field names exactly as Nomad sends them; ../shared/reference/nomad-api.md).
 * Job specs are large and versioned by Nomad, so Job types its well-known fields and lets the rest through.
 */

export type Nanoseconds = number;

export interface Job {
  ID?: string;
  Name?: string;
  Namespace?: string;
  Region?: string;
  Type?: 'service' | 'batch' | 'system' | 'sysbatch' | string;
  Priority?: number;
  Datacenters?: string[] | null;
  NodePool?: string;
  TaskGroups?: TaskGroup[] | null;
  Meta?: Record<string, string> | null;
  Periodic?: Record<string, unknown> | null;
  ParameterizedJob?: Record<string, unknown> | null;
  Update?: UpdateStrategy | null;
  Stop?: boolean;
  Status?: JobStatus;
  StatusDescription?: string;
  Stable?: boolean;
  Version?: number;
  SubmitTime?: number;
  ParentID?: string;
  CreateIndex?: number;
  ModifyIndex?: number;
  JobModifyIndex?: number;
  /** The accessor of the token that registered this version ('' with ACLs off). */
  NomadTokenID?: string;
  [field: string]: unknown;
}

export type JobStatus = 'pending' | 'running' | 'dead';

export interface TaskGroup {
  Name: string;
  Count?: number;
  Tasks?: Task[] | null;
  Update?: UpdateStrategy | null;
  [field: string]: unknown;
}

export interface Task {
  Name: string;
  Driver?: string;
  Config?: Record<string, unknown> | null;
  Lifecycle?: { Hook: string; Sidecar: boolean } | null;
  [field: string]: unknown;
}

export interface UpdateStrategy {
  Stagger?: Nanoseconds;
  MaxParallel?: number;
  HealthCheck?: string;
  MinHealthyTime?: Nanoseconds;
  HealthyDeadline?: Nanoseconds;
  ProgressDeadline?: Nanoseconds;
  AutoRevert?: boolean;
  AutoPromote?: boolean;
  Canary?: number;
}

export interface JobSummaryCounts {
  Queued: number;
  Complete: number;
  Failed: number;
  Running: number;
  Starting: number;
  Lost: number;
  Unknown: number;
}

export interface JobSummary {
  JobID: string;
  Namespace: string;
  Summary: Record<string, JobSummaryCounts>;
  Children: { Pending: number; Running: number; Dead: number } | null;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface JobListStub {
  ID: string;
  ParentID: string;
  Name: string;
  Namespace?: string;
  Datacenters: string[] | null;
  NodePool: string;
  Multiregion: unknown;
  Type: string;
  Priority: number;
  Periodic: boolean;
  ParameterizedJob: boolean;
  Stop: boolean;
  Status: JobStatus;
  StatusDescription: string;
  JobSummary: JobSummary | null;
  CreateIndex: number;
  ModifyIndex: number;
  JobModifyIndex: number;
  SubmitTime: number;
  Meta?: Record<string, string> | null;
}

export interface JobSubmissionInput {
  Source: string;
  Format: 'hcl2' | 'json';
  VariableFlags?: Record<string, string>;
  Variables?: string;
}

export interface JobSubmission extends JobSubmissionInput {
  Namespace: string;
  JobID: string;
  Version: number;
  JobModifyIndex: number;
}

export interface JobRegisterRequest {
  Job: Job;
  /** With EnforceIndex, the registration only happens if the job's JobModifyIndex equals this (0: must not exist). */
  EnforceIndex?: boolean;
  JobModifyIndex?: number;
  PolicyOverride?: boolean;
  PreserveCounts?: boolean;
  PreserveResources?: boolean;
  EvalPriority?: number;
  Submission?: JobSubmissionInput;
}

export interface WriteMeta {
  Index: number;
}

export interface JobRegisterResponse extends WriteMeta {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  Warnings: string;
  /** Query metadata Nomad also puts in the body; drover reads the headers instead. */
  LastContact?: number;
  KnownLeader?: boolean;
  NextToken?: string;
}

export interface JobDeregisterResponse extends WriteMeta {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  VolumeEvalID?: string;
  VolumeEvalIndex?: number;
}

export type DiffType = 'Added' | 'Deleted' | 'Edited' | 'None';

export interface FieldDiff {
  Type: DiffType;
  Name: string;
  Old: string;
  New: string;
  Annotations: string[] | null;
}

export interface ObjectDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
}

export interface TaskDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
  Annotations: string[] | null;
}

export interface TaskGroupDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
  Tasks: TaskDiff[] | null;
  Updates: Record<string, number> | null;
}

export interface JobDiff {
  Type: DiffType;
  ID: string;
  Fields: FieldDiff[] | null;
  Objects: ObjectDiff[] | null;
  TaskGroups: TaskGroupDiff[] | null;
}

export interface DesiredUpdates {
  Ignore: number;
  Place: number;
  Migrate: number;
  Stop: number;
  InPlaceUpdate: number;
  DestructiveUpdate: number;
  Canary: number;
  Preemptions: number;
  Disconnect?: number;
  Reconnect?: number;
  RescheduleNow?: number;
  RescheduleLater?: number;
}

export interface AllocMetric {
  NodesEvaluated: number;
  NodesFiltered: number;
  NodesInPool?: number;
  NodePool?: string;
  NodesAvailable: Record<string, number> | null;
  ClassFiltered: Record<string, number> | null;
  ConstraintFiltered: Record<string, number> | null;
  NodesExhausted: number;
  ClassExhausted: Record<string, number> | null;
  DimensionExhausted: Record<string, number> | null;
  QuotaExhausted: string[] | null;
  ResourcesExhausted?: Record<string, unknown> | null;
  Scores?: Record<string, number> | null;
  AllocationTime: number;
  CoalescedFailures: number;
}

export interface JobPlanResponse {
  Annotations: {
    DesiredTGUpdates: Record<string, DesiredUpdates> | null;
    PreemptedAllocs: AllocListStub[] | null;
  } | null;
  FailedTGAllocs: Record<string, AllocMetric> | null;
  JobModifyIndex: number;
  CreatedEvals: Evaluation[] | null;
  Diff: JobDiff | null;
  NextPeriodicLaunch: string | null;
  Warnings: string;
  Index: number;
}

export interface JobValidateResponse {
  DriverConfigValidated: boolean;
  ValidationErrors: string[] | null;
  Error: string;
  Warnings: string;
}

export interface JobVersionsResponse {
  Versions: Job[];
  Diffs: JobDiff[] | null;
}

export interface JobScaleStatus {
  JobID: string;
  Namespace: string;
  JobCreateIndex: number;
  JobModifyIndex: number;
  JobStopped: boolean;
  TaskGroups: Record<
    string,
    {
      Desired: number;
      Placed: number;
      Running: number;
      Healthy: number;
      Unhealthy: number;
      Events: unknown[] | null;
    }
  >;
}

export interface JobScaleRequest {
  Count?: number;
  Target: { Group: string };
  Message?: string;
  Error?: boolean;
  Meta?: Record<string, unknown>;
  PolicyOverride?: boolean;
  JobModifyIndex?: number;
}

export interface JobDispatchResponse extends WriteMeta {
  DispatchedJobID: string;
  EvalID: string;
  EvalCreateIndex: number;
  JobCreateIndex: number;
}

export interface PeriodicForceResponse extends WriteMeta {
  EvalID: string;
  EvalCreateIndex: number;
}

export type EvaluationStatus = 'pending' | 'complete' | 'failed' | 'blocked' | 'canceled';

/** Nomad omits zero-valued fields of an Evaluation, so almost everything is optional. */
export interface Evaluation {
  ID: string;
  Namespace?: string;
  Priority?: number;
  Type?: string;
  TriggeredBy?: string;
  JobID?: string;
  JobModifyIndex?: number;
  DeploymentID?: string;
  Status: EvaluationStatus;
  StatusDescription?: string;
  NextEval?: string;
  PreviousEval?: string;
  BlockedEval?: string;
  FailedTGAllocs?: Record<string, AllocMetric>;
  QueuedAllocations?: Record<string, number>;
  CreateIndex?: number;
  ModifyIndex?: number;
  CreateTime?: number;
  ModifyTime?: number;
  [field: string]: unknown;
}

export type DeploymentStatus =
  | 'running'
  | 'paused'
  | 'failed'
  | 'successful'
  | 'cancelled'
  | 'initializing'
  | 'pending'
  | 'blocked'
  | 'unblocking';

export interface DeploymentState {
  AutoRevert: boolean;
  AutoPromote: boolean;
  ProgressDeadline: Nanoseconds;
  RequireProgressBy: string | null;
  Promoted: boolean;
  PlacedCanaries: string[] | null;
  DesiredCanaries: number;
  DesiredTotal: number;
  PlacedAllocs: number;
  HealthyAllocs: number;
  UnhealthyAllocs: number;
}

export interface Deployment {
  ID: string;
  Namespace: string;
  JobID: string;
  JobVersion: number;
  JobModifyIndex: number;
  JobSpecModifyIndex: number;
  JobCreateIndex: number;
  IsMultiregion: boolean;
  TaskGroups: Record<string, DeploymentState>;
  Status: DeploymentStatus;
  StatusDescription: string;
  EvalPriority: number;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  ModifyTime: number;
}

export interface DeploymentUpdateResponse extends WriteMeta {
  EvalID: string;
  EvalCreateIndex: number;
  DeploymentModifyIndex: number;
  RevertedJobVersion: number | null;
}

export type AllocClientStatus = 'pending' | 'running' | 'complete' | 'failed' | 'lost' | 'unknown';
export type AllocDesiredStatus = 'run' | 'stop' | 'evict';

export interface TaskEvent {
  Type: string;
  Time: number;
  Message?: string;
  DisplayMessage: string;
  Details: Record<string, string> | null;
  FailsTask?: boolean;
  ExitCode?: number;
  Signal?: number;
  DriverError?: string;
  FailedSibling?: string;
  [field: string]: unknown;
}

export interface TaskState {
  State: 'pending' | 'running' | 'dead';
  Failed: boolean;
  Restarts: number;
  LastRestart: string | null;
  StartedAt: string | null;
  FinishedAt: string | null;
  Events: TaskEvent[] | null;
  Paused?: unknown;
}

export interface AllocDeploymentStatus {
  Healthy: boolean | null;
  Timestamp: string | null;
  Canary: boolean;
  ModifyIndex: number;
}

export interface AllocListStub {
  ID: string;
  EvalID: string;
  Name: string;
  Namespace: string;
  NodeID: string;
  NodeName: string;
  JobID: string;
  JobType: string;
  JobVersion: number;
  TaskGroup: string;
  AllocatedResources?: unknown;
  DesiredStatus: AllocDesiredStatus;
  DesiredDescription: string;
  ClientStatus: AllocClientStatus;
  ClientDescription: string;
  DesiredTransition: Record<string, unknown>;
  TaskStates: Record<string, TaskState> | null;
  DeploymentStatus: AllocDeploymentStatus | null;
  FollowupEvalID: string;
  NextAllocation: string;
  RescheduleTracker: unknown;
  PreemptedAllocations: string[] | null;
  PreemptedByAllocation: string;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  ModifyTime: number;
}

/** Zero-valued fields are omitted by Nomad here too. */
export interface Allocation {
  ID: string;
  Namespace?: string;
  EvalID?: string;
  Name?: string;
  NodeID?: string;
  NodeName?: string;
  JobID?: string;
  Job?: Job;
  TaskGroup?: string;
  DesiredStatus?: AllocDesiredStatus;
  DesiredDescription?: string;
  ClientStatus?: AllocClientStatus;
  ClientDescription?: string;
  TaskStates?: Record<string, TaskState>;
  DeploymentID?: string;
  DeploymentStatus?: AllocDeploymentStatus;
  CreateIndex?: number;
  ModifyIndex?: number;
  [field: string]: unknown;
}

export interface AllocStopResponse extends WriteMeta {
  EvalID: string;
}

export interface AllocFileInfo {
  Name: string;
  IsDir: boolean;
  Size: number;
  FileMode: string;
  ModTime: string;
  ContentType?: string;
}

/** One frame of a client fs stream or log stream, Data decoded. */
export interface StreamFrame {
  Offset: number;
  Data: Buffer;
  File?: string;
  FileEvent?: 'file deleted' | 'file truncated' | string;
}

export interface ResourceUsage {
  MemoryStats: Record<string, unknown> & {
    RSS?: number;
    Usage?: number;
    MaxUsage?: number;
    Measured?: string[];
  };
  CpuStats: Record<string, unknown> & { Percent?: number; TotalTicks?: number; Measured?: string[] };
  DeviceStats: unknown[] | null;
}

export interface AllocResourceUsage {
  ResourceUsage: ResourceUsage;
  Tasks: Record<string, { ResourceUsage: ResourceUsage; Timestamp: number; Pids: unknown }>;
  Timestamp: number;
}

export interface HostStats {
  Memory: { Total: number; Available: number; Used: number; Free: number };
  CPU: Array<{
    CPU: string;
    User: number;
    System: number;
    Idle: number;
    TotalPercent: number;
    TotalTicks: number;
  }>;
  DiskStats: unknown[] | null;
  AllocDirStats: unknown;
  DeviceStats: unknown[] | null;
  Uptime: number;
  Timestamp: number;
  CPUTicksConsumed: number;
}

export interface NodeMetadata {
  Meta: Record<string, string>;
  Dynamic: Record<string, string | null>;
  Static: Record<string, string>;
}

export interface NomadEvent {
  Topic: string;
  Type: string;
  Key: string;
  Namespace: string;
  FilterKeys: string[] | null;
  Index: number;
  Payload: Record<string, unknown>;
}

export interface EventBatch {
  Index: number;
  Events: NomadEvent[];
}

export interface AgentSelf {
  config: { Region?: string; Datacenter?: string; Version?: { Version?: string } } & Record<string, unknown>;
  member: Record<string, unknown>;
  stats: Record<string, unknown>;
}
