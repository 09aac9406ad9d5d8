/**
 * Service.Validate (nomad/structs/services.go, v2.0.5) of a canonical service, group's or task's: its name, address
 * mode, on_update and provider, then the provider's rules for its checks and connect block, and its identity.
 */
import { goQuote } from '../../hcl/unify.js';
import { connectFaults } from './connect.js';
import { consulCheckFaults, nomadCheckFaults, requiresPort } from './service-checks.js';
import { stripEnv, type Check, type Fault, type Service } from './service-model.js';
import { object, strings } from './values.js';

/** RFC 1123 labels of at most 63 characters, as ValidateName has it. */
const SERVICE_NAME = /^(?:[a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])$/iu;
const ADDRESS_MODES = ['host', 'driver', 'alloc', 'alloc_ipv6'];
const ON_UPDATES = ['', 'ignore', 'require_healthy', 'ignore_warnings'];
const CONSUL_KINDS = ['', 'api-gateway', 'ingress-gateway', 'mesh-gateway', 'terminating-gateway'];

/** Go's %+q: %q with every non-ASCII character escaped. */
export function goQuoteAscii(s: string): string {
  return goQuote(s).replace(/[\u0080-\u{10ffff}]/gu, (c) => {
    const code = c.codePointAt(0)!;
    return code < 0x10000
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\U${code.toString(16).padStart(8, '0')}`;
  });
}

export function serviceFaults(s: Service): Fault[] {
  const faults: Fault[] = [];
  const add = (message: string, field?: string) => faults.push({ message, field });
  // Interpolations such as ${NOMAD_META_x} stand for a valid label.
  if (!SERVICE_NAME.test(stripEnv(s.name, 'ENV-VAR')))
    add(
      `Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and must be no longer than 63 characters: ${goQuote(s.name)}`,
      'Name',
    );
  if (ADDRESS_MODES.includes(s.addressMode)) {
    if (s.address !== '') add('Service address_mode must be "auto" if address is set', 'Address');
  } else if (s.addressMode !== 'auto')
    add(
      `Service address_mode must be "auto", "host", or "driver"; not ${goQuote(s.addressMode)}`,
      'AddressMode',
    );
  if (!ON_UPDATES.includes(s.onUpdate))
    add(
      `Service on_update must be "require_healthy", "ignore_warnings", or "ignore"; not ${goQuote(s.onUpdate)}`,
      'OnUpdate',
    );
  if (s.provider === 'consul') faults.push(...consulServiceFaults(s));
  else if (s.provider === 'nomad') faults.push(...nomadServiceFaults(s));
  else add(`Service provider must be "consul", or "nomad"; not ${goQuote(s.provider)}`, 'Provider');
  if (s.identity && strings(s.identity, 'Audience').length === 0)
    faults.push({
      message: 'Service identity must provide at least one target aud value',
      field: 'Audience',
      path: [{ at: s.identity, where: 'identity' }],
    });
  return faults;
}

function checkPortFault(s: Service, c: Check): Fault | undefined {
  if (s.portLabel !== '' || c.portLabel !== '' || !requiresPort(c)) return undefined;
  return {
    message: `Check ${c.name} invalid: check requires a port but neither check nor service ${goQuoteAscii(s.name)} have a port`,
    field: 'PortLabel',
    path: [c.part],
  };
}

function consulServiceFaults(s: Service): Fault[] {
  const faults: Fault[] = [];
  const sidecar = object(s.connect, 'SidecarService');
  for (const c of s.checks) {
    const portFault = checkPortFault(s, c);
    if (portFault) faults.push(portFault);
    else if (c.type === 'tcp' && sidecar)
      faults.push({
        message: `Check ${c.name} invalid: tcp checks are not valid for Connect enabled services`,
        field: 'Type',
        path: [c.part],
      });
    else faults.push(...consulCheckFaults(c));
  }
  if (!CONSUL_KINDS.includes(s.kind))
    faults.push({
      message: `Service ${s.name} kind must be one of consul service kind or empty`,
      field: 'Kind',
    });
  if (s.connect) {
    faults.push(...connectFaults(s.connect));
    if (s.connect.Native === true) {
      if (s.taskName === '')
        faults.push({
          message: `Service ${s.name} is Connect Native and requires setting the task`,
          field: 'TaskName',
        });
      if (s.portLabel === '')
        faults.push({
          message: `Service ${s.name} is Connect Native and requires setting the port`,
          field: 'PortLabel',
        });
    }
  }
  return faults;
}

function nomadServiceFaults(s: Service): Fault[] {
  const faults = s.checks.flatMap((c) => {
    const portFault = checkPortFault(s, c);
    return portFault ? [portFault] : nomadCheckFaults(c);
  });
  if (s.connect)
    faults.push({ message: 'Service with provider nomad cannot include Connect blocks', field: 'Connect' });
  return faults;
}
