/**
 * Namespaces against what Nomad holds: one list request (a token sees only the namespaces it holds a capability
 * in). Each declared namespace is created, updated, adopted by the stack (stamped in its meta) or unchanged;
 * with prune, the stack's namespaces no file declares are deleted, unless they still hold jobs or variables
 * the plan does not delete.
 */
import { UserError } from '../../errors.js';
import { DEFAULT_NAMESPACE, type Namespace, type NamespaceSpec } from '../../nomad/endpoints/namespaces.js';
import { ownerOf } from '../../plan/ownership.js';
import type { Change } from '../../plan/model.js';
import type { KindPlan, PlanContext } from '../kind.js';
import { specFieldChanges } from '../spec-fields.js';
import {
  namespaceAddress,
  type DesiredNamespace,
  type NamespaceChange,
  type NamespacesDesired,
} from './change.js';

/** The fields of a namespace a spec sets (Nomad's namespace spec file). */
export const NAMESPACE_FIELDS = [
  'Description',
  'Quota',
  'Capabilities',
  'NodePoolConfiguration',
  'VaultConfiguration',
  'ConsulConfiguration',
  'Meta',
  'RequiredExtraClaims',
  'OptionalExtraClaims',
] as const;

export async function planNamespaces(
  context: PlanContext,
  desired: NamespacesDesired,
): Promise<KindPlan<NamespaceChange>> {
  const { client, settings, signal } = context;
  refuseDuplicates(desired.namespaces);
  const { body: live } = await client.namespaces.list({ signal });
  const byName = new Map(live.map((n) => [n.Name, n]));
  const registrations = desired.namespaces
    .map((d) => planNamespace(context, d, byName.get(d.spec.Name)))
    .sort((a, b) => a.address.name.localeCompare(b.address.name));
  const declared = new Set(desired.namespaces.map((d) => d.spec.Name));
  const deletes: NamespaceChange[] =
    settings.prune && settings.stack
      ? live
          .filter(
            (n) =>
              n.Name !== DEFAULT_NAMESPACE &&
              !declared.has(n.Name) &&
              ownerOf(n, settings.stampKey) === settings.stack,
          )
          .map((n) => ({
            kind: 'namespace',
            address: namespaceAddress(settings.cluster, n.Name),
            action: 'delete',
            wave: 0,
            modifyIndex: n.ModifyIndex,
            notes: [],
          }))
      : [];
  return { registrations, deletes };
}

function planNamespace(
  context: PlanContext,
  desired: DesiredNamespace,
  live: Namespace | undefined,
): NamespaceChange {
  const { settings } = context;
  const name = desired.spec.Name;
  const owner = live ? ownerOf(live, settings.stampKey) : undefined;
  if (live && owner !== undefined && owner !== settings.stack)
    throw new UserError(
      `namespace "${name}" belongs to stack "${owner}"${settings.stack ? `, not "${settings.stack}"` : ', and this plan names no stack'}`,
      {
        code: 'owned_elsewhere',
        hint: `Another drover stack manages this namespace; remove meta "${settings.stampKey}" from it to hand it over.`,
      },
    );
  const spec: NamespaceSpec = settings.stack
    ? { ...desired.spec, Meta: { ...(desired.spec.Meta ?? {}), [settings.stampKey]: settings.stack } }
    : desired.spec;
  const base = {
    kind: 'namespace' as const,
    address: namespaceAddress(settings.cluster, name),
    wave: 0,
    ...(desired.file ? { file: desired.file } : {}),
  };
  const fields = specFieldChanges(live, spec, NAMESPACE_FIELDS);
  if (!live) return { ...base, action: 'create', spec, modifyIndex: 0, fields, notes: [] };
  if (settings.stack && owner === undefined)
    return {
      ...base,
      action: 'adopt',
      spec,
      modifyIndex: live.ModifyIndex,
      fields,
      notes: [{ type: 'adopt-stamp', kind: 'namespace', stampKey: settings.stampKey, stack: settings.stack }],
    };
  if (fields.length === 0) return { ...base, action: 'noop', modifyIndex: live.ModifyIndex, notes: [] };
  return { ...base, action: 'update', spec, modifyIndex: live.ModifyIndex, fields, notes: [] };
}

function refuseDuplicates(namespaces: readonly DesiredNamespace[]): void {
  const seen = new Map<string, string | undefined>();
  for (const d of namespaces) {
    if (seen.has(d.spec.Name))
      throw new UserError(
        `namespace "${d.spec.Name}" is declared twice: in ${seen.get(d.spec.Name)} and ${d.file}`,
        {
          code: 'duplicate_object',
        },
      );
    seen.set(d.spec.Name, d.file);
  }
}

/**
 * A namespace is deleted only empty: Nomad refuses to delete one holding non-terminal jobs or variables. The plan
 * refuses first, naming what the namespace holds that this plan does not delete.
 */
export async function refuseNonEmptyDeletes(context: PlanContext, changes: readonly Change[]): Promise<void> {
  const doomed = changes.filter((c) => c.kind === 'namespace' && c.action === 'delete');
  if (doomed.length === 0) return;
  const deletedJobs = new Set(
    changes.flatMap((c) =>
      c.kind === 'job' && c.action === 'delete' ? [`${c.address.namespace}/${c.address.name}`] : [],
    ),
  );
  for (const change of doomed) {
    const namespace = change.address.name;
    const [jobs, variables] = await Promise.all([
      context.client.jobs.listAll({ namespace, signal: context.signal }),
      context.client.variables.listAll({ namespace, signal: context.signal }),
    ]);
    const held = [
      ...jobs
        .filter((j) => j.Status !== 'dead' && !deletedJobs.has(`${namespace}/${j.ID}`))
        .map((j) => `job ${j.ID}`),
      ...variables.map((v) => `variable ${v.Path}`),
    ];
    if (held.length > 0)
      throw new UserError(
        `namespace "${namespace}" would be deleted, but it still holds ${held.slice(0, 10).join(', ')}${held.length > 10 ? ` and ${held.length - 10} more` : ''}`,
        {
          code: 'namespace_not_empty',
          hint: 'Nomad deletes only an empty namespace: move or delete what it holds first, or declare the namespace again.',
        },
      );
  }
}
