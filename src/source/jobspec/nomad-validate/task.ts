/**
 * Task.Validate (nomad/structs, v2.0.5) and the rules of the task's parts, on the decoded api task over api
 * Canonicalize's defaults. `f` is scoped to the task. Not judged, because Task.Validate does not look at them:
 * the task's restart policy (merged over the group's, never validated), scaling policies and schedule (Nomad
 * Enterprise only), and the consul block (Consul.Validate checks nothing). Task networks are the group's
 * validateNetworks'. Unreachable from a file, so skipped: "Missing task resources" and "Missing Log Config" (api
 * Canonicalize always sets both) and "invalid destination path" (filepath.Abs of an absolute path cannot fail).
 */
import { goQuote } from '../../hcl/unify.js';
import type { Findings } from './findings.js';
import { escapesAllocDir } from './go-paths.js';
import { placementRules } from './placement.js';
import { groupUpdate } from './policies.js';
import { taskServiceRules } from './services.js';
import { artifactRules } from './task-artifacts.js';
import { identityRules } from './task-identities.js';
import { csiPluginRules, volumeMountRules } from './task-mounts.js';
import { logRules, resourceRules } from './task-resources.js';
import { templateRules } from './task-templates.js';
import {
  duration as d,
  flag,
  int,
  numberOf,
  object,
  objects,
  text,
  SECOND,
  jobType,
  type Obj,
} from './values.js';

export function taskRules(task: Obj, group: Obj, job: Obj, f: Findings): void {
  const type = jobType(job);
  nameRules(task, f);
  if (text(task, 'Driver') === '') f.add('Missing task driver', 'Driver');
  killTimeoutRules(task, group, job, type, f);
  if (int(task, 'ShutdownDelay') < 0) f.add('ShutdownDelay must be a positive value', 'ShutdownDelay');
  resourceRules(task, f);
  logRules(task, group, f);
  taskConstraintRules(task, f);
  placementRules(task, type, f);
  taskServiceRules(task, group, job, f);
  artifactRules(task, f);
  vaultRules(object(task, 'Vault'), f);
  templateRules(task, f);
  actionRules(task, f);
  dispatchPayloadRules(object(task, 'DispatchPayload'), f);
  lifecycleRules(object(task, 'Lifecycle'), f);
  connectProxyRules(task, group, job, f);
  volumeMountRules(task, group, f);
  csiPluginRules(task, f);
  identityRules(task, f);
  secretRules(task, f);
}

function nameRules(task: Obj, f: Findings): void {
  const name = text(task, 'Name');
  if (name === '') f.add('Missing task name', 'Name');
  // "alloc" is the shared allocation directory, beside the tasks' own.
  if (name === 'alloc') f.add('Task cannot be named "alloc"', 'Name');
  if (/[/\\]/.test(name)) f.add('Task name cannot include slashes', 'Name');
  else if (name.includes('\0')) f.add('Task name cannot include null characters', 'Name');
}

/** A negative kill timeout, or (in service jobs) one longer than the group's progress deadline (0 disables it). */
function killTimeoutRules(task: Obj, group: Obj, job: Obj, jobType: string, f: Findings): void {
  // Unset (api Canonicalize) or 0 (structs Canonicalize), it is 5s.
  const killTimeout = numberOf(task, 'KillTimeout') || 5 * SECOND;
  if (killTimeout < 0) {
    f.add('KillTimeout must be a positive value', 'KillTimeout');
    return;
  }
  const update = jobType === 'service' ? groupUpdate(group, job, jobType)?.merged : undefined;
  const progressDeadline = int(update, 'ProgressDeadline');
  if (progressDeadline > 0 && killTimeout > progressDeadline)
    f.add(
      `KillTimout (${d(killTimeout)}) longer than the group's ProgressDeadline (${d(progressDeadline)})`,
      'KillTimeout',
    );
}

/** Constraints that place allocations on hosts have no meaning for a single task. */
function taskConstraintRules(task: Obj, f: Findings): void {
  objects(task, 'Constraints').forEach((c, i) => {
    const operand = text(c, 'Operand');
    if (operand === 'distinct_hosts' || operand === 'distinct_property')
      f.in(c, `constraint ${i + 1}`).add(
        `Constraint ${i + 1} has disallowed Operand at task level: ${operand}`,
        'Operand',
      );
  });
}

/** Vault.Validate; api Canonicalize defaults the change mode to restart and the signal to SIGHUP. */
function vaultRules(vault: Obj | undefined, f: Findings): void {
  if (!vault) return;
  const at = f.in(vault, 'vault');
  const mode = text(vault, 'ChangeMode') || 'restart';
  const signal = typeof vault.ChangeSignal === 'string' ? vault.ChangeSignal : 'SIGHUP';
  if (mode === 'signal') {
    if (signal === '') at.add('Signal must be specified when using change mode "signal"', 'ChangeSignal');
  } else if (mode !== 'noop' && mode !== 'restart')
    at.add(`Unknown change mode ${goQuote(mode)}`, 'ChangeMode');
}

/** An action name is 1 to 128 characters, none of them NUL or white space (Go's \s). */
const ACTION_NAME = /^[^\0\t\n\f\r ]{1,128}$/u;

/** Action.Validate, and names used twice (Nomad says so for every second repeat: the 2nd, 4th…). */
function actionRules(task: Obj, f: Findings): void {
  const reported = new Map<string, boolean>();
  for (const action of objects(task, 'Actions')) {
    const name = text(action, 'Name');
    const at = f.in(action, `action "${name}"`);
    if (text(action, 'Command') === '') at.add('command cannot be empty', 'Command');
    if (!ACTION_NAME.test(name)) at.add(`invalid name '${name}'`, 'Name');
    if (reported.get(name) === false) {
      at.add(`Action ${name} defined multiple times`, 'Name');
      reported.set(name, true);
    } else reported.set(name, false);
  }
}

function dispatchPayloadRules(payload: Obj | undefined, f: Findings): void {
  if (payload && escapesAllocDir('task/local/', text(payload, 'File')))
    f.in(payload, 'dispatch_payload').add('destination escapes allocation directory', 'File');
}

function lifecycleRules(lifecycle: Obj | undefined, f: Findings): void {
  if (!lifecycle) return;
  const hook = text(lifecycle, 'Hook');
  const at = f.in(lifecycle, 'lifecycle');
  if (hook === '') at.add('no lifecycle hook provided', 'Hook');
  else if (!['prestart', 'poststart', 'poststop'].includes(hook)) at.add(`invalid hook: ${hook}`, 'Hook');
}

const CONNECT_PROXY = 'connect-proxy:';

/** A connect-proxy:<service> task proxies a group service with a Connect sidecar, and nothing else. */
function connectProxyRules(task: Obj, group: Obj, job: Obj, f: Findings): void {
  const kind = text(task, 'Kind');
  if (!kind.startsWith(CONNECT_PROXY) || kind.length === CONNECT_PROXY.length) return;
  if (objects(task, 'Services').length > 0)
    f.add('Connect proxy task must not have a service block', 'Services');
  if (flag(task, 'Leader')) f.add('Connect proxy task must not have leader set', 'Leader');
  const service = kind.slice(CONNECT_PROXY.length);
  const names: string[] = [];
  for (const s of objects(group, 'Services')) {
    if (!object(object(s, 'Connect'), 'SidecarService')) continue;
    const name = groupServiceName(s, group, job);
    if (name === service) return;
    names.push(name);
  }
  f.add(
    names.length === 0
      ? `No Connect services in task group with Connect proxy (${goQuote(service)})`
      : `Connect proxy service name (${goQuote(service)}) not found in Connect services from task group: [${names.join(' ')}]`,
    'Kind',
  );
}

/** A group service's name as Nomad canonicalizes it: job-group when unset, with ${JOB}, ${TASKGROUP}… replaced. */
function groupServiceName(service: Obj, group: Obj, job: Obj): string {
  const jobName = text(job, 'Name') || text(job, 'ID');
  const groupName = text(group, 'Name');
  const values: Record<string, string> = {
    JOB: jobName,
    TASKGROUP: groupName,
    TASK: 'group',
    BASE: `${jobName}-${groupName}-group`,
  };
  const name = text(service, 'Name') || `${jobName}-${groupName}`;
  return name.replace(/\$\{([a-zA-Z0-9_\-.]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

const SECRET_NAME = /^[a-zA-Z0-9_]{1,128}$/;

/** Secret names are unique, a vault secret needs a vault block; Secret.Validate. */
function secretRules(task: Obj, f: Findings): void {
  const seen = new Set<string>();
  for (const secret of objects(task, 'Secrets')) {
    const name = text(secret, 'Name');
    const at = f.in(secret, `secret ${goQuote(name)}`);
    if (seen.has(name)) at.add(`Duplicate secret ${goQuote(name)} found`, 'Name');
    seen.add(name);
    const provider = text(secret, 'Provider');
    if (provider === 'vault' && !object(task, 'Vault'))
      at.add(`Secret ${goQuote(name)} has provider "vault" but no vault block`, 'Provider');
    oneSecretRules(secret, name, provider, at);
  }
}

function oneSecretRules(secret: Obj, name: string, provider: string, f: Findings): void {
  if (name === '') f.add('secret name cannot be empty', 'Name');
  if (!SECRET_NAME.test(name)) f.add(`secret name must match regex ${SECRET_NAME.source}`, 'Name');
  if (provider === '') f.add('secret provider cannot be empty', 'Provider');
  if (text(secret, 'Path') === '') f.add('secret path cannot be empty', 'Path');
  const has = (key: string) => Object.keys(object(secret, key) ?? {}).length > 0;
  if (provider === 'nomad' || provider === 'vault') {
    if (has('Env')) f.add(`${provider} provider cannot use the env block`, 'Env');
  } else if (has('Config')) f.add(`custom plugin provider ${provider} cannot use the config block`, 'Config');
}
