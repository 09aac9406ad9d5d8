/**
 * The server copy of a submitted job: the api Canonicalize defaults, the server's own defaults and its key order
 * (../shared/reference/nomad-api.md §10.1–10.3). Implicit constraints and Connect sidecar injection are not modelled.
 */
import type { Job } from '../../src/nomad/types.js';
import { sameJson } from './json-equal.js';

type Obj = Record<string, unknown>;

const SECOND = 1_000_000_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const emptyToNull = <T>(v: T): T | null =>
  v === undefined ||
  v === null ||
  (Array.isArray(v) && v.length === 0) ||
  (isObj(v) && Object.keys(v).length === 0)
    ? null
    : v;
const or = <T>(v: unknown, fallback: T): T => (v === undefined || v === null ? fallback : (v as T));
/** A Go string field (no pointer) that Canonicalize fills when empty: `if s.X == "" { s.X = … }`. */
const orText = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);

function restartDefault(type: string): Obj {
  const batch = type === 'batch' || type === 'sysbatch';
  return {
    Attempts: batch ? 3 : 2,
    Interval: batch ? 24 * HOUR : 30 * MINUTE,
    Delay: 15 * SECOND,
    Mode: 'fail',
    RenderTemplates: false,
  };
}

function rescheduleDefault(type: string): Obj | null {
  if (type === 'service')
    return {
      Attempts: 0,
      Interval: 0,
      Delay: 30 * SECOND,
      DelayFunction: 'exponential',
      MaxDelay: HOUR,
      Unlimited: true,
    };
  if (type === 'batch')
    return {
      Attempts: 1,
      Interval: 24 * HOUR,
      Delay: 5 * SECOND,
      DelayFunction: 'constant',
      MaxDelay: 0,
      Unlimited: false,
    };
  return null;
}

function merge(defaults: Obj | null, ...layers: unknown[]): Obj | null {
  let result: Obj | null = defaults ? { ...defaults } : null;
  for (const layer of layers) {
    if (!isObj(layer)) continue;
    result = { ...(result ?? {}) };
    for (const [k, v] of Object.entries(layer)) if (v !== undefined && v !== null) result[k] = v;
  }
  return result;
}

function pickOrdered(keys: readonly string[], values: Obj): Obj {
  const out: Obj = {};
  for (const key of keys) out[key] = values[key];
  return out;
}

const UPDATE_KEYS = [
  'Stagger',
  'MaxParallel',
  'HealthCheck',
  'MinHealthyTime',
  'HealthyDeadline',
  'ProgressDeadline',
  'AutoRevert',
  'AutoPromote',
  'Canary',
];
const UPDATE_DEFAULTS: Obj = {
  Stagger: 30 * SECOND,
  MaxParallel: 1,
  HealthCheck: 'checks',
  MinHealthyTime: 10 * SECOND,
  HealthyDeadline: 5 * MINUTE,
  ProgressDeadline: 10 * MINUTE,
  AutoRevert: false,
  AutoPromote: false,
  Canary: 0,
};

function canonicalService(service: Obj, jobId: string, group: string, task?: string): Obj {
  const name = orText(service.Name, task ? `${jobId}-${group}-${task}` : `${jobId}-${group}`)
    .replaceAll('${JOB}', jobId)
    .replaceAll('${TASKGROUP}', group)
    .replaceAll('${TASK}', task ?? '');
  const onUpdate = orText(service.OnUpdate, 'require_healthy');
  return {
    ...service,
    Name: name,
    TaskName: task ?? or(service.TaskName, ''),
    AddressMode: orText(service.AddressMode, 'auto'),
    OnUpdate: onUpdate,
    Provider: orText(service.Provider, 'consul'),
    Cluster: orText(service.Cluster, 'default'),
    Tags: emptyToNull(service.Tags),
    Meta: emptyToNull(service.Meta),
    CanaryMeta: emptyToNull(service.CanaryMeta),
    TaggedAddresses: emptyToNull(service.TaggedAddresses),
    Checks: emptyToNull(
      ((service.Checks as Obj[] | undefined) ?? []).map((check) => ({
        ...check,
        Name: orText(check.Name, `service: "${name}" check`),
        OnUpdate: orText(check.OnUpdate, onUpdate),
        TaskName: task ?? or(check.TaskName, ''),
      })),
    ),
  };
}

function canonicalNetwork(network: Obj): Obj {
  const ports = (list: unknown) =>
    emptyToNull(
      ((list as Obj[] | undefined) ?? []).map((p) => ({
        ...p,
        HostNetwork: (p.HostNetwork as string | undefined) || 'default',
      })),
    );
  return {
    ...network,
    Mode: or(network.Mode, 'host'),
    DynamicPorts: ports(network.DynamicPorts),
    ReservedPorts: ports(network.ReservedPorts),
  };
}

function canonicalTask(task: Obj, group: Obj, type: string, jobId: string): Obj {
  const resources = merge(
    {
      CPU: 100,
      Cores: 0,
      MemoryMB: 300,
      MemoryMaxMB: 0,
      DiskMB: 0,
      IOPS: 0,
      Networks: null,
      Devices: null,
      NUMA: null,
      SecretsMB: 0,
    },
    task.Resources,
  );
  if (isObj(task.Resources) && task.Resources.Cores && !task.Resources.CPU) resources!.CPU = 0;
  // api RequestedDevice.Canonicalize: a count of 1, and each affinity's weight 50 unless given.
  if (Array.isArray(resources!.Devices))
    resources!.Devices = (resources!.Devices as Obj[]).map((device) => ({
      ...device,
      Count: or(device.Count, 1),
      Affinities: Array.isArray(device.Affinities)
        ? (device.Affinities as Obj[]).map((a) => ({ ...a, Weight: or(a.Weight, 50) }))
        : or(device.Affinities, null),
    }));
  const lifecycle = isObj(task.Lifecycle) && task.Lifecycle.Hook ? task.Lifecycle : null;
  return pickOrdered(
    [
      'Name',
      'Driver',
      'User',
      'Config',
      'Env',
      'Services',
      'Vault',
      'Secrets',
      'Consul',
      'Templates',
      'Constraints',
      'Affinities',
      'Resources',
      'RestartPolicy',
      'DispatchPayload',
      'Lifecycle',
      'Meta',
      'KillTimeout',
      'LogConfig',
      'Artifacts',
      'Leader',
      'ShutdownDelay',
      'VolumeMounts',
      'ScalingPolicies',
      'KillSignal',
      'Kind',
      'CSIPluginConfig',
      'Identity',
      'Identities',
      'Actions',
      'Schedule',
    ],
    {
      ...task,
      User: or(task.User, ''),
      Config: emptyToNull(task.Config),
      Env: emptyToNull(task.Env),
      Services: emptyToNull(
        ((task.Services as Obj[] | undefined) ?? []).map((s) =>
          canonicalService(s, jobId, String(group.Name), String(task.Name)),
        ),
      ),
      Vault: isObj(task.Vault)
        ? merge(
            {
              Role: '',
              Policies: null,
              Namespace: '',
              Cluster: 'default',
              Env: true,
              DisableFile: false,
              ChangeMode: 'restart',
              ChangeSignal: 'SIGHUP',
              AllowTokenExpiration: false,
            },
            task.Vault,
          )
        : null,
      Secrets: emptyToNull(task.Secrets),
      Consul: canonicalConsul(task.Consul),
      Templates: emptyToNull(
        ((task.Templates as Obj[] | undefined) ?? []).map((t) => ({
          ...merge(
            {
              SourcePath: '',
              DestPath: '',
              EmbeddedTmpl: '',
              ChangeMode: 'restart',
              ChangeSignal: '',
              ChangeScript: null,
              Splay: 5 * SECOND,
              Perms: '0644',
              Uid: null,
              Gid: null,
              LeftDelim: '{{',
              RightDelim: '}}',
              Envvars: false,
              VaultGrace: 0,
              Wait: null,
              ErrMissingKey: false,
              Once: false,
            },
            t,
          ),
          // api Template.Canonicalize: an unset signal is SIGHUP in signal mode, a given one upper-cased.
          ChangeSignal:
            typeof t.ChangeSignal === 'string'
              ? t.ChangeSignal.toUpperCase()
              : or<string>(t.ChangeMode, 'restart') === 'signal'
                ? 'SIGHUP'
                : '',
        })),
      ),
      Constraints: emptyToNull(task.Constraints),
      Affinities: emptyToNull(task.Affinities),
      Resources: resources,
      RestartPolicy: merge(restartDefault(type), group.RestartPolicy, task.RestartPolicy),
      DispatchPayload: or(task.DispatchPayload, null),
      Lifecycle: lifecycle,
      Meta: emptyToNull(task.Meta),
      KillTimeout: or(task.KillTimeout, 5 * SECOND),
      LogConfig: merge({ MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false }, task.LogConfig),
      Artifacts: emptyToNull(
        ((task.Artifacts as Obj[] | undefined) ?? []).map((a) => ({
          ...a,
          GetterMode: or(a.GetterMode, 'any'),
          GetterInsecure: or(a.GetterInsecure, false),
          RelativeDest: or(a.RelativeDest, 'local/'),
          GetterOptions: emptyToNull(a.GetterOptions),
          GetterHeaders: emptyToNull(a.GetterHeaders),
        })),
      ),
      Leader: or(task.Leader, false),
      ShutdownDelay: or(task.ShutdownDelay, 0),
      VolumeMounts: emptyToNull(task.VolumeMounts),
      // ApiScalingPolicyToStructs: a task's policy is enabled unless it says otherwise.
      ScalingPolicies: emptyToNull(
        ((task.ScalingPolicies as Obj[] | undefined) ?? []).map((p) => ({
          ...p,
          Enabled: or(p.Enabled, true),
        })),
      ),
      KillSignal: or(task.KillSignal, ''),
      Kind: or(task.Kind, ''),
      CSIPluginConfig: isObj(task.CSIPluginConfig)
        ? {
            ...task.CSIPluginConfig,
            MountDir: orText(task.CSIPluginConfig.MountDir, '/csi'),
            StagePublishBaseDir: orText(task.CSIPluginConfig.StagePublishBaseDir, '/local/csi'),
            HealthTimeout: task.CSIPluginConfig.HealthTimeout || 30 * SECOND,
          }
        : null,
      Identity: {
        Name: 'default',
        Audience: ['nomadproject.io'],
        ChangeMode: '',
        ChangeSignal: '',
        Env: false,
        File: false,
        Filepath: '',
        ServiceName: '',
        TTL: 0,
        ExtraClaims: null,
        ...(isObj(task.Identity) ? task.Identity : {}),
      },
      Identities: emptyToNull(task.Identities),
      Actions: emptyToNull(task.Actions),
      Schedule: or(task.Schedule, null),
    },
  );
}

/** api Consul.Canonicalize: the cluster is "default" when empty. */
function canonicalConsul(consul: unknown): Obj | null {
  if (!isObj(consul)) return null;
  const merged = merge({ Namespace: '', Cluster: 'default', Partition: '' }, consul)!;
  return { ...merged, Cluster: orText(merged.Cluster, 'default') };
}

/** api.UpdateStrategy.Empty: no field set to anything but its zero value. */
const isEmptyUpdate = (update: Obj) => Object.values(update).every((value) => !value);

function canonicalGroup(group: Obj, job: Obj, type: string, fromApi: boolean): Obj {
  const jobId = String(job.ID);
  const scaling = isObj(group.Scaling)
    ? {
        ...group.Scaling,
        Enabled: or(group.Scaling.Enabled, true),
        Type: or(group.Scaling.Type, 'horizontal'),
        Min: or(group.Scaling.Min, group.Count ?? 1),
      }
    : null;
  const count = or<number>(
    group.Count,
    isObj(group.Scaling) && typeof group.Scaling.Min === 'number' ? group.Scaling.Min : 1,
  );
  const rollingType = type === 'service' || type === 'system';
  // A job sent to the HTTP API of another type keeps an update block given at group level (even all zeros),
  // or inherited from a job-level one once api's Job.Canonicalize filled its unset fields with the defaults
  // (TaskGroup.Canonicalize skips one still Empty(): every field set to zero, as a batch job read back from
  // Nomad has), only for validateJob to refuse it as Nomad does; a stored copy re-registered inside the server
  // (revert, dispatch, scale) is not checked again.
  const inherited = isObj(job.Update) && !isEmptyUpdate(merge(UPDATE_DEFAULTS, job.Update)!);
  const update =
    rollingType || (fromApi && (inherited || isObj(group.Update)))
      ? pickOrdered(UPDATE_KEYS, merge(UPDATE_DEFAULTS, job.Update, group.Update)!)
      : null;
  return pickOrdered(
    [
      'Name',
      'Count',
      'Update',
      'Migrate',
      'Constraints',
      'Scaling',
      'RestartPolicy',
      'Disconnect',
      'Tasks',
      'EphemeralDisk',
      'Meta',
      'ReschedulePolicy',
      'Affinities',
      'Spreads',
      'Networks',
      'Consul',
      'Services',
      'Volumes',
      'ShutdownDelay',
      'MaxRunDuration',
      'StopAfterClientDisconnect',
      'MaxClientDisconnect',
      'PreventRescheduleOnLost',
    ],
    {
      ...group,
      Count: count,
      Update: update,
      Migrate:
        type === 'service'
          ? merge(
              {
                MaxParallel: 1,
                HealthCheck: 'checks',
                MinHealthyTime: 10 * SECOND,
                HealthyDeadline: 5 * MINUTE,
              },
              job.Migrate,
              group.Migrate,
            )
          : null,
      Constraints: emptyToNull(group.Constraints),
      Scaling: scaling,
      RestartPolicy: merge(restartDefault(type), group.RestartPolicy),
      Disconnect: isObj(group.Disconnect)
        ? merge({ Replace: true, Reconcile: 'best_score' }, group.Disconnect)
        : null,
      Tasks: ((group.Tasks as Obj[] | undefined) ?? []).map((t) => canonicalTask(t, group, type, jobId)),
      EphemeralDisk: merge({ Sticky: false, SizeMB: 300, Migrate: false }, group.EphemeralDisk),
      Meta: emptyToNull(group.Meta),
      ReschedulePolicy:
        type === 'system' || type === 'sysbatch'
          ? null
          : merge(rescheduleDefault(type), job.Reschedule, group.ReschedulePolicy),
      Affinities: emptyToNull(group.Affinities),
      Spreads: emptyToNull(group.Spreads),
      Networks: emptyToNull(((group.Networks as Obj[] | undefined) ?? []).map(canonicalNetwork)),
      Consul: canonicalConsul(group.Consul),
      Services: emptyToNull(
        ((group.Services as Obj[] | undefined) ?? []).map((s) =>
          canonicalService(s, jobId, String(group.Name)),
        ),
      ),
      Volumes: emptyToNull(group.Volumes),
      ShutdownDelay: or(group.ShutdownDelay, null),
      MaxRunDuration: or(group.MaxRunDuration, null),
      // Deprecated: dropped by the api → structs conversion.
      StopAfterClientDisconnect: null,
      MaxClientDisconnect: null,
      PreventRescheduleOnLost: false,
    },
  );
}

const SPEC_CHANGE_IGNORED: ReadonlySet<string> = new Set([
  'Status',
  'StatusDescription',
  'Stable',
  'Version',
  'SubmitTime',
  'CreateIndex',
  'ModifyIndex',
  'JobModifyIndex',
]);

/** The job as Nomad stores it (indexes and Status are set by the caller). */
export function canonicalizeJob(input: Job, namespace: string, region: string, fromApi = false): Job {
  const type = or<string>(input.Type, 'service');
  const rollingType = type === 'service' || type === 'system';
  const jobUpdate = merge(null, input.Update);
  const maxParallel = jobUpdate?.MaxParallel ?? 1;
  const job: Obj = {
    ...input,
    Stop: or(input.Stop, false),
    Region: !input.Region || input.Region === 'global' ? region : input.Region,
    Namespace: namespace,
    ParentID: or(input.ParentID, ''),
    Name: or(input.Name, input.ID),
    Type: type,
    Priority: input.Priority || 50,
    AllAtOnce: or(input.AllAtOnce, false),
    Datacenters: input.Datacenters && input.Datacenters.length > 0 ? input.Datacenters : ['*'],
    NodePool: or(input.NodePool, '') || 'default',
    Constraints: emptyToNull(input.Constraints),
    Affinities: emptyToNull(input.Affinities),
    Spreads: emptyToNull(input.Spreads),
    TaskGroups: (input.TaskGroups ?? []).map((g) => canonicalGroup(g as Obj, input as Obj, type, fromApi)),
    Update: rollingType
      ? {
          Stagger: or(jobUpdate?.Stagger, 30 * SECOND),
          MaxParallel: maxParallel,
          HealthCheck: '',
          MinHealthyTime: 0,
          HealthyDeadline: 0,
          ProgressDeadline: 0,
          AutoRevert: false,
          AutoPromote: false,
          Canary: 0,
        }
      : {
          Stagger: 0,
          MaxParallel: 0,
          HealthCheck: '',
          MinHealthyTime: 0,
          HealthyDeadline: 0,
          ProgressDeadline: 0,
          AutoRevert: false,
          AutoPromote: false,
          Canary: 0,
        },
    Multiregion: or(input.Multiregion, null),
    // api PeriodicConfig.Canonicalize fills each nil field (a JSON job's SpecType among them).
    Periodic: isObj(input.Periodic)
      ? merge(
          { Enabled: true, Spec: '', Specs: [], SpecType: 'cron', ProhibitOverlap: false, TimeZone: 'UTC' },
          input.Periodic,
        )
      : null,
    ParameterizedJob: isObj(input.ParameterizedJob)
      ? { ...input.ParameterizedJob, Payload: or(input.ParameterizedJob.Payload, '') || 'optional' }
      : null,
    Dispatched: or(input.Dispatched, false),
    DispatchIdempotencyToken: or(input.DispatchIdempotencyToken, ''),
    Payload: or(input.Payload, null),
    Meta: emptyToNull(input.Meta),
    ConsulNamespace: or(input.ConsulNamespace, ''),
    VaultNamespace: or(input.VaultNamespace, ''),
    NomadTokenID: '',
    Status: 'pending',
    StatusDescription: '',
    Stable: false,
    Version: 0,
    SubmitTime: 0,
    CreateIndex: 0,
    ModifyIndex: 0,
    JobModifyIndex: 0,
    UI: or(input.UI, null),
    VersionTag: null,
  };
  return pickOrdered(
    [
      'Stop',
      'Region',
      'Namespace',
      'ID',
      'ParentID',
      'Name',
      'Type',
      'Priority',
      'AllAtOnce',
      'Datacenters',
      'NodePool',
      'Constraints',
      'Affinities',
      'Spreads',
      'TaskGroups',
      'Update',
      'Multiregion',
      'Periodic',
      'ParameterizedJob',
      'Dispatched',
      'DispatchIdempotencyToken',
      'Payload',
      'Meta',
      'ConsulNamespace',
      'VaultNamespace',
      'NomadTokenID',
      'Status',
      'StatusDescription',
      'Stable',
      'Version',
      'SubmitTime',
      'CreateIndex',
      'ModifyIndex',
      'JobModifyIndex',
      'UI',
      'VersionTag',
    ],
    job,
  ) as Job;
}

/**
 * Job.SpecChanged: what a registration compares to decide on a new version. The token stamp (NomadTokenID) and
 * the version tag count, though Nomad's diff hides them.
 */
export function sameSpec(a: Job, b: Job): boolean {
  return sameJson(a, b, SPEC_CHANGE_IGNORED);
}

/**
 * Validation that Nomad does on register and /v1/validate/job (the frequent messages of §1.7): its admission hooks,
 * of which this server has the Vault one (no Vault cluster is configured, as on a dev agent), then Job.Validate.
 */
export function validateJob(job: Job): string[] {
  const errors: string[] = [];
  const vaultClusters = new Set(
    (job.TaskGroups ?? []).flatMap((g) =>
      (g.Tasks ?? [])
        .filter((t) => isObj(t.Vault))
        .map((t) => String((t.Vault as { Cluster?: string }).Cluster || 'default')),
    ),
  );
  for (const cluster of vaultClusters) errors.push(`Vault "${cluster}" not enabled but used in the job`);
  if (errors.length > 0) return errors;
  const type = job.Type ?? 'service';
  if (!['service', 'batch', 'system', 'sysbatch'].includes(type)) errors.push(`Invalid job type: "${type}"`);
  const groups = job.TaskGroups ?? [];
  if (groups.length === 0) errors.push('Missing job task groups');
  const seen = new Map<string, number>();
  groups.forEach((group, i) => {
    const previous = seen.get(group.Name);
    if (previous !== undefined)
      errors.push(`Job task group ${i + 1} redefines '${group.Name}' from group ${previous + 1}`);
    seen.set(group.Name, i);
    const nested: string[] = [];
    const tasks = group.Tasks ?? [];
    if (tasks.length === 0) nested.push('Missing tasks for task group');
    if (type !== 'service' && type !== 'system' && isObj(group.Update))
      nested.push(`Job type "${type}" does not allow update block`);
    if ((group.Count ?? 1) < 0) nested.push("Task group count can't be negative");
    if (tasks.filter((t) => t.Leader === true).length > 1)
      nested.push('Only one task may be marked as leader');
    for (const task of tasks) {
      const taskErrors: string[] = [];
      if (task.Name === 'alloc') taskErrors.push('Task cannot be named "alloc"');
      if (!task.Driver) taskErrors.push('Missing task driver');
      if (taskErrors.length > 0)
        nested.push(`Task ${task.Name} validation failed: ${multierror(taskErrors)}`);
    }
    if (nested.length > 0) errors.push(`Task group ${group.Name} validation failed: ${multierror(nested)}`);
  });
  // Open-source Nomad, last of Job.Validate; Nomad Enterprise would run it.
  if (isObj(job.Multiregion)) errors.push('Multiregion jobs are unlicensed.');
  return errors;
}

/** hashicorp/go-multierror's text, which Nomad returns as the body of a 500. */
export function multierror(errors: readonly string[]): string {
  const head = errors.length === 1 ? '1 error occurred:' : `${errors.length} errors occurred:`;
  return `${head}\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`;
}
