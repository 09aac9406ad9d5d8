/**
 * What jobspec2 does to a decoded job before handing it over (reference §11.1 step 7): ID and Name from the label,
 * the periodic SpecType, job-level tasks as one-task groups, static ports moved to ReservedPorts, template and
 * vault defaults, job-level vault and secrets given to tasks, the unnamed identity moved to Task.Identity.
 */
import type { Value } from '../hcl/types.js';
import { emptyStruct, type JobExtras } from './decode.js';

type Obj = { [key: string]: Value };
const SECOND = 1_000_000_000;

export function normalizeJob(job: Obj, label: string, extras: JobExtras): void {
  if (job.Name === null) job.Name = label;
  if (job.ID === null) job.ID = label;
  const periodic = job.Periodic as Obj | null;
  if (periodic && (periodic.Spec !== null || periodic.Specs !== null)) periodic.SpecType = 'cron';
  const vault = extras.vault ? normalizeVault({ ...extras.vault }) : null;
  if (extras.tasks.length > 0) {
    const alone = extras.tasks.map((task): Obj => ({
      ...emptyStruct('TaskGroup'),
      Name: task.Name ?? null,
      Tasks: [task],
    }));
    job.TaskGroups = [...alone, ...((job.TaskGroups as Obj[] | null) ?? [])];
  }
  for (const group of (job.TaskGroups as Obj[] | null) ?? []) {
    normalizePorts(group.Networks as Obj[] | null);
    for (const task of (group.Tasks as Obj[] | null) ?? []) {
      const resources = task.Resources as Obj | null;
      if (resources) normalizePorts(resources.Networks as Obj[] | null);
      for (const template of (task.Templates as Obj[] | null) ?? []) normalizeTemplate(template);
      if (task.Vault) normalizeVault(task.Vault as Obj);
      if (task.Vault === null) task.Vault = vault;
      const secrets = (task.Secrets as Obj[] | null) ?? [];
      task.Secrets =
        secrets.length === 0
          ? extras.secrets.length > 0
            ? extras.secrets
            : null
          : [...secrets, ...extras.secrets];
      const identities = (task.Identities as Obj[] | null) ?? [];
      const index = identities.findIndex(
        (identity) => identity.Name === '' || identity.Name === null || identity.Name === 'default',
      );
      if (index >= 0) {
        task.Identity = identities[index]!;
        task.Identities = identities.filter((_, i) => i !== index);
      }
    }
  }
}

function normalizeVault(vault: Obj): Obj {
  if (vault.Env === null) vault.Env = true;
  if (vault.DisableFile === null) vault.DisableFile = false;
  if (vault.ChangeMode === null) vault.ChangeMode = 'restart';
  return vault;
}

/** `port` blocks with a static value are reserved ports; an emptied dynamic list becomes null. */
function normalizePorts(networks: Obj[] | null): void {
  for (const network of networks ?? []) {
    const ports = (network.DynamicPorts as Obj[] | null) ?? [];
    if (ports.length === 0) continue;
    const dynamic = ports.filter((p) => !((p.Value as number) > 0));
    const reserved = ports.filter((p) => (p.Value as number) > 0);
    network.DynamicPorts = dynamic.length > 0 ? dynamic : null;
    network.ReservedPorts = reserved.length > 0 ? reserved : null;
  }
}

function normalizeTemplate(template: Obj): void {
  if (template.ChangeMode === null) template.ChangeMode = 'restart';
  if (template.Perms === null) template.Perms = '0644';
  if (template.Splay === null) template.Splay = 5 * SECOND;
  if (template.ErrMissingKey === null) template.ErrMissingKey = false;
  const script = template.ChangeScript as Obj | null;
  if (!script) return;
  if (script.Args === null) script.Args = [];
  if (script.Timeout === null) script.Timeout = 5 * SECOND;
  if (script.FailOnError === null) script.FailOnError = false;
  if (script.RunOnFirstRender === null) script.RunOnFirstRender = false;
}
