/**
 * A group's restart, reschedule, migrate, update and ephemeral disk as Nomad validates them: the file's fields over
 * the job's over Nomad's defaults for the job type (api Canonicalize), then the rules of nomad/structs (v2.0.5).
 */
import type { Findings } from './findings.js';
import {
  duration as d,
  flag,
  HOUR,
  int,
  MINUTE,
  object,
  SECOND,
  text,
  withDefaults,
  type Obj,
} from './values.js';

const RESTART_DEFAULTS: Readonly<Record<'service' | 'batch', Obj>> = {
  service: { Attempts: 2, Interval: 30 * MINUTE, Delay: 15 * SECOND, Mode: 'fail' },
  batch: { Attempts: 3, Interval: 24 * HOUR, Delay: 15 * SECOND, Mode: 'fail' },
};

export const restartDefaults = (type: string): Obj =>
  RESTART_DEFAULTS[type === 'service' || type === 'system' ? 'service' : 'batch'];

/** RestartPolicy.Validate of a group's or task's restart policy, `r` with defaults applied. */
export function restartRules(r: Obj, f: Findings): void {
  const mode = text(r, 'Mode');
  if (mode !== 'delay' && mode !== 'fail') f.add(`Unsupported restart mode: "${mode}"`, 'Mode');
  const attempts = int(r, 'Attempts');
  if (attempts === 0 && mode !== 'fail')
    f.add(`Restart policy "${mode}" with ${attempts} attempts is ambiguous`, 'Attempts');
  const interval = int(r, 'Interval');
  const delay = int(r, 'Delay');
  if (interval < 5 * SECOND) f.add(`Interval can not be less than 5s (got ${d(interval)})`, 'Interval');
  if (attempts * delay > interval)
    f.add(
      `Nomad can't restart the TaskGroup ${attempts} times in an interval of ${d(interval)} with a delay of ${d(delay)}`,
      ['Attempts', 'Interval', 'Delay'],
    );
}

const RESCHEDULE_DEFAULTS: Readonly<Record<string, Obj>> = {
  service: {
    Attempts: 0,
    Interval: 0,
    Delay: 30 * SECOND,
    DelayFunction: 'exponential',
    MaxDelay: HOUR,
    Unlimited: true,
  },
  batch: {
    Attempts: 1,
    Interval: 24 * HOUR,
    Delay: 5 * SECOND,
    DelayFunction: 'constant',
    MaxDelay: 0,
    Unlimited: false,
  },
};

const RESCHEDULE_OTHER: Obj = {
  Attempts: 0,
  Interval: 0,
  Delay: 0,
  DelayFunction: '',
  MaxDelay: 0,
  Unlimited: false,
};

export const rescheduleDefaults = (type: string): Obj => RESCHEDULE_DEFAULTS[type] ?? RESCHEDULE_OTHER;

const MIN_DELAY = 5 * SECOND;
const DELAY_FUNCTIONS = ['constant', 'exponential', 'fibonacci'];

/** ReschedulePolicy.Validate, `r` with defaults applied. */
export function rescheduleRules(r: Obj, f: Findings): void {
  const attempts = int(r, 'Attempts');
  const unlimited = flag(r, 'Unlimited');
  if (!(attempts > 0 || unlimited)) return;
  const interval = int(r, 'Interval');
  const delay = int(r, 'Delay');
  const maxDelay = int(r, 'MaxDelay');
  const fn = text(r, 'DelayFunction');
  if (attempts > 0) {
    if (interval <= 0) f.add('Interval must be a non zero value if Attempts > 0', 'Interval');
    if (unlimited) {
      f.add(
        `Reschedule Policy with Attempts = ${attempts}, Interval = ${d(interval)}, and Unlimited = true is ambiguous`,
        'Unlimited',
      );
      f.add('If Attempts >0, Unlimited cannot also be set to true', 'Unlimited');
    }
  }
  let crossCheck = true;
  if (delay < MIN_DELAY) {
    f.add(`Delay cannot be less than 5s (got ${d(delay)})`, 'Delay');
    crossCheck = false;
  }
  if (!DELAY_FUNCTIONS.includes(fn)) {
    f.add(
      `Invalid delay function "${fn}", must be one of [${DELAY_FUNCTIONS.map((x) => `"${x}"`).join(' ')}]`,
      'DelayFunction',
    );
    crossCheck = false;
  }
  if (fn !== 'constant') {
    // Nomad's message names the delay where it means the maximum delay.
    if (maxDelay < MIN_DELAY) {
      f.add(`Max Delay cannot be less than 5s (got ${d(delay)})`, 'MaxDelay');
      crossCheck = false;
    }
    if (maxDelay < delay) {
      f.add(`Max Delay cannot be less than Delay ${d(delay)} (got ${d(maxDelay)})`, 'MaxDelay');
      crossCheck = false;
    }
  }
  if (unlimited) return;
  if (interval < 15 * SECOND) f.add(`Interval cannot be less than 15s (got ${d(interval)})`, 'Interval');
  if (!crossCheck) return;
  const { viable, possible, recommended } = viableAttempts(attempts, interval, delay, maxDelay, fn);
  if (viable) return;
  f.add(
    fn === 'constant'
      ? `Nomad can only make ${possible} attempts in ${d(interval)} with initial delay ${d(delay)} and delay function "${fn}"`
      : `Nomad can only make ${possible} attempts in ${d(interval)} with initial delay ${d(delay)}, delay function "${fn}", and delay ceiling ${d(maxDelay)}`,
    'Interval',
  );
  f.add(
    `Set the interval to at least ${d(Math.round(recommended / SECOND) * SECOND)} to accommodate ${attempts} attempts`,
    'Interval',
  );
}

/**
 * How many attempts fit in the interval with the delay function, and the interval that would fit them all, as
 * Nomad's viableAttempts counts them; past the delay ceiling the delays grow linearly, counted without a loop.
 */
function viableAttempts(attempts: number, interval: number, delay: number, maxDelay: number, fn: string) {
  if (fn === 'constant') {
    const recommended = attempts * delay;
    return interval < recommended
      ? { viable: false, possible: Math.max(Math.trunc(interval / delay), 0), recommended }
      : { viable: true, possible: 0, recommended };
  }
  return fn === 'exponential'
    ? exponentialAttempts(attempts, interval, delay, maxDelay)
    : fibonacciAttempts(attempts, interval, delay, maxDelay);
}

function exponentialAttempts(attempts: number, interval: number, delay: number, maxDelay: number) {
  let possible = 0;
  let recommended = 0;
  let i = 0;
  for (; i < attempts; i++) {
    const next = 2 ** i * delay;
    if (next > maxDelay) break;
    recommended = next;
    if (recommended < interval) possible++;
  }
  const capped = attempts - i;
  if (capped > 0) {
    const below = Math.ceil((interval - recommended) / maxDelay) - 1;
    possible += Math.max(0, Math.min(capped, below));
    recommended += capped * maxDelay;
  }
  return { viable: possible >= attempts, possible, recommended };
}

function fibonacciAttempts(attempts: number, interval: number, delay: number, maxDelay: number) {
  const slots = [delay, delay];
  let ceiling = -1;
  for (let i = 2; i < attempts && ceiling < 0; i++) {
    const next = slots[i - 1]! + slots[i - 2]!;
    if (next > maxDelay) ceiling = i;
    slots.push(Math.min(next, maxDelay));
  }
  // From the ceiling on, slot j is (j - ceiling + 1) × maxDelay.
  const slot = (j: number) => (ceiling >= 0 && j >= ceiling ? (j - ceiling + 1) * maxDelay : slots[j]!);
  const last = Math.max(attempts, 2) - 1;
  const recommended = slot(last);
  if (interval >= recommended) return { viable: true, possible: 0, recommended };
  let possible = slots.findIndex((s, j) => (ceiling < 0 || j < ceiling) && s > interval);
  if (possible < 0) possible = ceiling + Math.floor(interval / maxDelay);
  return { viable: false, possible, recommended };
}

export const MIGRATE_DEFAULTS: Obj = {
  MaxParallel: 1,
  HealthCheck: 'checks',
  MinHealthyTime: 10 * SECOND,
  HealthyDeadline: 5 * MINUTE,
};

/** MigrateStrategy.Validate, `m` with defaults applied. */
export function migrateRules(m: Obj, f: Findings): void {
  const maxParallel = int(m, 'MaxParallel');
  if (maxParallel < 0) f.add(`MaxParallel must be >= 0 but found ${maxParallel}`, 'MaxParallel');
  const check = text(m, 'HealthCheck');
  if (check === '') {
    if (maxParallel > 0) f.add('Missing HealthCheck', 'HealthCheck');
  } else if (check !== 'checks' && check !== 'task_states')
    f.add(`Invalid HealthCheck: "${check}"`, 'HealthCheck');
  const min = int(m, 'MinHealthyTime');
  const deadline = int(m, 'HealthyDeadline');
  if (min < 0) f.add(`MinHealthyTime is ${d(min)} and must be >= 0`, 'MinHealthyTime');
  if (deadline < 0) f.add(`HealthyDeadline is ${d(deadline)} and must be >= 0`, 'HealthyDeadline');
  if (min > deadline)
    f.add('MinHealthyTime must be less than HealthyDeadline', ['MinHealthyTime', 'HealthyDeadline']);
}

export const UPDATE_DEFAULTS: Obj = {
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
 * api UpdateStrategy.Empty after Canonicalize: a job-level update block reaches the groups unless it sets every
 * defaulted field to zero and nothing else.
 */
const emptyAfterDefaults = (update: Obj) =>
  DEFAULTED_UPDATE_FIELDS.every((k) => update[k] === 0 || update[k] === '') &&
  !flag(update, 'AutoRevert') &&
  !flag(update, 'AutoPromote') &&
  int(update, 'Canary') === 0;

/**
 * A group's update strategy as api Canonicalize builds it: the group's fields over the job's (unless the job's
 * sets nothing Nomad keeps) over the defaults, which service and system jobs get without an update block. The
 * layers are the blocks the file wrote, least specific first; undefined when the group has no update strategy.
 */
export function groupUpdate(group: Obj, job: Obj, type: string): { merged: Obj; layers: Obj[] } | undefined {
  const own = object(group, 'Update');
  const fromJob = object(job, 'Update');
  const inherited = fromJob && (own || !emptyAfterDefaults(fromJob)) ? fromJob : undefined;
  const layers = [inherited, own].filter((l): l is Obj => l !== undefined);
  if (layers.length === 0 && type !== 'service' && type !== 'system') return undefined;
  return { merged: withDefaults(UPDATE_DEFAULTS, ...layers), layers };
}

/** api DefaultEphemeralDisk's size, when the group sets none. */
export const DEFAULT_DISK_MB = 300;

/** UpdateStrategy.Validate, `u` with defaults applied. */
export function updateRules(u: Obj, f: Findings): void {
  const check = text(u, 'HealthCheck');
  if (!['checks', 'task_states', 'manual'].includes(check))
    f.add(`Invalid health check given: "${check}"`, 'HealthCheck');
  const maxParallel = int(u, 'MaxParallel');
  if (maxParallel < 0) f.add(`Max parallel can not be less than zero: ${maxParallel} < 0`, 'MaxParallel');
  const canary = int(u, 'Canary');
  if (canary < 0) f.add(`Canary count can not be less than zero: ${canary} < 0`, 'Canary');
  if (canary === 0 && flag(u, 'AutoPromote'))
    f.add('Auto Promote requires a Canary count greater than zero', 'AutoPromote');
  const min = int(u, 'MinHealthyTime');
  const healthy = int(u, 'HealthyDeadline');
  const progress = int(u, 'ProgressDeadline');
  if (min < 0) f.add(`Minimum healthy time may not be less than zero: ${d(min)}`, 'MinHealthyTime');
  if (healthy <= 0) f.add(`Healthy deadline must be greater than zero: ${d(healthy)}`, 'HealthyDeadline');
  if (progress < 0) f.add(`Progress deadline must be zero or greater: ${d(progress)}`, 'ProgressDeadline');
  if (min >= healthy)
    f.add(`Minimum healthy time must be less than healthy deadline: ${d(min)} > ${d(healthy)}`, [
      'MinHealthyTime',
      'HealthyDeadline',
    ]);
  if (progress !== 0 && healthy >= progress)
    f.add(`Healthy deadline must be less than progress deadline: ${d(healthy)} > ${d(progress)}`, [
      'HealthyDeadline',
      'ProgressDeadline',
    ]);
  const stagger = int(u, 'Stagger');
  if (stagger <= 0) f.add(`Stagger must be greater than zero: ${d(stagger)}`, 'Stagger');
}
