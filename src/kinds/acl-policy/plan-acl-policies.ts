/**
 * ACL policies against what Nomad holds: one list, then a read of each declared policy that exists (the list
 * leaves the rules out). Each is created, updated, adopted by the stack (listed in its inventory: a policy has no
 * meta to stamp) or unchanged; with prune, the policies the inventory lists and no file declares are deleted.
 * Nomad keeps the rules text as written, so the text itself is compared.
 */
import { pruneDeletes } from '../object-kind-parts.js';
import { UserError } from '../../errors.js';
import { compareText } from '../../util/compare.js';
import type { AclPolicy } from '../../nomad/endpoints/acl.js';
import { mapLimit } from '../../util/limit.js';
import type { KindPlan, PlanContext } from '../kind.js';
import { specFieldChanges } from '../spec-fields.js';
import { ownedNames, unseenAcl, withAcls } from './acl-access.js';
import {
  aclPolicyAddress,
  type AclPoliciesDesired,
  type AclPolicyChange,
  type DesiredAclPolicy,
} from './change.js';

/** What a policy write sets besides its name (Nomad's ACL policy API). */
export const ACL_POLICY_FIELDS = ['Description', 'Rules', 'JobACL'] as const;

export async function planAclPolicies(
  context: PlanContext,
  desired: AclPoliciesDesired,
): Promise<KindPlan<AclPolicyChange>> {
  const { client, settings, signal } = context;
  refuseDuplicates(desired.objects);
  const owned = ownedNames(context, 'acl-policy');
  if (desired.objects.length === 0 && owned.size === 0) return { registrations: [], deletes: [] };
  const unseen = await unseenAcl(context, 'acl-policy');
  if (unseen) return { registrations: [], deletes: [], unseen };
  const { body: stubs } = await withAcls('acl-policy', () => client.aclPolicies.list({ signal }));
  const existing = new Set(stubs.map((p) => p.Name));
  const registrations = await mapLimit(desired.objects, context.concurrency, async (d) => {
    const live = existing.has(d.spec.Name)
      ? (await client.aclPolicies.find(d.spec.Name, { signal })).body
      : null;
    return planPolicy(context, d, live, owned);
  });
  registrations.sort((a, b) => compareText(a.address.name, b.address.name));
  const declared = new Set(desired.objects.map((d) => d.spec.Name));
  const deletes = pruneDeletes(
    'acl-policy',
    settings,
    stubs,
    (p) => owned.has(p.Name) && !declared.has(p.Name),
  );
  return { registrations, deletes };
}

function planPolicy(
  context: PlanContext,
  desired: DesiredAclPolicy,
  live: AclPolicy | null,
  owned: ReadonlySet<string>,
): AclPolicyChange {
  const { settings } = context;
  const { spec } = desired;
  const base = {
    kind: 'acl-policy' as const,
    address: aclPolicyAddress(settings.cluster, spec.Name),
    wave: 0,
    ...(desired.file ? { file: desired.file } : {}),
  };
  const fields = specFieldChanges(live ?? undefined, spec, ACL_POLICY_FIELDS);
  if (!live) return { ...base, action: 'create', spec, modifyIndex: 0, fields, notes: [] };
  if (settings.stack && !owned.has(spec.Name))
    return {
      ...base,
      action: 'adopt',
      spec,
      modifyIndex: live.ModifyIndex,
      fields,
      notes: [{ type: 'adopt-inventory', kind: 'acl-policy', stack: settings.stack }],
    };
  if (fields.length === 0) return { ...base, action: 'noop', modifyIndex: live.ModifyIndex, notes: [] };
  return { ...base, action: 'update', spec, modifyIndex: live.ModifyIndex, fields, notes: [] };
}

function refuseDuplicates(policies: readonly DesiredAclPolicy[]): void {
  const seen = new Map<string, string | undefined>();
  for (const d of policies) {
    if (seen.has(d.spec.Name))
      throw new UserError(
        `ACL policy "${d.spec.Name}" is declared twice: in ${seen.get(d.spec.Name)} and ${d.file}`,
        { code: 'duplicate_object' },
      );
    seen.set(d.spec.Name, d.file);
  }
}
