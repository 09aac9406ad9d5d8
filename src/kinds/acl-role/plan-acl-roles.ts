/**
 * ACL roles against what Nomad holds: one list of roles (it carries their policies) and one of policies. Each
 * declared role is created, updated, adopted by the stack (listed in its inventory: a role has no meta to stamp)
 * or unchanged; with prune, the roles the inventory lists and no file declares are deleted. A role's policies are
 * a set (Nomad drops repeats and keeps the order given), and each must exist once the policies are written.
 */
import { pruneDeletes } from '../object-kind-parts.js';
import { UserError } from '../../errors.js';
import { compareText } from '../../util/compare.js';
import type { AclRole, AclRoleSpec } from '../../nomad/endpoints/acl.js';
import type { Change, FieldDiff } from '../../plan/model.js';
import { ownedNames, unseenAcl, withAcls } from '../acl-policy/acl-access.js';
import type { KindPlan, PlanContext } from '../kind.js';
import { specFieldChanges } from '../spec-fields.js';
import { aclRoleAddress, type AclRoleChange, type AclRolesDesired, type DesiredAclRole } from './change.js';

export async function planAclRoles(
  context: PlanContext,
  desired: AclRolesDesired,
  earlier: readonly Change[],
): Promise<KindPlan<AclRoleChange>> {
  const { client, settings, signal } = context;
  refuseDuplicates(desired.objects);
  refuseWithoutPolicies(desired.objects);
  const owned = ownedNames(context, 'acl-role');
  if (desired.objects.length === 0 && owned.size === 0) return { registrations: [], deletes: [] };
  const unseen = await unseenAcl(context, 'acl-role');
  if (unseen) return { registrations: [], deletes: [], unseen };
  const [{ body: live }, { body: policies }] = await withAcls('acl-role', () =>
    Promise.all([client.aclRoles.list({ signal }), client.aclPolicies.list({ signal })]),
  );
  refuseUnknownPolicies(desired.objects, [
    ...policies.map((p) => p.Name),
    ...earlier.flatMap((c) => (c.kind === 'acl-policy' && c.action !== 'delete' ? [c.address.name] : [])),
  ]);
  const byName = new Map(live.map((r) => [r.Name, r]));
  const registrations = desired.objects
    .map((d) => planRole(context, d, byName.get(d.spec.Name), owned))
    .sort((a, b) => compareText(a.address.name, b.address.name));
  const declared = new Set(desired.objects.map((d) => d.spec.Name));
  const deletes = pruneDeletes('acl-role', settings, live, (r) => owned.has(r.Name) && !declared.has(r.Name));
  return { registrations, deletes };
}

function planRole(
  context: PlanContext,
  desired: DesiredAclRole,
  live: AclRole | undefined,
  owned: ReadonlySet<string>,
): AclRoleChange {
  const { settings } = context;
  const spec: AclRoleSpec = { ...desired.spec, Policies: distinct(desired.spec.Policies) };
  const base = {
    kind: 'acl-role' as const,
    address: aclRoleAddress(settings.cluster, spec.Name),
    wave: 0,
    ...(desired.file ? { file: desired.file } : {}),
  };
  const fields = roleFieldChanges(live, spec);
  if (!live) return { ...base, action: 'create', spec, modifyIndex: 0, fields, notes: [] };
  if (settings.stack && !owned.has(spec.Name))
    return {
      ...base,
      action: 'adopt',
      spec,
      modifyIndex: live.ModifyIndex,
      fields,
      notes: [{ type: 'adopt-inventory', kind: 'acl-role', stack: settings.stack }],
    };
  if (fields.length === 0) return { ...base, action: 'noop', modifyIndex: live.ModifyIndex, notes: [] };
  return { ...base, action: 'update', spec, modifyIndex: live.ModifyIndex, fields, notes: [] };
}

/**
 * What writing the role changes: its description, and each policy linked or unlinked (a set, shown as Nomad's
 * own diff shows one: an Added or Deleted field per element, whatever the order).
 */
function roleFieldChanges(live: AclRole | undefined, spec: AclRoleSpec): FieldDiff[] {
  const before = new Set(live?.Policies.map((p) => p.Name) ?? []);
  const after = new Set(spec.Policies.map((p) => p.Name));
  const policies: FieldDiff[] = [
    ...[...after]
      .filter((name) => !before.has(name))
      .map((name) => ({ Type: 'Added' as const, Name: 'Policies', Old: '', New: name, Annotations: null })),
    ...[...before]
      .filter((name) => !after.has(name))
      .map((name) => ({ Type: 'Deleted' as const, Name: 'Policies', Old: name, New: '', Annotations: null })),
  ].sort((a, b) => (a.Old || a.New).localeCompare(b.Old || b.New));
  return [...specFieldChanges(live, spec, ['Description']), ...policies];
}

function distinct(links: AclRoleSpec['Policies']): AclRoleSpec['Policies'] {
  const names = [...new Set(links.map((p) => p.Name))];
  return names.map((Name) => ({ Name }));
}

function refuseDuplicates(roles: readonly DesiredAclRole[]): void {
  const seen = new Map<string, string | undefined>();
  for (const d of roles) {
    if (seen.has(d.spec.Name))
      throw new UserError(
        `ACL role "${d.spec.Name}" is declared twice: in ${seen.get(d.spec.Name)} and ${d.file}`,
        { code: 'duplicate_object' },
      );
    seen.set(d.spec.Name, d.file);
  }
}

function refuseWithoutPolicies(roles: readonly DesiredAclRole[]): void {
  const empty = roles.find((d) => d.spec.Policies.length === 0);
  if (empty)
    throw new UserError(
      `ACL role "${empty.spec.Name}" links no policy${empty.file ? ` (${empty.file})` : ''}`,
      {
        code: 'acl_role_without_policy',
        hint: 'Nomad requires at least one policy per role: name one in its policies.',
      },
    );
}

/** Nomad refuses a role linking a policy it does not hold: refused here first, naming both. */
function refuseUnknownPolicies(roles: readonly DesiredAclRole[], known: readonly string[]): void {
  const exists = new Set(known);
  for (const d of roles) {
    const missing = d.spec.Policies.find((p) => !exists.has(p.Name));
    if (missing)
      throw new UserError(
        `ACL role "${d.spec.Name}" links ACL policy "${missing.Name}", which neither the project declares nor Nomad holds`,
        {
          code: 'acl_policy_unknown',
          hint: `Declare acl_policy "${missing.Name}" in the project, create it in Nomad, or correct the name in the role's policies.`,
        },
      );
  }
}
