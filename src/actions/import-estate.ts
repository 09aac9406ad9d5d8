/**
 * What `drover import` reads beside the jobs: the Nomad Variables the jobs' templates read (and the paths Nomad
 * gives every workload), the ACL policies attached to the jobs through workload identity, and the kinds the user
 * asks for with --include. What the token may not read is named, never skipped in silence.
 */
import { seesEverything, type AclPolicy, type AclRole } from '../nomad/endpoints/acl.js';
import type { Variable } from '../nomad/endpoints/variables.js';
import { NomadAclDisabledError, NomadPermissionError } from '../nomad/errors.js';
import type { NomadClient } from '../nomad/client.js';
import type { Job } from '../nomad/types.js';
import { variableReferences } from '../import/template-variables.js';
import type { EstateKind, UnreadKind } from '../import/import-result.js';
import { mapLimit } from '../util/limit.js';

export interface EstateWanted {
  /** Every object of these kinds the token can read, beside what the jobs depend on. */
  readonly include: ReadonlySet<EstateKind>;
  /** With nomad_variable included: only the variables under these prefixes (none: every variable). */
  readonly variablePrefixes: readonly string[];
  /** The namespaces --include nomad_variable reads: one, or "*". */
  readonly namespace: string;
}

export interface ImportedRole {
  readonly role: AclRole;
  /** The policies it links that Nomad no longer holds (a role keeps the link to a policy deleted since). */
  readonly missing: readonly string[];
}

export interface EstateRead {
  readonly policies: readonly AclPolicy[];
  readonly roles: readonly ImportedRole[];
  readonly variables: readonly Variable[];
  readonly unread: readonly UnreadKind[];
  /** Templates that name a variable by an expression: "namespace/job group/task". */
  readonly unresolved: readonly string[];
  /** The cluster runs without ACLs: it holds no policies or roles. */
  readonly aclsDisabled: boolean;
}

/** drover's own variables (each stack's lock, history and inventory): never imported. */
const DROVER_PREFIX = 'drover/stacks/';

export async function readImportEstate(
  client: NomadClient,
  jobs: readonly Job[],
  wanted: EstateWanted,
  signal?: AbortSignal,
): Promise<EstateRead> {
  const unread: UnreadKind[] = [];
  const acl = await readAcl(client, jobs, wanted, unread, signal);
  const variables = await readVariables(client, jobs, wanted, unread, signal);
  return {
    ...acl,
    variables: variables.found,
    unresolved: variables.unresolved,
    unread,
  };
}

async function readAcl(
  client: NomadClient,
  jobs: readonly Job[],
  wanted: EstateWanted,
  unread: UnreadKind[],
  signal?: AbortSignal,
): Promise<Pick<EstateRead, 'policies' | 'roles' | 'aclsDisabled'>> {
  const none = { policies: [], roles: [], aclsDisabled: false };
  if (!(await managementToken(client, signal))) {
    unread.push({ kind: 'acl_policy', needs: 'a management token' });
    if (wanted.include.has('acl_role')) unread.push({ kind: 'acl_role', needs: 'a management token' });
    return none;
  }
  try {
    const stubs = (await client.aclPolicies.list({ signal })).body;
    const names = new Set(
      stubs
        .filter(
          (p) =>
            wanted.include.has('acl_policy') ||
            jobs.some((j) => p.JobACL?.JobID === j.ID && p.JobACL?.Namespace === (j.Namespace ?? 'default')),
        )
        .map((p) => p.Name),
    );
    const roles: ImportedRole[] = [];
    if (wanted.include.has('acl_role')) {
      const held = new Set(stubs.map((p) => p.Name));
      for (const role of (await client.aclRoles.list({ signal })).body) {
        const linked = role.Policies.map((p) => p.Name);
        for (const name of linked) if (held.has(name)) names.add(name);
        roles.push({ role, missing: linked.filter((n) => !held.has(n)) });
      }
    }
    const policies = await mapLimit([...names].sort(), 8, async (name) => {
      return (await client.aclPolicies.read(name, { signal })).body;
    });
    return {
      policies,
      roles: roles.sort((a, b) => a.role.Name.localeCompare(b.role.Name)),
      aclsDisabled: false,
    };
  } catch (error) {
    if (error instanceof NomadAclDisabledError) return { ...none, aclsDisabled: true };
    throw error;
  }
}

async function readVariables(
  client: NomadClient,
  jobs: readonly Job[],
  wanted: EstateWanted,
  unread: UnreadKind[],
  signal?: AbortSignal,
): Promise<{ found: Variable[]; unresolved: string[] }> {
  const paths = new Map<string, { namespace: string; path: string }>();
  const add = (namespace: string, path: string) => {
    if (!path.startsWith(DROVER_PREFIX)) paths.set(`${namespace}\u0000${path}`, { namespace, path });
  };
  const unresolved: string[] = [];
  const denied: string[] = [];
  const list = async (namespace: string, prefix: string) => {
    try {
      for (const meta of await client.variables.listAll({ namespace, prefix, signal }))
        add(meta.Namespace, meta.Path);
    } catch (error) {
      if (!(error instanceof NomadPermissionError)) throw error;
      denied.push(`list on ${prefix || 'every path'} in namespace ${namespace}`);
    }
  };
  for (const job of jobs) {
    const references = variableReferences(job);
    for (const { namespace, path } of references.paths) add(namespace, path);
    for (const { namespace, prefix } of references.prefixes) await list(namespace, prefix);
    for (const where of references.unresolved)
      unresolved.push(`${String(job.Namespace)}/${String(job.ID)} ${where}`);
  }
  if (wanted.include.has('nomad_variable'))
    for (const prefix of wanted.variablePrefixes.length > 0 ? wanted.variablePrefixes : [''])
      await list(wanted.namespace, prefix);
  const read = await mapLimit([...paths.values()], 8, async ({ namespace, path }) => {
    try {
      return (await client.variables.read(path, { namespace, signal })).body;
    } catch (error) {
      if (!(error instanceof NomadPermissionError)) throw error;
      denied.push(`read on ${path} in namespace ${namespace}`);
      return null;
    }
  });
  if (denied.length > 0) unread.push({ kind: 'nomad_variable', needs: `variables ${denied.join(', ')}` });
  const found = read.filter((v): v is Variable => v !== null);
  return {
    found: found.sort((a, b) => a.Namespace.localeCompare(b.Namespace) || a.Path.localeCompare(b.Path)),
    unresolved,
  };
}

/** Whether the token sees every ACL object; an anonymous or unknown token may not even read itself. */
async function managementToken(client: NomadClient, signal?: AbortSignal): Promise<boolean> {
  try {
    return seesEverything(await client.aclTokens.self({ signal }));
  } catch (error) {
    if (error instanceof NomadPermissionError) return false;
    throw error;
  }
}
