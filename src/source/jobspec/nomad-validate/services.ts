/**
 * Service and check rules (nomad/structs, v2.0.5) of a group's and its tasks' services: TaskGroup.validateServices
 * and validateScriptChecksInGroupServices here, Task.Validate's in task-services.ts, both over canonical services
 * (service-model.ts) checked by Service.Validate (service-validate.ts).
 */
import { goQuote } from '../../hcl/unify.js';
import type { Findings } from './findings.js';
import { canonicalService, report, type Service } from './service-model.js';
import { serviceFaults } from './service-validate.js';
import { objects, text, type Obj } from './values.js';

export { taskServiceRules } from './task-services.js';

interface Placed {
  readonly service: Service;
  /** The findings of the service's owner: the group, or the task. */
  readonly f: Findings;
  /** The task the service belongs to, "group" for a group service. */
  readonly task: string;
}

/** TaskGroup.validateServices and validateScriptChecksInGroupServices. */
export function groupServiceRules(group: Obj, job: Obj, f: Findings): void {
  const taskServices: Placed[] = objects(group, 'Tasks').flatMap((task) => {
    const name = text(task, 'Name');
    const at = f.in(task, `task "${name}"`);
    return objects(task, 'Services').map((raw) => ({
      service: canonicalService(raw, { job, group, task }),
      f: at,
      task: name,
    }));
  });
  const groupServices: Placed[] = objects(group, 'Services').map((raw) => ({
    service: canonicalService(raw, { job, group }),
    f,
    task: 'group',
  }));
  taskServices.forEach(taskReferenceRules);
  const taskNames = new Set(objects(group, 'Tasks').map((task) => text(task, 'Name')));
  for (const { service, f: at } of groupServices)
    groupServiceValidation(service, taskNames, at.in(service.raw, service.where));
  uniquenessRules([...taskServices, ...groupServices]);
  providerRules([...taskServices, ...groupServices]);
  for (const { service } of groupServices)
    scriptCheckRules(service, text(group, 'Name'), f.in(service.raw, service.where));
}

/** A task's service, and its checks, may only name the task they are in. */
function taskReferenceRules({ service, f, task }: Placed): void {
  const at = f.in(service.raw, service.where);
  if (service.taskName !== '' && service.taskName !== task)
    at.add(
      `Service ${service.name} is invalid: may only specify task the service belongs to, got ${goQuote(service.taskName)}`,
      'TaskName',
    );
  for (const check of service.checks)
    if (check.taskName !== '' && check.taskName !== task)
      at.in(check.raw, check.part.where).add(
        `Check ${check.name} is invalid: may only specify task the check belongs to, got ${goQuote(check.taskName)}`,
        'TaskName',
      );
}

/** Service.Validate of a group service; Nomad looks no further at a service that fails it. */
function groupServiceValidation(service: Service, taskNames: ReadonlySet<string>, f: Findings): void {
  const faults = serviceFaults(service);
  for (const fault of faults) report(f, fault);
  if (faults.length > 0) return;
  if (service.addressMode === 'driver')
    f.add(
      `service ${goQuote(service.name)} cannot use address_mode="driver", only services defined in a "task" block can use this mode`,
      'AddressMode',
    );
  for (const check of service.checks) {
    if (check.taskName === '') continue;
    const at = f.in(check.raw, check.part.where);
    if (check.addressMode === 'driver')
      at.add(
        `Check ${goQuote(service.name)} invalid: cannot use address_mode="driver", only checks defined in a "task" service block can use this mode`,
        'AddressMode',
      );
    if (!taskNames.has(check.taskName))
      at.add(`Check ${check.name} invalid: refers to non-existent task ${check.taskName}`, 'TaskName');
  }
}

/** No two services of a group with the same name, task and port. */
function uniquenessRules(services: readonly Placed[]): void {
  const seen = new Set<string>();
  const repeats: Placed[] = [];
  const duplicates = new Map<string, string>();
  for (const placed of services) {
    const { name, portLabel } = placed.service;
    const id = `${placed.task}->${name}${portLabel === '' ? '' : `:${portLabel}`}`;
    const key = JSON.stringify([name, placed.task, portLabel]);
    if (seen.has(key)) {
      repeats.push(placed);
      duplicates.set(key, id);
    }
    seen.add(key);
  }
  if (repeats.length === 0) return;
  const message = `Services are not unique: [${[...duplicates.values()].sort().join(' ')}]`;
  for (const { service, f } of repeats) f.in(service.raw, service.where).add(message, 'Name');
}

/** Every service of a group uses the same provider. */
function providerRules(services: readonly Placed[]): void {
  const first = services[0]?.service.provider;
  const other = services.find(({ service }) => service.provider !== first);
  if (other)
    other.f
      .in(other.service.raw, other.service.where)
      .add('Multiple service providers used: task group services must use the same provider', 'Provider');
}

/** A group service's script check runs in a task: the service's or the check's. */
function scriptCheckRules(service: Service, groupName: string, f: Findings): void {
  if (service.taskName !== '') return;
  for (const check of service.checks)
    if (check.type === 'script' && check.taskName === '')
      f.in(check.raw, check.part.where).add(
        `Service [${groupName}]->${service.name} or Check ${check.name} must specify task parameter`,
        'TaskName',
      );
}
