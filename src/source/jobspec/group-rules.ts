/**
 * Rules of Nomad's TaskGroup, Task and Resources Validate (nomad/structs, v2.0.5) that a job file breaks
 * with a value it sets itself, checked offline at that value: minimum resources, negative timeouts, update and
 * migrate blocks in a job type that has none. Values the file leaves to Nomad's defaults are not judged here
 * (Nomad's plan says so, naming the group and task).
 */
import type { Block, Body } from '../hcl/ast.js';
import { error, type Diagnostic, type Range } from '../hcl/diagnostics.js';
import { isNumber, toFloat64 } from '../hcl/numbers.js';
import type { Value } from '../hcl/types.js';
import { goDurationString } from '../../util/duration.js';
import { goRegexp } from '../hcl/go-regexp.js';
import { attributeRange } from './job-rules.js';

type Obj = { [key: string]: Value };

/** api.Resources' default memory, which memory_max is compared with when the file sets no memory. */
const DEFAULT_MEMORY_MB = 300;

const numberOf = (value: Value | undefined): number | undefined =>
  value !== undefined && isNumber(value) ? toFloat64(value) : undefined;

const isNegative = (value: Value | undefined) => (numberOf(value) ?? 0) < 0;

const labelled = (body: Body | undefined, type: string, label: string) =>
  body?.blocks.find((b) => b.type === type && b.labels[0]?.value === label);
const nested = (block: Block | undefined, type: string) => block?.body.blocks.find((b) => b.type === type);
const attributeAt = (block: Block | undefined, name: string): Range | undefined =>
  block && attributeRange(block.body, name);

/** Fields of a job-level update block that Nomad fills with defaults (none of them zero) when the file leaves them. */
const DEFAULTED_UPDATE_FIELDS = [
  'Stagger',
  'MaxParallel',
  'HealthCheck',
  'MinHealthyTime',
  'HealthyDeadline',
  'ProgressDeadline',
];

/**
 * api's UpdateStrategy.Empty after Canonicalize: a job-level update block reaches the groups unless it sets every
 * defaulted field to zero and nothing else.
 */
const emptyAfterDefaults = (update: Obj) =>
  DEFAULTED_UPDATE_FIELDS.every((k) => update[k] === 0 || update[k] === '') &&
  ['AutoRevert', 'AutoPromote', 'Canary'].every((k) => !update[k]);

export function groupRules(job: Obj, jobBlock: Block): Diagnostic[] {
  const found: Diagnostic[] = [];
  const type = typeof job.Type === 'string' ? job.Type : 'service';
  const jobUpdate = nested(jobBlock, 'update');
  const jobMigrate = nested(jobBlock, 'migrate');
  // Once per place and rule: groups that inherit the job's update block share its errors.
  const reported = new Map<Range, Set<string>>();
  const report = (range: Range, summary: string, detail: string) => {
    const here = reported.get(range) ?? new Set<string>();
    if (here.has(summary)) return;
    reported.set(range, here.add(summary));
    found.push(error(range, summary, detail));
  };
  const placement = (owner: Obj, block: Block | undefined, fallback: Range) =>
    placementRules(owner, block, (range, summary, detail) => report(range ?? fallback, summary, detail));
  placement(job, jobBlock, jobBlock.typeRange);
  // One lookup per group: a search of the job's blocks for each of 110,000 groups took minutes.
  const groupBlocks = new Map<string, Block>();
  for (const b of jobBlock.body.blocks)
    if (b.type === 'group' && b.labels[0] && !groupBlocks.has(b.labels[0].value))
      groupBlocks.set(b.labels[0].value, b);
  for (const group of (job.TaskGroups as Obj[] | null) ?? []) {
    const name = String(group.Name);
    const block = groupBlocks.get(name);
    const here = (range: Range | undefined) => range ?? block?.typeRange ?? jobBlock.typeRange;
    placement(group, block, here(undefined));

    if (isNegative(group.ShutdownDelay))
      report(
        here(attributeAt(block, 'shutdown_delay')),
        'ShutdownDelay must be a positive value',
        `Group "${name}" waits a negative time before it stops; use 0 or more.`,
      );
    const disk = numberOf((group.EphemeralDisk as Obj | null)?.SizeMB);
    if (disk !== undefined && disk < 10)
      report(
        here(attributeAt(nested(block, 'ephemeral_disk'), 'size')),
        `minimum DiskMB value is 10; got ${disk}`,
        'An ephemeral disk is at least 10 MB.',
      );
    if (type !== 'service' && type !== 'system') {
      const own = nested(block, 'update');
      const fromJob = job.Update as Obj | null;
      if (own || (fromJob && !emptyAfterDefaults(fromJob)))
        report(
          here(own?.typeRange ?? jobUpdate?.typeRange),
          `Job type "${type}" does not allow update block`,
          'Only service and system jobs roll out updates; remove the update block.',
        );
    }
    if (type === 'service' || type === 'system')
      updateRules(
        job.Update as Obj | null,
        group.Update as Obj | null,
        jobUpdate,
        nested(block, 'update'),
        (at, summary, detail) => report(here(at), summary, `Group "${name}": ${detail}`),
      );
    if (type !== 'service' && (group.Migrate || job.Migrate)) {
      const own = nested(block, 'migrate');
      report(
        here(own?.typeRange ?? jobMigrate?.typeRange),
        `Job type "${type}" does not allow migrate block`,
        'Only service jobs migrate allocations off draining nodes; remove the migrate block.',
      );
    }
    for (const task of (group.Tasks as Obj[] | null) ?? []) {
      const taskBlock = labelled(block?.body, 'task', String(task.Name));
      placement(task, taskBlock, here(taskBlock?.typeRange));
      taskRules(task, taskBlock, (range) => here(range), report);
    }
  }
  return found;
}

function taskRules(
  task: Obj,
  block: Block | undefined,
  here: (range: Range | undefined) => Range,
  report: (range: Range, summary: string, detail: string) => void,
): void {
  const name = String(task.Name);
  const at = (range: Range | undefined) => here(range ?? block?.typeRange);
  for (const [field, attribute, summary] of [
    ['KillTimeout', 'kill_timeout', 'KillTimeout must be a positive value'],
    ['ShutdownDelay', 'shutdown_delay', 'ShutdownDelay must be a positive value'],
  ] as const)
    if (isNegative(task[field]))
      report(at(attributeAt(block, attribute)), summary, `Task "${name}": use 0 or more.`);

  const resources = task.Resources as Obj | null;
  if (!resources) return;
  const resourcesBlock = nested(block, 'resources');
  const field = (attribute: string) =>
    at(attributeAt(resourcesBlock, attribute) ?? resourcesBlock?.typeRange);
  const cpu = numberOf(resources.CPU);
  const cores = numberOf(resources.Cores);
  const memory = numberOf(resources.MemoryMB);
  const memoryMax = numberOf(resources.MemoryMaxMB);
  if (cores !== undefined && cores > 0 && cpu !== undefined && cpu > 0)
    report(
      field('cores'),
      "Task can only ask for 'cpu' or 'cores' resource, not both.",
      `Task "${name}": keep cpu (MHz) or cores (whole cores), not both.`,
    );
  if (cores !== undefined && cores < 0)
    report(
      field('cores'),
      `cores value (${cores}) cannot be negative`,
      `Task "${name}": use 1 or more cores.`,
    );
  if (cpu !== undefined && cpu < 1 && !(cores !== undefined && cores !== 0))
    report(
      field('cpu'),
      `minimum CPU value is 1; got ${cpu}`,
      `Task "${name}" asks for CPU in MHz: at least 1.`,
    );
  if (memory !== undefined && memory < 10)
    report(
      field('memory'),
      `minimum MemoryMB value is 10; got ${memory}`,
      `Task "${name}" needs at least 10 MB.`,
    );
  const effectiveMemory = memory ?? DEFAULT_MEMORY_MB;
  if (memoryMax !== undefined && memoryMax !== 0 && memoryMax !== -1 && memoryMax < effectiveMemory)
    report(
      field('memory_max'),
      `MemoryMaxMB value (${memoryMax}) should be larger than MemoryMB value (${effectiveMemory})`,
      `Task "${name}": memory_max is the most it may use, memory what it reserves${memory === undefined ? ` (${DEFAULT_MEMORY_MB} MB unless set)` : ''}.`,
    );
}

/** api.DefaultUpdateStrategy: what canonicalize fills in where neither the job nor the group sets a field. */
const UPDATE_DEFAULTS: Obj = {
  Stagger: 30e9,
  MaxParallel: 1,
  HealthCheck: 'checks',
  MinHealthyTime: 10e9,
  HealthyDeadline: 300e9,
  ProgressDeadline: 600e9,
  AutoRevert: false,
  AutoPromote: false,
  Canary: 0,
};

const FIELD_ATTRIBUTE: Readonly<Record<string, string>> = {
  Stagger: 'stagger',
  MaxParallel: 'max_parallel',
  HealthCheck: 'health_check',
  MinHealthyTime: 'min_healthy_time',
  HealthyDeadline: 'healthy_deadline',
  ProgressDeadline: 'progress_deadline',
  AutoPromote: 'auto_promote',
  Canary: 'canary',
};

/**
 * UpdateStrategy.Validate on the group's update as Nomad builds it (the group's fields over the job's over the
 * defaults), reported at the attribute that set the value it names, when the file set one.
 */
function updateRules(
  jobUpdate: Obj | null,
  groupUpdate: Obj | null,
  jobBlock: Block | undefined,
  groupBlock: Block | undefined,
  report: (range: Range | undefined, summary: string, detail: string) => void,
): void {
  if (!jobUpdate && !groupUpdate) return;
  const set = (o: Obj | null) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== null));
  const u: Obj = { ...UPDATE_DEFAULTS, ...set(jobUpdate), ...set(groupUpdate) };
  const at = (...fields: string[]) => {
    for (const field of fields) {
      const attribute = FIELD_ATTRIBUTE[field]!;
      const range = attributeAt(groupBlock, attribute) ?? attributeAt(jobBlock, attribute);
      if (range) return range;
    }
    return groupBlock?.typeRange ?? jobBlock?.typeRange;
  };
  const n = (field: string) => numberOf(u[field]) ?? 0;
  const d = (field: string) => goDurationString(n(field));
  const fix = 'fix the update block.';
  if (!['checks', 'task_states', 'manual'].includes(String(u.HealthCheck)))
    report(
      at('HealthCheck'),
      `Invalid health check given: "${String(u.HealthCheck)}"`,
      'use checks, task_states or manual.',
    );
  if (n('MaxParallel') < 0)
    report(at('MaxParallel'), `Max parallel can not be less than zero: ${n('MaxParallel')} < 0`, fix);
  if (n('Canary') < 0)
    report(at('Canary'), `Canary count can not be less than zero: ${n('Canary')} < 0`, fix);
  if (n('Canary') === 0 && u.AutoPromote === true)
    report(
      at('AutoPromote', 'Canary'),
      'Auto Promote requires a Canary count greater than zero',
      'set canary, or drop auto_promote.',
    );
  if (n('MinHealthyTime') < 0)
    report(
      at('MinHealthyTime'),
      `Minimum healthy time may not be less than zero: ${d('MinHealthyTime')}`,
      fix,
    );
  if (n('HealthyDeadline') <= 0)
    report(at('HealthyDeadline'), `Healthy deadline must be greater than zero: ${d('HealthyDeadline')}`, fix);
  if (n('ProgressDeadline') < 0)
    report(
      at('ProgressDeadline'),
      `Progress deadline must be zero or greater: ${d('ProgressDeadline')}`,
      fix,
    );
  if (n('MinHealthyTime') >= n('HealthyDeadline'))
    report(
      at('MinHealthyTime', 'HealthyDeadline'),
      `Minimum healthy time must be less than healthy deadline: ${d('MinHealthyTime')} > ${d('HealthyDeadline')}`,
      fix,
    );
  if (n('ProgressDeadline') !== 0 && n('HealthyDeadline') >= n('ProgressDeadline'))
    report(
      at('HealthyDeadline', 'ProgressDeadline'),
      `Healthy deadline must be less than progress deadline: ${d('HealthyDeadline')} > ${d('ProgressDeadline')}`,
      fix,
    );
  if (n('Stagger') <= 0) report(at('Stagger'), `Stagger must be greater than zero: ${d('Stagger')}`, fix);
}

/**
 * Constraint and Affinity Validate: a `regexp` operand must compile as Go's regexp does (RE2), reported at the
 * n-th constraint or affinity block of the job, group or task that holds it.
 */
function placementRules(
  owner: Obj,
  block: Block | undefined,
  report: (range: Range | undefined, summary: string, detail: string) => void,
): void {
  for (const [field, type] of [
    ['Constraints', 'constraint'],
    ['Affinities', 'affinity'],
  ] as const) {
    const blocks = block?.body.blocks.filter((b) => b.type === type) ?? [];
    ((owner[field] as Obj[] | null) ?? []).forEach((rule, i) => {
      if (rule.Operand !== 'regexp' || typeof rule.RTarget !== 'string') return;
      try {
        goRegexp(rule.RTarget);
      } catch (caught) {
        const at = blocks[i];
        report(
          (at && (attributeRange(at.body, 'value') ?? attributeRange(at.body, 'regexp'))) ?? at?.typeRange,
          `Regular expression failed to compile: ${(caught as Error).message}`,
          `Nomad matches ${type} values with Go's regexp (RE2 syntax).`,
        );
      }
    });
  }
}
