/**
 * `plan` as a check's expressions see it (docs/checks.md, "The plan object"): a documented object, versioned by
 * `plan.version`, built from a masked plan (what a secret was is never visible to a rule). Its shape is declared
 * once, in planObjectShape(), which validate uses to name unknown attributes offline; planObject builds the value.
 */
import { specOf, type JobChange } from '../kinds/job/change.js';
import { jsonWeight, weighsAs, weightOf } from '../source/hcl/value-weight.js';
import type { DesiredUpdates, FieldDiff, Job, JobDiff, ObjectDiff, Task, TaskGroup } from '../nomad/types.js';
import { addressKey, diffOf, type Address, type Change, type Plan } from '../plan/model.js';
import { setKey, type Value } from '../source/hcl/types.js';

export const PLAN_OBJECT_VERSION = 1;

/** A shape for validate: an object's known attributes, a list of one shape, or any value (maps the user fills). */
export type Shape =
  | { readonly kind: 'object'; readonly attributes: Readonly<Record<string, Shape>> }
  | { readonly kind: 'list'; readonly element: Shape }
  | { readonly kind: 'any' };

const ANY: Shape = { kind: 'any' };
const object = (attributes: Record<string, Shape>): Shape => ({ kind: 'object', attributes });
const list = (element: Shape): Shape => ({ kind: 'list', element });
const scalars = (...names: string[]) => Object.fromEntries(names.map((n) => [n, ANY]));

let shape: Shape | undefined;

/** The plan object's shape, made on first use: a project without checks (most runs) never builds it. */
export function planObjectShape(): Shape {
  return (shape ??= makeShape());
}

function makeShape(): Shape {
  const ADDRESS = object(scalars('cluster', 'kind', 'namespace', 'name'));
  const ALLOCATIONS = object(
    scalars(
      'place',
      'stop',
      'migrate',
      'in_place_update',
      'destructive_update',
      'canary',
      'ignore',
      'preemptions',
    ),
  );
  const WHERE = scalars('label', 'cluster', 'namespace', 'job', 'action');
  return object({
    ...scalars('version', 'cluster', 'address', 'namespace', 'region', 'stack', 'time', 'created_at'),
    ...scalars('prune', 'destroy', 'purge', 'project_file'),
    targets: list(ANY),
    changes: list(
      object({
        ...scalars('label', 'kind', 'action', 'cluster', 'namespace', 'name', 'file', 'wave'),
        ...scalars('replaces', 'stops', 'desired'),
        address: ADDRESS,
        allocations: ALLOCATIONS,
        changed: list(ANY),
        drift: list(ANY),
        notes: list(ANY),
        depends_on: list(ANY),
      }),
    ),
    groups: list(
      object({
        ...WHERE,
        ...scalars('name', 'count', 'shutdown_delay', 'meta'),
        services: list(ANY),
        tasks: list(ANY),
      }),
    ),
    tasks: list(
      object({
        ...WHERE,
        ...scalars('group', 'name', 'driver', 'image', 'config', 'env', 'meta', 'user', 'lifecycle'),
        ...scalars('kill_timeout', 'shutdown_delay'),
        resources: object(scalars('cpu', 'cores', 'memory', 'memory_max')),
        services: list(ANY),
      }),
    ),
    services: list(
      object({
        ...WHERE,
        ...scalars('group', 'task', 'name', 'provider', 'port', 'shutdown_delay'),
        tags: list(ANY),
      }),
    ),
    drift: list(
      object({
        ...scalars('label', 'kind', 'cluster', 'namespace', 'name', 'change', 'message'),
        address: ADDRESS,
      }),
    ),
    unseen: list(object(scalars('kind', 'needs'))),
  });
}

/**
 * The plan object of a masked plan. `time`: when the checks run (plan.time, timestamp()); the plan's own
 * createdAt is plan.created_at. Its lists, and a change's `changed` (which walks its diff), are made when a
 * rule first reads them: a plan's checks pay for what they read. A change's `desired` is the masked spec itself.
 */
export function planObject(plan: Plan, time: string): Value {
  const { settings } = plan;
  const label = (address: Address) => labelOf(address, settings.cluster);
  let collected: Collected | undefined;
  const jobParts = () => (collected ??= collectJobs(plan.changes, settings.cluster));
  return objectOf({
    version: PLAN_OBJECT_VERSION,
    cluster: settings.cluster,
    address: settings.address,
    namespace: settings.namespace,
    region: settings.region ?? null,
    stack: settings.stack ?? null,
    project_file: settings.projectFile ?? null,
    time,
    created_at: plan.createdAt,
    prune: settings.prune,
    destroy: settings.destroy ?? false,
    purge: settings.purge ?? false,
    targets: [...settings.targets],
    changes: later(plan.changes, () => {
      const driftOf = driftMessages(plan.drift ?? []);
      return plan.changes.map((change) => changeObject(change, label(change.address), driftOf));
    }),
    groups: later(plan.changes, () => jobParts().groups),
    tasks: later(plan.changes, () => jobParts().tasks),
    services: later(plan.changes, () => jobParts().services),
    drift: later(plan.drift ?? [], () =>
      (plan.drift ?? []).map((fact) => ({
        label: label(fact.address),
        address: addressObject(fact.address),
        kind: fact.address.kind,
        cluster: fact.address.cluster,
        namespace: fact.address.namespace ?? null,
        name: fact.address.name,
        change: fact.change,
        message: fact.message,
      })),
    ),
    unseen: (plan.unseen ?? []).map((u) => ({ kind: u.kind, needs: u.needs })),
  });
}

/** An attribute made on its first read, then kept; until then it weighs as `source`, the data it is made from. */
class Later {
  constructor(
    readonly source: unknown,
    readonly make: () => Value,
  ) {}
}

const later = (source: unknown, make: () => Value) => new Later(source, make);

/**
 * An object with these attributes in this order, a Later one made on its first read. Every attribute is an own
 * enumerable one from the start: a rule that lists or compares the object (keys(), jsonencode(), ==) reads them all.
 */
function objectOf(attributes: Readonly<Record<string, Value | Later>>): Record<string, Value> {
  const out: Record<string, Value> = {};
  const sources = new Map<string, unknown>();
  for (const key of Object.keys(attributes)) {
    const value = attributes[key]!;
    if (value instanceof Later) {
      onFirstRead(out, key, value.make);
      sources.set(key, value.source);
    } else setKey(out, key, value);
  }
  if (sources.size > 0) weighsAs(out, () => weightSoFar(out, sources));
  return out;
}

/** The weight of the object's attributes made so far, and of the data of those not made yet. */
function weightSoFar(object: Record<string, Value>, sources: ReadonlyMap<string, unknown>): number {
  let total = weightOf({});
  for (const key of Object.keys(object))
    total +=
      sources.has(key) && Object.getOwnPropertyDescriptor(object, key)?.get
        ? jsonWeight(sources.get(key))
        : weightOf(object[key]!);
  return total;
}

function onFirstRead(object: Record<string, Value>, key: string, make: () => Value): void {
  Object.defineProperty(object, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const made = make();
      Object.defineProperty(object, key, {
        value: made,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return made;
    },
  });
}

function driftMessages(drift: NonNullable<Plan['drift']>): ReadonlyMap<string, string[]> {
  const driftOf = new Map<string, string[]>();
  for (const fact of drift) {
    const key = addressKey(fact.address);
    driftOf.set(key, [...(driftOf.get(key) ?? []), fact.message]);
  }
  return driftOf;
}

/** "job prod/api", "namespace prod", "variable prod/nomad/jobs/api"; another cluster's objects say which. */
export function labelOf(address: Address, planCluster: string): string {
  const where = address.cluster === planCluster ? '' : `${address.cluster}:`;
  return `${address.kind} ${where}${address.namespace !== undefined ? `${address.namespace}/` : ''}${address.name}`;
}

function addressObject(address: Address): Value {
  return {
    cluster: address.cluster,
    kind: address.kind,
    namespace: address.namespace ?? null,
    name: address.name,
  };
}

/**
 * One change as rules see it, made as one object (a plan has thousands): its `changed`, which walks the diff, is
 * made on its first read and weighs until then what the diff does.
 */
function changeObject(change: Change, label: string, driftOf: ReadonlyMap<string, string[]>): Value {
  const { address } = change;
  // Objects of the other kinds run no allocations.
  const effects = change.kind === 'job' ? allocationsOf(change) : NO_ALLOCATIONS;
  let changed: Value[] | undefined;
  const object: Record<string, Value> = {
    label,
    kind: change.kind,
    action: change.action,
    address: addressObject(address),
    cluster: address.cluster,
    namespace: address.namespace ?? null,
    name: address.name,
    file: change.file ?? null,
    wave: change.wave + 1,
    depends_on: change.kind === 'job' ? [...(change.dependsOn ?? [])] : [],
    allocations: effects.allocations,
    replaces: effects.replaces,
    stops: effects.stops,
    get changed() {
      return (changed ??= changedPaths(change));
    },
    desired: desiredOf(change),
    // A plan without drift (most) keys no address.
    drift: driftOf.size === 0 ? [] : (driftOf.get(addressKey(address)) ?? []),
    notes: change.notes.map((note) => note.type),
  };
  weighsAs(object, () => {
    let total = weightOf({});
    for (const key of Object.keys(object)) {
      if (key !== 'changed') total += weightOf(object[key]!);
      else total += changed ? weightOf(changed) : jsonWeight(diffData(change));
    }
    return total;
  });
  return object;
}

const NO_ALLOCATIONS = { allocations: null, replaces: false, stops: false } as const;

/** The data a change's `changed` is made from. */
const diffData = (change: Change): unknown =>
  change.kind === 'job' ? diffOf(change) : 'fields' in change && change.fields;

/** What a change does to allocations, from Nomad's scheduler annotations (null where the plan has none). */
function allocationsOf(change: JobChange): { allocations: Value; replaces: Value; stops: Value } {
  switch (change.action) {
    case 'delete':
      return { allocations: null, replaces: false, stops: true };
    case 'promote':
      return { allocations: null, replaces: true, stops: false };
    case 'revert':
      return { allocations: null, replaces: null, stops: null };
    default: {
      if (!change.annotations) {
        // Nothing to place or stop for a job left as it is; otherwise, unknown without the scheduler's word.
        const known = change.action === 'noop';
        return { allocations: null, replaces: known ? false : null, stops: known ? false : null };
      }
      const total = sumUpdates(Object.values(change.annotations));
      return {
        allocations: total,
        replaces: total.destructive_update > 0,
        stops: total.stop > 0,
      };
    }
  }
}

function sumUpdates(updates: readonly DesiredUpdates[]) {
  const total = {
    place: 0,
    stop: 0,
    migrate: 0,
    in_place_update: 0,
    destructive_update: 0,
    canary: 0,
    ignore: 0,
    preemptions: 0,
  };
  for (const u of updates) {
    total.place += u.Place ?? 0;
    total.stop += u.Stop ?? 0;
    total.migrate += u.Migrate ?? 0;
    total.in_place_update += u.InPlaceUpdate ?? 0;
    total.destructive_update += u.DestructiveUpdate ?? 0;
    total.canary += u.Canary ?? 0;
    total.ignore += u.Ignore ?? 0;
    total.preemptions += u.Preemptions ?? 0;
  }
  return total;
}

/** The field paths that differ ("Priority", "TaskGroups[web].Count", "TaskGroups[web].Tasks[server].Config[image]"). */
function changedPaths(change: Change): Value[] {
  if (change.kind !== 'job')
    return change.action === 'noop' || change.action === 'delete' ? [] : change.fields.map((f) => f.Name);
  const diff = diffOf(change);
  return diff ? jobDiffPaths(diff) : [];
}

function jobDiffPaths(diff: JobDiff): string[] {
  const out: string[] = [];
  collectDiff(out, '', diff.Fields, diff.Objects);
  for (const group of diff.TaskGroups ?? []) {
    if (group.Type === 'None') continue;
    const at = `TaskGroups[${group.Name}]`;
    if (group.Type !== 'Edited') out.push(at);
    collectDiff(out, `${at}.`, group.Fields, group.Objects);
    for (const task of group.Tasks ?? []) {
      if (task.Type === 'None') continue;
      const taskAt = `${at}.Tasks[${task.Name}]`;
      if (task.Type !== 'Edited') out.push(taskAt);
      collectDiff(out, `${taskAt}.`, task.Fields, task.Objects);
    }
  }
  return out;
}

function collectDiff(
  out: string[],
  prefix: string,
  fields: readonly FieldDiff[] | null,
  objects: readonly ObjectDiff[] | null,
): void {
  for (const field of fields ?? []) if (field.Type !== 'None') out.push(`${prefix}${field.Name}`);
  for (const nested of objects ?? [])
    if (nested.Type !== 'None') collectDiff(out, `${prefix}${nested.Name}.`, nested.Fields, nested.Objects);
}

/** The object as the API gets it (masked), or null for a delete or a promote, which send none. */
function desiredOf(change: Change): Value {
  if (change.kind === 'job') {
    const job = specOf(change);
    return job ? jsonValue(job) : null;
  }
  if (change.action === 'noop' || change.action === 'delete') return null;
  if (change.kind === 'variable')
    // A plan holds digests, never values: the items are named, their values are secrets.
    return {
      Path: change.address.name,
      Namespace: change.address.namespace ?? null,
      Items: Object.fromEntries(Object.keys(change.spec.ItemDigests).map((k) => [k, '(sensitive)'])),
    };
  return jsonValue(change.spec);
}

/**
 * Data of the masked plan as an HCL value: the data itself, which masking left as JSON has it (no undefined
 * anywhere: src/plan/mask.ts), weighed from its text (walking 200 jobs to weigh them cost more than the rules).
 */
function jsonValue(data: object): Value {
  weighsAs(data, () => jsonWeight(data));
  return data as Value;
}

interface Collected {
  readonly groups: Value[];
  readonly tasks: Value[];
  readonly services: Value[];
}

const seconds = (ns: unknown): Value => (typeof ns === 'number' ? ns / 1e9 : 0);

/** The groups, tasks and services of the jobs whose spec the plan holds (every one but deletes and promotes). */
function collectJobs(changes: readonly Change[], planCluster: string): Collected {
  const into: Collected = { groups: [], tasks: [], services: [] };
  for (const change of changes) if (change.kind === 'job') collectJob(change, planCluster, into);
  return into;
}

function collectJob(change: JobChange, planCluster: string, into: Collected): void {
  const job = specOf(change) as Job | undefined;
  if (!job) return;
  const { namespace, name, cluster } = change.address;
  const where = { cluster, namespace, job: name, action: change.action };
  const base = `${cluster === planCluster ? '' : `${cluster}:`}${namespace}/${name}`;
  for (const group of job.TaskGroups ?? []) {
    const groupDelay = seconds(group.ShutdownDelay);
    const groupServices = servicesOf(group.Services);
    for (const service of groupServices)
      into.services.push({
        label: `service ${service.name} (${base}/${group.Name})`,
        ...where,
        group: group.Name,
        task: null,
        ...service,
        shutdown_delay: groupDelay,
      });
    const tasks = group.Tasks ?? [];
    into.groups.push({
      label: `group ${base}/${group.Name}`,
      ...where,
      name: group.Name,
      count: typeof group.Count === 'number' ? group.Count : 1,
      shutdown_delay: groupDelay,
      meta: (group.Meta ?? {}) as Value,
      services: groupServices.map((s) => s.name),
      tasks: tasks.map((t) => t.Name),
    });
    for (const task of tasks) collectTask(task, group, `${base}/${group.Name}`, where, into);
  }
}

function collectTask(
  task: Task,
  group: TaskGroup,
  groupLabel: string,
  where: Record<string, Value>,
  into: Collected,
): void {
  const config = (task.Config ?? {}) as Record<string, Value>;
  const resources = (task.Resources ?? {}) as Record<string, unknown>;
  const delay = seconds(task.ShutdownDelay);
  const services = servicesOf(task.Services);
  for (const service of services)
    into.services.push({
      label: `service ${service.name} (${groupLabel}/${task.Name})`,
      ...where,
      group: group.Name,
      task: task.Name,
      ...service,
      shutdown_delay: delay,
    });
  into.tasks.push({
    label: `task ${groupLabel}/${task.Name}`,
    ...where,
    group: group.Name,
    name: task.Name,
    driver: task.Driver ?? null,
    image: typeof config.image === 'string' ? config.image : null,
    config,
    env: (task.Env ?? {}) as Value,
    meta: (task.Meta ?? {}) as Value,
    user: typeof task.User === 'string' ? task.User : '',
    lifecycle: (task.Lifecycle ?? null) as Value,
    kill_timeout: seconds(task.KillTimeout),
    shutdown_delay: delay,
    resources: {
      cpu: typeof resources.CPU === 'number' ? resources.CPU : null,
      cores: typeof resources.Cores === 'number' ? resources.Cores : 0,
      memory: typeof resources.MemoryMB === 'number' ? resources.MemoryMB : null,
      memory_max: typeof resources.MemoryMaxMB === 'number' ? resources.MemoryMaxMB : 0,
    },
    services: services.map((s) => s.name),
  });
}

function servicesOf(raw: unknown): Array<{ name: string; provider: Value; port: Value; tags: Value[] }> {
  if (!Array.isArray(raw)) return [];
  return raw.map((s: Record<string, unknown>) => ({
    name: typeof s.Name === 'string' ? s.Name : '',
    provider: typeof s.Provider === 'string' ? s.Provider : 'consul',
    port: typeof s.PortLabel === 'string' ? s.PortLabel : null,
    tags: Array.isArray(s.Tags) ? s.Tags.filter((t): t is string => typeof t === 'string') : [],
  }));
}
