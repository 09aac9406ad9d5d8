/** ACL policies and roles planned and applied against the simulator with ACLs on, as drover's kinds see them. */
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { AclPolicySpec, AclRoleSpec } from '../../src/nomad/endpoints/acl.js';
import type { NomadClient } from '../../src/nomad/client.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { addressKey, type Address, type Change, type Plan, type PlanSettings } from '../../src/plan/model.js';
import { settings } from './plan-env.js';
import type { SimulatedNomad } from './simulated-nomad.js';

export interface AclDeclarations {
  readonly policies?: readonly AclPolicySpec[];
  readonly roles?: readonly AclRoleSpec[];
}

export function planAcl(
  nomad: NomadClient,
  declared: AclDeclarations,
  options: { readonly owned?: readonly Address[]; readonly settings?: Partial<PlanSettings> } = {},
): Promise<Plan> {
  return buildPlan({
    client: nomad,
    desired: {
      'acl-policy': { objects: (declared.policies ?? []).map((spec) => ({ spec, file: 'drover.hcl' })) },
      'acl-role': { objects: (declared.roles ?? []).map((spec) => ({ spec, file: 'drover.hcl' })) },
    },
    settings: settings(options.settings),
    owned: options.owned,
  });
}

export const applyAcl = (nomad: NomadClient, plan: Plan) => applyPlan({ client: nomad, plan });

/** What the stack's inventory would list after applying `plan`: what it listed, with what the plan wrote or deleted. */
export function ownedAfter(plan: Plan, before: readonly Address[] = []): Address[] {
  const owned = new Map(before.map((a) => [addressKey(a), a]));
  for (const change of plan.changes) {
    if (change.kind === 'job') continue;
    if (change.action === 'delete') owned.delete(addressKey(change.address));
    else owned.set(addressKey(change.address), change.address);
  }
  return [...owned.values()];
}

/** `wave action kind name` per change, in apply order. */
export const summary = (plan: Plan) =>
  plan.changes.map((c: Change) => `${c.wave + 1} ${c.action} ${c.kind} ${c.address.name}`);

/** A token made as an operator makes one (PUT /v1/acl/token), linked to policies and roles by name. */
export async function aclToken(
  env: SimulatedNomad,
  management: string,
  links: { readonly policies?: readonly string[]; readonly roles?: readonly string[] },
): Promise<string> {
  const response = await fetch(`${env.sim.address}/v1/acl/token`, {
    method: 'PUT',
    headers: { 'X-Nomad-Token': management },
    body: JSON.stringify({
      Name: 'ci',
      Type: 'client',
      Policies: links.policies ?? [],
      Roles: (links.roles ?? []).map((Name) => ({ Name })),
    }),
  });
  if (!response.ok) throw new Error(`token refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { SecretID: string }).SecretID;
}
