/**
 * ConsulConnect.Validate (nomad/structs, v2.0.5): exactly one of native, sidecar or gateway; a sidecar's transparent
 * proxy; a gateway's proxy, ingress, terminating and mesh entries. Upstreams, expose paths and sidecar_task are
 * only checked by the server's connect hook, which needs the agent.
 */
import { goQuote } from '../../hcl/unify.js';
import { prefixError } from './go-netip.js';
import type { Fault, Part } from './service-model.js';
import { int, object, objects, strings, text, type Obj } from './values.js';

const at = (path: readonly Part[], message: string, field?: string): Fault => ({ message, field, path });

/** Connect.Validate: its one error, or all of a transparent proxy's. */
export function connectFaults(connect: Obj): Fault[] {
  const here: Part[] = [{ at: connect, where: 'connect' }];
  const sidecar = object(connect, 'SidecarService');
  const proxy = object(sidecar, 'Proxy');
  const transparent = object(proxy, 'TransparentProxy');
  if (sidecar && proxy && transparent) {
    const path = [...here, { at: sidecar }, { at: proxy }, { at: transparent, where: 'transparent_proxy' }];
    const faults = transparentProxyFaults(transparent, path);
    if (faults.length > 0) return faults;
  }
  const gateway = object(connect, 'Gateway');
  const kinds = [sidecar !== undefined, connect.Native === true, gateway !== undefined].filter(
    Boolean,
  ).length;
  if (kinds !== 1)
    return [
      at(here, 'Consul Connect must be exclusively native, make use of a sidecar, or represent a Gateway'),
    ];
  const wrong = gateway && gatewayFault(gateway, [...here, { at: gateway, where: 'gateway' }]);
  return wrong ? [wrong] : [];
}

/** strconv.ParseUint(s, 10, 16)'s error, as NumError.Err prints it. */
function uint16Error(s: string): string | undefined {
  if (s === '') return 'invalid syntax';
  let n = 0;
  for (const c of s) {
    if (c < '0' || c > '9') return 'invalid syntax';
    n = n * 10 + Number(c);
    if (n > 0xffff) return 'value out of range';
  }
  return undefined;
}

function transparentProxyFaults(proxy: Obj, path: readonly Part[]): Fault[] {
  const faults: Fault[] = [];
  for (const cidr of strings(proxy, 'ExcludeOutboundCIDRs')) {
    const wrong = prefixError(cidr);
    if (wrong)
      faults.push(
        at(
          path,
          `could not parse transparent proxy excluded outbound CIDR as network prefix: ${wrong}`,
          'ExcludeOutboundCIDRs',
        ),
      );
  }
  const uidFault = (uid: string, field: string) => {
    const wrong = uint16Error(uid);
    if (wrong)
      faults.push(
        at(
          path,
          `transparent proxy block has invalid ${field} field: invalid user ID ${goQuote(uid)}: ${wrong}`,
          field,
        ),
      );
  };
  const uid = text(proxy, 'UID');
  if (uid !== '') uidFault(uid, 'UID');
  for (const excluded of strings(proxy, 'ExcludeUIDs')) uidFault(excluded, 'ExcludeUIDs');
  return faults;
}

function gatewayFault(gateway: Obj, path: readonly Part[]): Fault | undefined {
  const proxy = object(gateway, 'Proxy');
  const ingress = object(gateway, 'Ingress');
  const terminating = object(gateway, 'Terminating');
  const entries = [ingress, terminating, object(gateway, 'Mesh')].filter(Boolean).length;
  return (
    (proxy && gatewayProxyFault(proxy, [...path, { at: proxy, where: 'proxy' }])) ||
    (ingress && ingressFault(ingress, [...path, { at: ingress, where: 'ingress' }])) ||
    (terminating && terminatingFault(terminating, [...path, { at: terminating, where: 'terminating' }])) ||
    (entries !== 1 ? at(path, 'One Consul Gateway Configuration must be set') : undefined)
  );
}

// ConnectTimeout is never nil here: api Canonicalize defaults it to 5s.
function gatewayProxyFault(proxy: Obj, path: readonly Part[]): Fault | undefined {
  const discovery = text(proxy, 'EnvoyDNSDiscoveryType');
  if (!['', 'STRICT_DNS', 'LOGICAL_DNS'].includes(discovery))
    return at(
      path,
      'Consul Gateway Proxy Envoy DNS Discovery type must be STRICT_DNS or LOGICAL_DNS',
      'EnvoyDNSDiscoveryType',
    );
  // Go ranges over a map, so which of several wrong addresses it names varies; the first one written is as good.
  for (const [label, address] of Object.entries(object(proxy, 'EnvoyGatewayBindAddresses') ?? {})) {
    const bind = address as Obj;
    const here = [...path, { at: bind, where: `bind address "${label}"` }];
    if (text(bind, 'Address') === '') return at(here, 'Consul Gateway Bind Address must be set', 'Address');
    const port = int(bind, 'Port');
    if (port <= 0 && port !== -1) return at(here, 'Consul Gateway Bind Address must set valid Port', 'Port');
  }
  return undefined;
}

const INGRESS_PROTOCOLS = ['tcp', 'http', 'http2', 'grpc'];

function ingressFault(ingress: Obj, path: readonly Part[]): Fault | undefined {
  const listeners = objects(ingress, 'Listeners');
  if (listeners.length === 0)
    return at(path, 'Consul Ingress Gateway requires at least one listener', 'Listeners');
  for (const listener of listeners) {
    const wrong = listenerFault(listener, [...path, { at: listener, where: 'listener' }]);
    if (wrong) return wrong;
  }
  return undefined;
}

function listenerFault(listener: Obj, path: readonly Part[]): Fault | undefined {
  if (int(listener, 'Port') <= 0) return at(path, 'Consul Ingress Listener requires valid Port', 'Port');
  const protocol = text(listener, 'Protocol') || 'tcp';
  if (!INGRESS_PROTOCOLS.includes(protocol))
    return at(
      path,
      `Consul Ingress Listener requires protocol of ${INGRESS_PROTOCOLS.join(', ')}, got ${goQuote(protocol)}`,
      'Protocol',
    );
  const services = objects(listener, 'Services');
  if (services.length === 0)
    return at(path, 'Consul Ingress Listener requires one or more services', 'Services');
  for (const service of services) {
    const wrong = ingressServiceFault(service, protocol, [...path, { at: service, where: 'service' }]);
    if (wrong) return wrong;
  }
  return undefined;
}

function ingressServiceFault(service: Obj, protocol: string, path: readonly Part[]): Fault | undefined {
  const name = text(service, 'Name');
  const hasHosts = strings(service, 'Hosts').length > 0;
  if (name === '') return at(path, 'Consul Ingress Service requires a name', 'Name');
  if (protocol === 'tcp') {
    if (name === '*')
      return at(path, `Consul Ingress Service doesn't support wildcard name for "tcp" protocol`, 'Name');
    if (hasHosts)
      return at(
        path,
        `Consul Ingress Service doesn't support associating hosts to a service for the "tcp" protocol`,
        'Hosts',
      );
  } else if (name === '*' && hasHosts)
    return at(
      path,
      'Consul Ingress Service with a wildcard "*" service name can not also specify hosts',
      'Hosts',
    );
  return undefined;
}

function terminatingFault(terminating: Obj, path: readonly Part[]): Fault | undefined {
  const services = objects(terminating, 'Services');
  if (services.length === 0)
    return at(path, 'Consul Terminating Gateway requires at least one service', 'Services');
  for (const service of services) {
    const wrong = linkedServiceFault(service, [...path, { at: service, where: 'service' }]);
    if (wrong) return wrong;
  }
  return undefined;
}

function linkedServiceFault(service: Obj, path: readonly Part[]): Fault | undefined {
  const [ca, cert, key, sni] = ['CAFile', 'CertFile', 'KeyFile', 'SNI'].map((k) => text(service, k) !== '');
  if (text(service, 'Name') === '') return at(path, 'Consul Linked Service requires Name', 'Name');
  if ((cert || key) && !ca) return at(path, 'Consul Linked Service TLS requires CAFile', 'CAFile');
  if (cert !== key)
    return at(path, 'Consul Linked Service TLS Cert and Key must both be set', cert ? 'KeyFile' : 'CertFile');
  if (sni && !ca) return at(path, 'Consul Linked Service TLS SNI requires CAFile', 'CAFile');
  return undefined;
}
