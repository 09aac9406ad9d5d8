/**
 * What planning ACL policies and roles needs of the token and the cluster: only a management token sees them all
 * (Nomad answers any other token lists that silently leave out what is not linked to it), and a Nomad running
 * without ACLs has none to hold.
 */
import { UserError } from '../../errors.js';
import { seesEverything, type AclTokenIdentity } from '../../nomad/endpoints/acl.js';
import { NomadAclDisabledError } from '../../nomad/errors.js';
import type { NomadClient } from '../../nomad/client.js';
import type { UnseenKind } from '../../plan/model.js';
import { addressKey, KIND_NOUNS, type Address } from '../address.js';
import type { PlanContext } from '../kind.js';

type AclKind = 'acl-policy' | 'acl-role';

/** The plan's token, looked up once for both ACL kinds. */
const tokens = new WeakMap<PlanContext, Promise<AclTokenIdentity>>();

/** What the token lacks to plan this kind, or nothing when it sees every ACL object. */
export async function unseenAcl(context: PlanContext, kind: AclKind): Promise<UnseenKind | undefined> {
  let token = tokens.get(context);
  if (!token) {
    token = context.client.aclTokens.self({ signal: context.signal });
    tokens.set(context, token);
  }
  return seesEverything(await token) ? undefined : { kind, needs: 'a management token' };
}

/**
 * Drift: the ModifyIndex of every object of this kind, by address key; for a token that is not management, what
 * it lacks (its list would leave out objects that exist, which would read as deleted outside drover).
 */
export async function liveAclIndexes(
  client: NomadClient,
  kind: AclKind,
  list: () => Promise<ReadonlyArray<{ readonly Name: string; readonly ModifyIndex: number }>>,
  owned: readonly Address[],
  signal?: AbortSignal,
): Promise<Map<string, number> | UnseenKind> {
  if (!seesEverything(await client.aclTokens.self({ signal }))) return { kind, needs: 'a management token' };
  const cluster = owned[0]?.cluster ?? '';
  return new Map((await list()).map((o) => [addressKey({ cluster, kind, name: o.Name }), o.ModifyIndex]));
}

/** Runs a request to the ACL system, refusing with what to do when the cluster runs without ACLs. */
export async function withAcls<T>(kind: AclKind, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof NomadAclDisabledError)) throw error;
    throw new UserError(
      `this Nomad runs with ACLs disabled: it has no ACL system to hold the project's ${KIND_NOUNS[kind].many}`,
      {
        code: 'acl_disabled',
        hint: 'Remove the acl_policy and acl_role blocks from the project, or enable ACLs on the cluster (acl { enabled = true } on every agent, then nomad acl bootstrap).',
        cause: error,
      },
    );
  }
}

/** The names of this kind's objects that the stack's inventory lists on the plan's cluster. */
export function ownedNames(context: PlanContext, kind: AclKind): Set<string> {
  return new Set(
    (context.owned ?? [])
      .filter((a) => a.kind === kind && a.cluster === context.settings.cluster)
      .map((a) => a.name),
  );
}
