/**
 * What Task.Validate (nomad/structs, v2.0.5) checks of a task's services: validateServices (Service.Validate,
 * address modes, duplicates, connect blocks, check ports and the port labels they name). A Connect proxy task's
 * rules, services among them, are task.ts's.
 */
import { goQuote } from '../../hcl/unify.js';
import type { Findings } from './findings.js';
import { requiresPort } from './service-checks.js';
import { canonicalService, report, type Check, type Service } from './service-model.js';
import { serviceFaults } from './service-validate.js';
import { object, objects, text, type Obj } from './values.js';

/** Who names a port label, to place the problem when the label does not exist. */
interface PortUse {
  readonly service: string;
  readonly f: Findings;
  readonly field: string;
}

type UsePort = (label: string, use: PortUse) => void;

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** strconv.Atoi: a decimal integer with an optional sign, within int64. */
function goAtoi(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

export function taskServiceRules(task: Obj, group: Obj, job: Obj, f: Findings): void {
  const services = objects(task, 'Services').map((raw) => canonicalService(raw, { job, group, task }));
  const portUses = new Map<string, PortUse[]>();
  const usePort: UsePort = (label, use) => portUses.set(label, [...(portUses.get(label) ?? []), use]);
  const known = new Set<string>();
  for (const service of services) {
    const at = f.in(service.raw, service.where);
    for (const fault of serviceFaults(service)) report(at, fault);
    taskServiceModeRules(service, at);
    // Nomad joins name and port without a separator.
    const key = service.name + service.portLabel;
    if (known.has(key)) at.add(`service ${goQuote(service.name)} is duplicate`, 'Name');
    known.add(key);
    const numericDriverPort = service.addressMode === 'driver' && goAtoi(service.portLabel) !== undefined;
    if (service.portLabel !== '' && !numericDriverPort)
      usePort(service.portLabel, { service: service.name, f: at, field: 'PortLabel' });
    if (service.connect)
      at.add(
        `service ${goQuote(service.name)} cannot have "connect" block, only services defined in a "group" block can`,
        'Connect',
      );
    taskCheckRules(service, at, usePort);
  }
  missingPortRules(portUses, portLabels(task, group));
}

function taskServiceModeRules(service: Service, f: Findings): void {
  for (const mode of ['alloc', 'alloc_ipv6'])
    if (service.addressMode === mode)
      f.add(
        `service ${goQuote(service.name)} cannot use address_mode="${mode}", only services defined in a "group" block can use this mode`,
        'AddressMode',
      );
}

/** Check names unique within the service, and each check that needs a port names one that can exist. */
function taskCheckRules(service: Service, f: Findings, usePort: UsePort): void {
  const names = new Set<string>();
  for (const check of service.checks) {
    const at = f.in(check.raw, check.part.where);
    if (names.has(check.name)) at.add(`check ${goQuote(check.name)} is duplicate`, 'Name');
    names.add(check.name);
    for (const mode of ['alloc', 'alloc_ipv6'])
      if (check.addressMode === mode)
        // Nomad names the service here, not the check.
        at.add(
          `check ${goQuote(service.name)} cannot use address_mode="${mode}", only checks defined in a "group" service block can use this mode`,
          'AddressMode',
        );
    if (requiresPort(check)) checkPortRules(check, service, at, usePort);
  }
}

function checkPortRules(check: Check, service: Service, f: Findings, usePort: UsePort): void {
  const port = check.portLabel || service.portLabel;
  const field = 'PortLabel';
  if (port === '') {
    f.add(`check ${goQuote(check.name)} is missing a port`, field);
    return;
  }
  const number = goAtoi(port);
  if (number === undefined) usePort(port, { service: service.name, f, field });
  else if (check.addressMode !== 'driver')
    f.add(
      `check ${goQuote(check.name)} cannot use a numeric port ${number} without setting address_mode="driver"`,
      field,
    );
  else if (number <= 0n) f.add(`check ${goQuote(check.name)} has invalid numeric port ${number}`, field);
}

/** The labels of the group's first network and of the task's own (deprecated) networks. */
function portLabels(task: Obj, group: Obj): Set<string> {
  const networks = [
    ...objects(group, 'Networks').slice(0, 1),
    ...objects(object(task, 'Resources'), 'Networks'),
  ];
  return new Set(
    networks.flatMap((n) =>
      [...objects(n, 'ReservedPorts'), ...objects(n, 'DynamicPorts')].map((p) => text(p, 'Label')),
    ),
  );
}

function missingPortRules(uses: ReadonlyMap<string, readonly PortUse[]>, labels: ReadonlySet<string>): void {
  for (const [label, users] of uses) {
    if (labels.has(label)) continue;
    const names = [...new Set(users.map((u) => u.service))].sort().join(', ');
    for (const use of users)
      use.f.add(`port label ${goQuote(label)} referenced by services ${names} does not exist`, use.field);
  }
}
