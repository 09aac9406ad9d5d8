/**
 * TaskGroup.validateNetworks (nomad/structs, v2.0.5): port labels unique across the group's and its tasks'
 * networks, static ports unique per host network and within 0–65535, mapped ports, CNI args and hostnames.
 */
import type { Findings } from './findings.js';
import { flag, int, object, objects, text, type Obj } from './values.js';

const MAX_PORT = 65535;

/** Go's dns.IsDomainName (miekg/dns): label and name lengths, escapes aside. */
function isDomainName(name: string): boolean {
  if (name === '.') return true;
  const trimmed = name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name;
  if (trimmed === '' || Buffer.byteLength(trimmed) > 253) return false;
  return trimmed.split('.').every((label) => label !== '' && Buffer.byteLength(label) <= 63);
}

const portsOf = (network: Obj) => [...objects(network, 'ReservedPorts'), ...objects(network, 'DynamicPorts')];

export function networkRules(group: Obj, f: Findings): void {
  const labels = new Map<string, string>();
  const staticPorts = new Map<string, Map<number, string>>();
  const cniKeys = new Set<string>();
  const reserve = (port: Obj, owner: string, at: Findings, mayCollide: boolean) => {
    const value = int(port, 'Value');
    if (value === 0) return;
    const hostNetwork = text(port, 'HostNetwork') || 'default';
    const taken = staticPorts.get(hostNetwork) ?? new Map<number, string>();
    const other = taken.get(value);
    if (other !== undefined) {
      if (!mayCollide) at.add(`Static port ${value} already reserved by ${other}`, 'Value');
    } else if (value > MAX_PORT)
      at.add(`Port ${text(port, 'Label')} (${value}) cannot be greater than ${MAX_PORT}`, 'Value');
    else staticPorts.set(hostNetwork, taken.set(value, owner));
  };
  for (const network of objects(group, 'Networks')) {
    const here = f.in(network);
    for (const port of portsOf(network)) {
      const label = text(port, 'Label');
      const at = here.in(port);
      const other = labels.get(label);
      if (other !== undefined) at.add(`Port label ${label} already in use by ${other}`, 'Label');
      else labels.set(label, 'taskgroup network');
      const ignoreCollision = flag(port, 'IgnoreCollision');
      reserve(port, `taskgroup network:${label}`, at, ignoreCollision);
      const to = int(port, 'To');
      if (to < -1) at.add(`Port "${label}" cannot be mapped to negative value ${to}`, 'To');
      else if (to > MAX_PORT)
        at.add(`Port "${label}" cannot be mapped to a port (${to}) greater than ${MAX_PORT}`, 'To');
      const mode = text(network, 'Mode');
      if (ignoreCollision && !(mode === '' || mode === 'host'))
        at.add(
          `Port "${label}" collision may not be ignored on non-host network mode "${mode}"`,
          'IgnoreCollision',
        );
    }
    for (const [key, value] of Object.entries(object(object(network, 'CNI'), 'Args') ?? {})) {
      const at = here.in(object(network, 'CNI'));
      if (cniKeys.has(key)) at.add(`duplicate CNI arg "${key}"`, 'Args');
      cniKeys.add(key);
      if (key.includes(';')) at.add(`invalid ';' character in CNI arg key "${key}"`, 'Args');
      if (typeof value === 'string' && value.includes(';'))
        at.add(`invalid ';' character in CNI arg value "${value}"`, 'Args');
    }
    const hostname = text(network, 'Hostname');
    if (hostname !== '' && !hostname.includes('${') && !isDomainName(hostname))
      here.add('Hostname is not a valid DNS name', 'Hostname');
  }
  for (const task of objects(group, 'Tasks'))
    for (const network of objects(object(task, 'Resources'), 'Networks'))
      for (const port of portsOf(network)) {
        const label = text(port, 'Label');
        const at = f.in(task).in(network).in(port);
        const other = labels.get(label);
        if (other !== undefined) at.add(`Port label ${label} already in use by ${other}`, 'Label');
        reserve(port, `${text(task, 'Name')}:${label}`, at, false);
      }
}
