/**
 * A task's resources (Resources.Validate with its devices and NUMA block) and log settings (LogConfig.Validate
 * against the group's ephemeral disk), over api Canonicalize's defaults (nomad/structs, v2.0.5).
 */
import type { Findings } from './findings.js';
import { placementRules } from './placement.js';
import { DEFAULT_DISK_MB } from './policies.js';
import { int, numberOf, object, objects, strings, text, withDefaults, type Obj } from './values.js';

/** api Resources.Canonicalize: cpu defaults to 100 MHz only when cores is unset too; memory to 300 MB. */
function canonicalResources(resources: Obj | undefined): Obj {
  const cores = numberOf(resources, 'Cores');
  const cpu = numberOf(resources, 'CPU') ?? (cores === undefined ? 100 : 0);
  return withDefaults({ MemoryMB: 300 }, resources, { CPU: cpu, Cores: cores ?? 0 });
}

/** Resources.Validate. DiskMB is not checked: ApiResourcesToStructs drops it, so a task's disk never reaches it. */
export function resourceRules(task: Obj, f: Findings): void {
  const given = object(task, 'Resources');
  const r = canonicalResources(given);
  const at = f.in(given, 'resources');
  const cpu = int(r, 'CPU');
  const cores = int(r, 'Cores');
  const memory = int(r, 'MemoryMB');
  const memoryMax = int(r, 'MemoryMaxMB');
  const secrets = int(r, 'SecretsMB');
  if (cores > 0 && cpu > 0) at.add("Task can only ask for 'cpu' or 'cores' resource, not both.", 'Cores');
  if (cores < 0) at.add(`cores value (${cores}) cannot be negative`, 'Cores');
  if (cpu < 1 && cores === 0) at.add(`minimum CPU value is 1; got ${cpu}`, 'CPU');
  if (memory < 10) at.add(`minimum MemoryMB value is 10; got ${memory}`, 'MemoryMB');
  const devices = objects(r, 'Devices');
  devices.forEach((device) => deviceRules(device, at.in(device, `device "${text(device, 'Name')}"`)));
  numaRules(object(r, 'NUMA'), new Set(devices.map((d) => text(d, 'Name'))), at);
  // 0 and -1 (no limit) are not limits to compare.
  if (memoryMax !== 0 && memoryMax !== -1 && memoryMax < memory)
    at.add(
      `MemoryMaxMB value (${memoryMax}) should be larger than MemoryMB value (${memory})`,
      'MemoryMaxMB',
    );
  if (secrets > memory)
    at.add(`SecretsMB value (${secrets}) cannot be larger than MemoryMB value (${memory})`, 'SecretsMB');
  if (secrets < 0) at.add(`SecretsMB value (${secrets}) cannot be negative`, 'SecretsMB');
}

const HOST_OPERANDS = ['distinct_hosts', 'distinct_property'];

/** RequestedDevice.Validate: a name, and constraints and affinities that can pick a device. */
function deviceRules(device: Obj, f: Findings): void {
  if (text(device, 'Name') === '')
    f.add(
      'device name must be given as one of the following: type, vendor/type, or vendor/type/name',
      'Name',
    );
  const constraints = objects(device, 'Constraints').map((c, i) => {
    const operand = text(c, 'Operand');
    if (!HOST_OPERANDS.includes(operand)) return c;
    f.in(c, `constraint ${i + 1}`).add(`using unsupported operand "${operand}"`, 'Operand');
    return PASSING_CONSTRAINT;
  });
  // Device affinities are allowed in system jobs too, hence no job type.
  placementRules({ Constraints: constraints, Affinities: device.Affinities ?? null }, '', f);
}

/** Stands in for a host constraint, which Constraint.Validate never sees, so the others keep their numbers. */
const PASSING_CONSTRAINT: Obj = { LTarget: 'x', RTarget: 'x', Operand: '=' };

/** The NUMA block's devices must be requested devices; NUMA.Validate (the affinity defaults to "none"). */
function numaRules(numa: Obj | undefined, requested: ReadonlySet<string>, f: Findings): void {
  if (!numa) return;
  const at = f.in(numa, 'numa');
  for (const device of strings(numa, 'Devices'))
    if (!requested.has(device)) at.add(`numa device "${device}" not requested as task resource`, 'Devices');
  const affinity = text(numa, 'Affinity') || 'none';
  if (!['none', 'prefer', 'require'].includes(affinity))
    at.add('numa affinity must be one of none, prefer, or require', 'Affinity');
}

const LOG_DEFAULTS: Obj = { MaxFiles: 10, MaxFileSizeMB: 10 };

/** LogConfig.Validate: at least one file of 1 MB, and logs that fit in the group's ephemeral disk. */
export function logRules(task: Obj, group: Obj, f: Findings): void {
  const given = object(task, 'LogConfig');
  const logs = withDefaults(LOG_DEFAULTS, given);
  const at = f.in(given, 'logs');
  const files = int(logs, 'MaxFiles');
  const size = int(logs, 'MaxFileSizeMB');
  if (files < 1) at.add(`minimum number of files is 1; got ${files}`, 'MaxFiles');
  if (size < 1) at.add(`minimum file size is 1MB; got ${size}`, 'MaxFileSizeMB');
  const ephemeralDisk = object(group, 'EphemeralDisk');
  const disk = numberOf(ephemeralDisk, 'SizeMB') ?? DEFAULT_DISK_MB;
  if (disk > files * size) return;
  const message = `log storage (${files * size} MB) must be less than requested disk capacity (${disk} MB)`;
  // At the logs block the task wrote, else at the group's disk, which the default logs outgrow.
  if (given || !ephemeralDisk) at.add(message, 'MaxFiles');
  else f.in(ephemeralDisk, 'ephemeral_disk').add(message, 'SizeMB');
}
