/**
 * ServiceCheck validateCommon, validateConsul and validateNomad and CheckRestart.Validate (nomad/structs, v2.0.5).
 * Each returns the first error Nomad's does (all of check_restart's at once), as faults placed from the service.
 */
import { goQuote } from '../../hcl/unify.js';
import { urlKind } from './go-url.js';
import type { Check, Fault } from './service-model.js';
import { duration as d, SECOND } from './values.js';

const CONSUL_TYPES = ['grpc', 'tcp', 'http', 'script'];
const NOMAD_TYPES = ['tcp', 'http'];
/** The check types that both providers count successes and failures for. */
const PASS_FAIL_TYPES = ['tcp', 'http', 'grpc'];
const INITIAL_STATUSES = ['', 'passing', 'warning', 'critical'];
const CHECK_ADDRESS_MODES = ['', 'host', 'driver', 'alloc', 'alloc_ipv6'];
const ON_UPDATES = ['', 'ignore', 'require_healthy', 'ignore_warnings'];
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'];
const MAX_NOTES = 255;

const fault = (c: Check, message: string, field?: string): Fault => ({ message, field, path: [c.part] });

/** ServiceCheck.RequiresPort: the type as written, not lowercased. */
export const requiresPort = (c: Check): boolean => PASS_FAIL_TYPES.includes(c.type);

function typeFault(c: Check, allowed: readonly string[]): Fault | undefined {
  const type = c.type.toLowerCase();
  if (!allowed.includes(type))
    return fault(c, `invalid check type (${goQuote(type)}), must be one of ${allowed.join(', ')}`, 'Type');
  if (type === 'http') {
    if (c.path === '') return fault(c, 'http type must have http path', 'Path');
    const kind = urlKind(c.path);
    if (kind === 'invalid') return fault(c, 'http type must have valid http path', 'Path');
    if (kind === 'absolute') return fault(c, 'http type must have relative http path', 'Path');
  }
  if (type === 'script' && c.command === '')
    return fault(c, 'script type must have a valid script path', 'Command');
  return undefined;
}

function timingFault(c: Check): Fault | undefined {
  if (c.interval === 0)
    return fault(c, 'missing required value interval. Interval cannot be less than 1s', 'Interval');
  if (c.interval < SECOND) return fault(c, `interval (${d(c.interval)}) cannot be lower than 1s`, 'Interval');
  if (c.timeout === 0)
    return fault(c, 'missing required value timeout. Timeout cannot be less than 1s', 'Timeout');
  if (c.timeout < SECOND)
    return fault(c, `timeout (${d(c.timeout)}) is lower than required minimum timeout 1s`, 'Timeout');
  return undefined;
}

function modeFault(c: Check): Fault | undefined {
  if (!INITIAL_STATUSES.includes(c.initialStatus))
    return fault(
      c,
      `invalid initial check state (${c.initialStatus}), must be one of "passing", "warning", "critical" or empty`,
      'InitialStatus',
    );
  if (c.addressMode === 'auto')
    return fault(c, 'invalid address_mode "auto" - auto only valid for services', 'AddressMode');
  if (!CHECK_ADDRESS_MODES.includes(c.addressMode))
    return fault(c, `invalid address_mode ${goQuote(c.addressMode)}`, 'AddressMode');
  if (!ON_UPDATES.includes(c.onUpdate))
    return fault(
      c,
      `on_update must be "require_healthy", "ignore_warnings", or "ignore"; got ${goQuote(c.onUpdate)}`,
      'OnUpdate',
    );
  return undefined;
}

function restartFaults(c: Check): Fault[] {
  const restart = c.restart;
  if (!restart) return [];
  if (c.onUpdate === 'ignore')
    return [fault(c, 'on_update value "ignore" is not compatible with check_restart', 'OnUpdate')];
  if (c.onUpdate === 'ignore_warnings' && !restart.ignoreWarnings)
    return [
      fault(
        c,
        'on_update value "ignore_warnings" not supported with check_restart ignore_warnings value "false"',
        'OnUpdate',
      ),
    ];
  const faults: Fault[] = [];
  if (restart.limit < 0)
    faults.push({
      message: `limit must be greater than or equal to 0 but found ${restart.limit}`,
      field: 'Limit',
      path: restart.from.limit,
    });
  if (restart.grace < 0)
    faults.push({
      // %d of a time.Duration: nanoseconds.
      message: `grace period must be greater than or equal to 0 but found ${restart.grace}`,
      field: 'Grace',
      path: restart.from.grace,
    });
  return faults;
}

/** validateCommon: one fault, or check_restart's. */
function commonFaults(c: Check, allowedTypes: readonly string[]): Fault[] {
  const first = typeFault(c, allowedTypes) ?? timingFault(c) ?? modeFault(c);
  return first ? [first] : restartFaults(c);
}

function passFailFault(c: Check): Fault | undefined {
  const counts = [
    ['success_before_passing', c.successBeforePassing, 'SuccessBeforePassing'],
    ['failures_before_critical', c.failuresBeforeCritical, 'FailuresBeforeCritical'],
    ['failures_before_warning', c.failuresBeforeWarning, 'FailuresBeforeWarning'],
  ] as const;
  // Negative counts are unreachable: api Canonicalize makes them 0.
  for (const [name, count, field] of counts)
    if (count > 0 && !PASS_FAIL_TYPES.includes(c.type))
      return fault(c, `${name} not supported for check of type ${goQuote(c.type)}`, field);
  return undefined;
}

/** validateConsul, its messages as Nomad prefixes them: "Check <name> invalid: …". */
export function consulCheckFaults(c: Check): Fault[] {
  const common = commonFaults(c, CONSUL_TYPES);
  const faults = common.length > 0 ? common : consulOnlyFaults(c);
  return faults.map((f) => ({ ...f, message: `Check ${c.name} invalid: ${f.message}` }));
}

function consulOnlyFaults(c: Check): Fault[] {
  const type = c.type.toLowerCase();
  let first: Fault | undefined;
  if (c.expose && type !== 'grpc' && type !== 'http')
    first = fault(c, 'expose may only be set on HTTP or gRPC checks', 'Expose');
  first ??= passFailFault(c);
  if (!first && Buffer.byteLength(c.notes) > MAX_NOTES)
    first = fault(c, 'notes must not be longer than 255 characters', 'Notes');
  return first ? [first] : [];
}

/** validateNomad: the checks of services with provider "nomad". */
export function nomadCheckFaults(c: Check): Fault[] {
  const common = commonFaults(c, NOMAD_TYPES);
  if (common.length > 0) return common;
  const first = nomadOnlyFault(c);
  return first ? [first] : [];
}

function nomadOnlyFault(c: Check): Fault | undefined {
  const consulOnly = (what: string, field: string) =>
    fault(c, `${what} may only be set for Consul service checks`, field);
  if (c.expose) return consulOnly('expose', 'Expose');
  if (c.onUpdate === 'ignore_warnings')
    return fault(c, 'on_update may only be set to ignore_warnings for Consul service checks', 'OnUpdate');
  if (c.restart?.ignoreWarnings)
    return {
      message: 'ignore_warnings on check_restart only supported for Consul service checks',
      field: 'IgnoreWarnings',
      path: c.restart.from.ignoreWarnings,
    };
  if (c.addressMode === 'driver') return consulOnly('address_mode = driver', 'AddressMode');
  if (c.type === 'http' && c.method !== '' && !HTTP_METHODS.includes(c.method.toUpperCase()))
    return fault(c, `method type ${goQuote(c.method)} not supported in Nomad http check`, 'Method');
  if (c.successBeforePassing !== 0) return consulOnly('success_before_passing', 'SuccessBeforePassing');
  if (c.failuresBeforeCritical !== 0) return consulOnly('failures_before_critical', 'FailuresBeforeCritical');
  if (c.failuresBeforeWarning !== 0) return consulOnly('failures_before_warning', 'FailuresBeforeWarning');
  if (c.tlsServerName !== '') return consulOnly('tls_server_name', 'TLSServerName');
  return undefined;
}
