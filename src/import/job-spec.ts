/**
 * A job as Nomad returns it, cut down to what a job file has to say. `explicitSpec` keeps every field a file can
 * set (the server's own fields and drover's stamp aside); `minimalSpec` also leaves out each value Nomad fills in
 * by itself when the file says nothing (the api and server Canonicalize defaults, shared/reference §10), so the
 * file holds what the team chose. Both walk the api struct table the jobspec reader is driven by.
 */
import { API_STRUCTS, type FieldRow } from '../source/jobspec/api-structs.js';
import type { Job } from '../nomad/types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const SECOND = 1_000_000_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** What a field's default depends on: where it stands in the job. */
interface Place {
  readonly job: Obj;
  readonly group?: Obj;
  readonly task?: Obj;
  readonly service?: Obj;
  /** The struct holding the field. */
  readonly parent: Obj;
  /** Update blocks: the job's own, or a group's (which inherits the job's). */
  readonly level: 'job' | 'group' | 'task';
}

const NO_DEFAULT = Symbol('no default');
type Default = unknown | typeof NO_DEFAULT;

const type = (p: Place) => String(p.job.Type ?? 'service');
const rolling = (p: Place) => type(p) === 'service' || type(p) === 'system';
const batchLike = (p: Place) => type(p) === 'batch' || type(p) === 'sysbatch';

const UPDATE_DEFAULTS: Obj = {
  Stagger: 30 * SECOND,
  MaxParallel: 1,
  HealthCheck: 'checks',
  MinHealthyTime: 10 * SECOND,
  HealthyDeadline: 5 * MINUTE,
  ProgressDeadline: 10 * MINUTE,
};
const RESCHEDULE_DEFAULTS: Record<string, Obj> = {
  service: { Delay: 30 * SECOND, DelayFunction: 'exponential', MaxDelay: HOUR, Unlimited: true },
  batch: { Attempts: 1, Interval: 24 * HOUR, Delay: 5 * SECOND, DelayFunction: 'constant' },
};

/** The value Nomad gives a field the file leaves unset, where that is not the field's zero value. */
const DEFAULTS: Readonly<Record<string, Readonly<Record<string, (p: Place) => Default>>>> = {
  Job: {
    Region: () => 'global',
    Namespace: () => 'default',
    Name: (p) => p.job.ID,
    Type: () => 'service',
    Priority: () => 50,
    Datacenters: () => ['*'],
    NodePool: () => 'default',
  },
  UpdateStrategy: {
    Stagger: (p) => (p.level === 'job' ? (rolling(p) ? 30 * SECOND : 0) : jobUpdate(p).Stagger),
    MaxParallel: (p) => (p.level === 'job' ? (rolling(p) ? 1 : 0) : jobUpdate(p).MaxParallel),
    HealthCheck: (p) => (p.level === 'job' ? '' : UPDATE_DEFAULTS.HealthCheck),
    MinHealthyTime: (p) => (p.level === 'job' ? 0 : UPDATE_DEFAULTS.MinHealthyTime),
    HealthyDeadline: (p) => (p.level === 'job' ? 0 : UPDATE_DEFAULTS.HealthyDeadline),
    ProgressDeadline: (p) => (p.level === 'job' ? 0 : UPDATE_DEFAULTS.ProgressDeadline),
  },
  MigrateStrategy: {
    MaxParallel: () => 1,
    HealthCheck: () => 'checks',
    MinHealthyTime: () => 10 * SECOND,
    HealthyDeadline: () => 5 * MINUTE,
  },
  RestartPolicy: {
    Attempts: (p) => (p.level === 'task' ? groupRestart(p).Attempts : batchLike(p) ? 3 : 2),
    Interval: (p) => (p.level === 'task' ? groupRestart(p).Interval : batchLike(p) ? 24 * HOUR : 30 * MINUTE),
    Delay: (p) => (p.level === 'task' ? groupRestart(p).Delay : 15 * SECOND),
    Mode: (p) => (p.level === 'task' ? groupRestart(p).Mode : 'fail'),
    RenderTemplates: (p) => (p.level === 'task' ? groupRestart(p).RenderTemplates : false),
  },
  ReschedulePolicy: Object.fromEntries(
    ['Attempts', 'Interval', 'Delay', 'DelayFunction', 'MaxDelay', 'Unlimited'].map((key) => [
      key,
      (p: Place) => RESCHEDULE_DEFAULTS[type(p)]?.[key] ?? NO_DEFAULT,
    ]),
  ),
  EphemeralDisk: { SizeMB: () => 300 },
  DisconnectStrategy: { Replace: () => true, Reconcile: () => 'best_score' },
  ScalingPolicy: {
    Enabled: () => true,
    Type: (p) => (p.level === 'group' ? 'horizontal' : NO_DEFAULT),
  },
  TaskGroup: {
    Count: (p) => {
      const scaling = p.parent.Scaling;
      return isObj(scaling) && typeof scaling.Min === 'number' ? scaling.Min : 1;
    },
  },
  Task: { KillTimeout: () => 5 * SECOND },
  Resources: {
    CPU: (p) => (p.parent.Cores ? 0 : 100),
    MemoryMB: () => 300,
  },
  LogConfig: { MaxFiles: () => 10, MaxFileSizeMB: () => 10 },
  Template: {
    ChangeMode: () => 'restart',
    ChangeSignal: (p) => (p.parent.ChangeMode === 'signal' ? 'SIGHUP' : ''),
    Splay: () => 5 * SECOND,
    Perms: () => '0644',
    LeftDelim: () => '{{',
    RightDelim: () => '}}',
  },
  ChangeScript: { Timeout: () => 5 * SECOND },
  Vault: {
    Env: () => true,
    Cluster: () => 'default',
    ChangeMode: () => 'restart',
    ChangeSignal: () => 'SIGHUP',
  },
  Consul: { Cluster: () => 'default' },
  Service: {
    Name: (p) =>
      p.task
        ? `${String(p.job.ID)}-${String(p.group!.Name)}-${String(p.task.Name)}`
        : `${String(p.job.ID)}-${String(p.group!.Name)}`,
    AddressMode: () => 'auto',
    OnUpdate: () => 'require_healthy',
    Provider: () => 'consul',
    Cluster: () => 'default',
    TaskName: (p) => (p.task ? p.task.Name : ''),
  },
  ServiceCheck: {
    Name: (p) => `service: "${String(p.service!.Name)}" check`,
    OnUpdate: (p) => p.service!.OnUpdate,
    TaskName: (p) => (p.task ? p.task.Name : ''),
  },
  CheckRestart: { Grace: () => SECOND },
  Affinity: { Weight: () => 50, Operand: () => '=' },
  Constraint: { Operand: () => '=' },
  Spread: { Weight: () => 50 },
  TaskArtifact: {
    GetterMode: () => 'any',
    RelativeDest: (p) =>
      p.parent.GetterMode === 'file'
        ? `local/${String(p.parent.GetterSource ?? '')
            .split('?')[0]!
            .split('/')
            .pop()}`
        : 'local/',
  },
  VolumeMount: { PropagationMode: () => 'private' },
  Port: { HostNetwork: () => 'default' },
  RequestedDevice: { Count: () => 1 },
  TaskCSIPluginConfig: {
    MountDir: () => '/csi',
    StagePublishBaseDir: () => '/local/csi',
    HealthTimeout: () => 30 * SECOND,
  },
  NUMAResource: { Affinity: () => 'none' },
  PeriodicConfig: { Enabled: () => true, TimeZone: () => 'UTC' },
  ParameterizedJobConfig: { Payload: () => 'optional' },
};

/** Structs the server always fills in: a file that says nothing of them gets exactly these. */
const ALWAYS_PRESENT: ReadonlySet<string> = new Set([
  'Job.Update',
  'TaskGroup.Update',
  'TaskGroup.Migrate',
  'TaskGroup.RestartPolicy',
  'TaskGroup.ReschedulePolicy',
  'TaskGroup.EphemeralDisk',
  'Task.Resources',
  'Task.RestartPolicy',
  'Task.LogConfig',
]);

function jobUpdate(p: Place): Obj {
  return {
    ...UPDATE_DEFAULTS,
    ...(isObj(p.job.Update) ? pickSet(p.job.Update, ['Stagger', 'MaxParallel']) : {}),
  };
}

function groupRestart(p: Place): Obj {
  return isObj(p.group!.RestartPolicy) ? p.group!.RestartPolicy : {};
}

function pickSet(value: Obj, keys: readonly string[]): Obj {
  return Object.fromEntries(
    keys.filter((k) => value[k] !== undefined && value[k] !== null).map((k) => [k, value[k]]),
  );
}

/** The default identity every task gets (structs Task.Canonicalize). */
function isDefaultIdentity(identity: unknown): boolean {
  if (!isObj(identity)) return true;
  return (
    (identity.Name === 'default' || !identity.Name) &&
    Object.entries(identity).every(([key, value]) => key === 'Name' || key === 'Audience' || isZero(value))
  );
}

function isZero(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    value === 0 ||
    value === false ||
    (Array.isArray(value) && value.length === 0) ||
    (isObj(value) && Object.keys(value).length === 0)
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface SpecOptions {
  /** drover's stamp in the job's meta: drover sets it on every plan, so the file leaves it out. */
  readonly stampKey: string;
}

/** Every field a job file can set, as the live job has it; the server's fields and drover's stamp left out. */
export function explicitSpec(live: Job, options: SpecOptions): Obj {
  return walk('Job', live as Obj, { job: live as Obj, parent: live as Obj, level: 'job' }, options, false);
}

/** What a job file has to say for Nomad to hold `live`: the explicit spec without Nomad's own defaults. */
export function minimalSpec(live: Job, options: SpecOptions): Obj {
  return walk('Job', live as Obj, { job: live as Obj, parent: live as Obj, level: 'job' }, options, true);
}

function walk(struct: string, value: Obj, place: Place, options: SpecOptions, minimal: boolean): Obj {
  const out: Obj = {};
  const rows = API_STRUCTS[struct] ?? [];
  const here: Place = { ...place, parent: value };
  for (const row of rows) {
    const [key, , role, kind] = row;
    let field = value[key];
    if (struct === 'Task' && key === 'Identity') {
      if (!isDefaultIdentity(field)) out.Identity = identityOf(field as Obj, here, options, minimal);
      continue;
    }
    if (role === '-' || field === undefined) continue;
    if (struct === 'Job' && key === 'Meta' && isObj(field)) field = withoutStamp(field, options.stampKey);
    let child = nested(struct, row, field, here, options, minimal);
    if (minimal && key === 'Constraints' && Array.isArray(child))
      child = child.filter((c) => !isImplied(c as Obj));
    if (child === undefined || child === null) continue;
    if (minimal && kind.startsWith('struct:') && isObj(child) && Object.keys(child).length === 0) {
      if (ALWAYS_PRESENT.has(`${struct}.${key}`)) continue;
    }
    if (minimal && !kind.startsWith('struct:') && isDefault(struct, key, child, here)) continue;
    out[key] = child;
  }
  return out;
}

/**
 * Constraints Nomad's admission adds by itself (jobImpliedConstraints: service discovery, signals, versions of
 * Consul, Vault and Nomad, CNI plugins), in the exact form it adds them; Nomad adds each again on registration.
 */
function isImplied(constraint: Obj): boolean {
  const target = String(constraint.LTarget ?? '');
  const operand = String(constraint.Operand ?? '');
  const value = String(constraint.RTarget ?? '');
  if (target === '${attr.nomad.service_discovery}') return operand === '=' && value === 'true';
  if (target === '${attr.os.signals}') return operand === 'set_contains';
  if (operand !== 'semver') return false;
  if (target === '${attr.nomad.version}')
    return ['>= 1.4.0', '>= 1.7.0-a', '>= 1.8.0-dev', '>= 1.6.3-dev'].includes(value);
  if (/^\$\{attr\.consul(\.[^.}]+)?\.version\}$/.test(target)) return value === '>= 1.8.0';
  if (target === '${attr.vault.version}') return value === '>= 0.6.1';
  if (/^\$\{attr\.vault\.[^.}]+\.version\}$/.test(target)) return value === '>= 1.11.0';
  if (/^\$\{attr\.plugins\.cni\.version\.(bridge|firewall|host-local|loopback|portmap)\}$/.test(target))
    return value === '>= 0.4.0';
  return target === '${attr.plugins.cni.version.consul-cni}' && value === '>= 1.4.2';
}

function withoutStamp(meta: Obj, stampKey: string): Obj | null {
  const rest = Object.fromEntries(Object.entries(meta).filter(([k]) => k !== stampKey));
  return Object.keys(rest).length > 0 ? rest : null;
}

/** The task's own identity, written as an identity block without a name; Nomad forces its audience. */
function identityOf(identity: Obj, place: Place, options: SpecOptions, minimal: boolean): Obj {
  const spec = walk('WorkloadIdentity', identity, place, options, minimal);
  delete spec.Name;
  delete spec.Audience;
  return spec;
}

function isDefault(struct: string, key: string, value: unknown, place: Place): boolean {
  const rule = DEFAULTS[struct]?.[key];
  const fallback = rule ? rule(place) : NO_DEFAULT;
  if (fallback !== NO_DEFAULT) return same(value, fallback) || (isZero(value) && isZero(fallback));
  return isZero(value);
}

function nested(
  struct: string,
  row: FieldRow,
  value: unknown,
  place: Place,
  options: SpecOptions,
  minimal: boolean,
): unknown {
  const [key, , , kind] = row;
  if (value === null) return null;
  const [base, inner] = kind.split(':') as [string, string | undefined];
  const into = (child: Obj, name: string): Place => {
    if (name === 'TaskGroup') return { ...place, group: child, level: 'group' };
    if (name === 'Task') return { ...place, task: child, level: 'task' };
    if (name === 'Service') return { ...place, service: child };
    if (name === 'UpdateStrategy' || name === 'RestartPolicy' || name === 'ScalingPolicy')
      return { ...place, level: struct === 'Job' ? 'job' : struct === 'Task' ? 'task' : 'group' };
    return place;
  };
  if (base === 'struct' && isObj(value)) return walk(inner!, value, into(value, inner!), options, minimal);
  if (base === 'list' && Array.isArray(value))
    return value.map((item) =>
      isObj(item) ? walk(inner!, item, into(item, inner!), options, minimal) : item,
    );
  if (base === 'map' && inner && isObj(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        isObj(v) ? walk(inner, v, into(v, inner), options, minimal) : v,
      ]),
    );
  void key;
  return value;
}
