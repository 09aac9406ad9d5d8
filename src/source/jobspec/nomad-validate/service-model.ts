/**
 * A decoded service and its checks as Service.Validate sees them (v2.0.5): api Service.Canonicalize's defaults
 * (name, address mode, on_update, provider, check_restart merged into each check), what ApiServicesToStructs keeps,
 * and structs Service.Canonicalize (${JOB}… in the name, the task of task services, default check names).
 */
import { goQuote } from '../../hcl/unify.js';
import type { Findings } from './findings.js';
import { flag, int, numberOf, object, objects, SECOND, text, type Obj } from './values.js';

/** A block under the service's (or check's) that a problem is about, named for the reader. */
export interface Part {
  readonly at: Obj;
  readonly where?: string;
}

/** A problem found below a service, placed through `path` from the service's findings. */
export interface Fault {
  readonly message: string;
  readonly field?: string;
  readonly path?: readonly Part[];
}

export function report(f: Findings, fault: Fault): void {
  let at = f;
  for (const part of fault.path ?? []) at = at.in(part.at, part.where);
  at.add(fault.message, fault.field);
}

export const under = (part: Part, fault: Fault): Fault => ({ ...fault, path: [part, ...(fault.path ?? [])] });

/** A check's check_restart: the service's merged under the check's, with the block each value came from. */
export interface CheckRestart {
  readonly limit: number;
  readonly grace: number;
  readonly ignoreWarnings: boolean;
  readonly from: { readonly limit: Part[]; readonly grace: Part[]; readonly ignoreWarnings: Part[] };
}

export interface Check {
  readonly raw: Obj;
  readonly part: Part;
  readonly name: string;
  readonly type: string;
  readonly command: string;
  readonly path: string;
  readonly portLabel: string;
  readonly expose: boolean;
  readonly addressMode: string;
  readonly interval: number;
  readonly timeout: number;
  readonly initialStatus: string;
  readonly notes: string;
  readonly tlsServerName: string;
  readonly method: string;
  readonly taskName: string;
  readonly successBeforePassing: number;
  readonly failuresBeforeCritical: number;
  readonly failuresBeforeWarning: number;
  readonly onUpdate: string;
  readonly restart: CheckRestart | undefined;
}

export interface Service {
  readonly raw: Obj;
  readonly where: string;
  readonly name: string;
  readonly taskName: string;
  readonly portLabel: string;
  readonly addressMode: string;
  readonly address: string;
  readonly onUpdate: string;
  readonly provider: string;
  readonly kind: string;
  readonly connect: Obj | undefined;
  readonly identity: Obj | undefined;
  readonly checks: readonly Check[];
}

/** Where a service is: its job and group, and its task unless it is a group service. */
export interface ServiceOwner {
  readonly job: Obj;
  readonly group: Obj;
  readonly task?: Obj;
}

const ENV_REFERENCE = /\$\{[a-zA-Z0-9_\-.]+\}/g;

/** args.ReplaceEnv: `${KEY}` for the keys of `env`, other references kept. */
const replaceEnv = (s: string, env: Readonly<Record<string, string>>) =>
  s.replace(ENV_REFERENCE, (ref) => env[ref.slice(2, -1)] ?? ref);

/** args.ReplaceEnvWithPlaceHolder. */
export const stripEnv = (s: string, placeholder: string) => s.replace(ENV_REFERENCE, placeholder);

export function canonicalService(raw: Obj, owner: ServiceOwner): Service {
  const jobName = text(owner.job, 'Name') || text(owner.job, 'ID');
  const groupName = text(owner.group, 'Name');
  const taskName = owner.task ? text(owner.task, 'Name') : 'group';
  const apiName = text(raw, 'Name') || [jobName, groupName, ...(owner.task ? [taskName] : [])].join('-');
  const name = replaceEnv(apiName, {
    JOB: jobName,
    TASKGROUP: groupName,
    TASK: taskName,
    BASE: `${jobName}-${groupName}-${taskName}`,
  });
  const serviceTask = text(raw, 'TaskName') || (owner.task ? taskName : '');
  const onUpdate = text(raw, 'OnUpdate') || 'require_healthy';
  const context = { raw, name, serviceTask, onUpdate, inGroup: !owner.task };
  return {
    raw,
    where: `service "${name}"`,
    name,
    taskName: serviceTask,
    portLabel: text(raw, 'PortLabel'),
    addressMode: text(raw, 'AddressMode') || 'auto',
    address: text(raw, 'Address'),
    onUpdate,
    provider: text(raw, 'Provider') || 'consul',
    kind: text(raw, 'Kind'),
    connect: object(raw, 'Connect'),
    identity: object(raw, 'Identity'),
    checks: objects(raw, 'Checks').map((check, i) => canonicalCheck(check, i, context)),
  };
}

interface CheckContext {
  readonly raw: Obj;
  readonly name: string;
  readonly serviceTask: string;
  readonly onUpdate: string;
  readonly inGroup: boolean;
}

function canonicalCheck(raw: Obj, index: number, service: CheckContext): Check {
  const name = text(raw, 'Name') || `service: ${goQuote(service.name)} check`;
  const part = { at: raw, where: text(raw, 'Name') === '' ? `check ${index + 1}` : `check "${name}"` };
  // Only group checks keep their own task; the others take the service's.
  const ownTask = service.inGroup ? text(raw, 'TaskName') : '';
  return {
    raw,
    part,
    name,
    type: text(raw, 'Type'),
    command: text(raw, 'Command'),
    path: text(raw, 'Path'),
    portLabel: text(raw, 'PortLabel'),
    expose: flag(raw, 'Expose'),
    addressMode: text(raw, 'AddressMode'),
    interval: int(raw, 'Interval'),
    timeout: int(raw, 'Timeout'),
    initialStatus: text(raw, 'InitialStatus'),
    notes: text(raw, 'Notes'),
    tlsServerName: text(raw, 'TLSServerName'),
    method: text(raw, 'Method'),
    taskName: ownTask || (service.serviceTask === 'group' ? '' : service.serviceTask),
    successBeforePassing: Math.max(0, int(raw, 'SuccessBeforePassing')),
    failuresBeforeCritical: Math.max(0, int(raw, 'FailuresBeforeCritical')),
    failuresBeforeWarning: Math.max(0, int(raw, 'FailuresBeforeWarning')),
    onUpdate: text(raw, 'OnUpdate') || service.onUpdate,
    restart: mergedRestart(object(service.raw, 'CheckRestart'), object(raw, 'CheckRestart'), part),
  };
}

/** api CheckRestart.Merge of the check's over the service's, then Canonicalize (grace 1s). */
function mergedRestart(
  ofService: Obj | undefined,
  ofCheck: Obj | undefined,
  check: Part,
): CheckRestart | undefined {
  if (!ofService && !ofCheck) return undefined;
  const serviceBlock: Part[] = ofService ? [{ at: ofService, where: 'check_restart' }] : [];
  const checkBlock: Part[] = ofCheck ? [check, { at: ofCheck, where: 'check_restart' }] : [];
  const checkLimit = int(ofCheck, 'Limit');
  const checkGrace = numberOf(ofCheck, 'Grace');
  const checkIgnores = flag(ofCheck, 'IgnoreWarnings');
  const fromCheck = !ofService;
  return {
    limit: fromCheck || checkLimit > 0 ? checkLimit : int(ofService, 'Limit'),
    grace: checkGrace ?? numberOf(ofService, 'Grace') ?? SECOND,
    ignoreWarnings: checkIgnores || flag(ofService, 'IgnoreWarnings'),
    from: {
      limit: fromCheck || checkLimit > 0 ? checkBlock : serviceBlock,
      grace: checkGrace !== undefined || fromCheck ? checkBlock : serviceBlock,
      ignoreWarnings: fromCheck || checkIgnores ? checkBlock : serviceBlock,
    },
  };
}
