import { NomadObjectNotFoundError } from '../errors.js';
import { aboutObject, aclRequest, objectError, orNull } from '../object-errors.js';
import type { ApiResponse, Transport } from '../transport.js';
import {
  clusterReadRequest,
  clusterWriteRequest,
  segment,
  type ClusterReadOptions,
  type ClusterWriteOptions,
  type WriteIndex,
} from './options.js';

/** A workload-identity policy's attachment: the job (group, task) whose identity it applies to. */
export interface JobAcl {
  readonly Namespace: string;
  readonly JobID: string;
  readonly Group: string;
  readonly Task: string;
}

/** Capabilities per name (namespace, node pool, host volume), as Nomad parsed the rules. */
export interface ParsedRule {
  readonly Name: string;
  readonly Policy: string;
  /** The capabilities written, then those the policy shorthand stands for (Nomad's order, repeats kept). */
  readonly Capabilities: string[] | null;
}

export interface ParsedNamespaceRule extends ParsedRule {
  readonly Variables: {
    readonly Paths: Array<{ readonly PathSpec: string; readonly Capabilities: string[] | null }> | null;
  } | null;
}

/** The rules as Nomad parsed them (acl.Policy), which it adds to a policy it answers (`RulesJSON`). */
export interface ParsedRules {
  readonly Namespaces: ParsedNamespaceRule[] | null;
  readonly NodePools: ParsedRule[] | null;
  readonly HostVolumes: ParsedRule[] | null;
  readonly Agent: { readonly Policy: string } | null;
  readonly Node: { readonly Policy: string } | null;
  readonly Operator: { readonly Policy: string; readonly Capabilities: string[] | null } | null;
  readonly Sentinel: { readonly Policy: string; readonly Capabilities: string[] | null } | null;
  readonly Quota: { readonly Policy: string } | null;
  readonly Plugin: { readonly Policy: string } | null;
  /** The rules text. */
  readonly Raw: string;
  readonly ExtraKeysHCL: string[] | null;
}

/** A policy as a list shows it: everything but the rules. */
export interface AclPolicyStub {
  readonly Name: string;
  readonly Description: string;
  readonly JobACL: JobAcl | null;
  /** Base64 of Nomad's BLAKE2b-256 over name, description, rules and job attachment. */
  readonly Hash: string;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}

export interface AclPolicy extends AclPolicyStub {
  /** The rules as written (HCL or JSON). */
  readonly Rules: string;
  /** null for a policy whose rules are empty. */
  readonly RulesJSON: ParsedRules | null;
}

/** What a write sends. Nomad replaces the whole policy with it. */
export interface AclPolicySpec {
  readonly Name: string;
  readonly Description?: string;
  readonly Rules: string;
  readonly JobACL?: Partial<JobAcl> | null;
}

export interface AclRolePolicyLink {
  readonly Name: string;
}

/** A role as Nomad answers it (the list's stub has the same fields). */
export interface AclRole {
  /** Nomad's UUID for the role: updates and deletes address it by this. */
  readonly ID: string;
  readonly Name: string;
  readonly Description: string;
  /** Deduplicated by Nomad; a policy deleted since stays linked by name. */
  readonly Policies: AclRolePolicyLink[];
  readonly Hash: string;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}

/** What a write sends: name, description and policies (each must exist when written). */
export interface AclRoleSpec {
  readonly Name: string;
  readonly Description?: string;
  readonly Policies: readonly AclRolePolicyLink[];
}

/** Who the client's token is, without its secret. */
export interface AclTokenIdentity {
  /** "anonymous" when the client sends no token; "acls-disabled" (a client token) when ACLs are off. */
  readonly AccessorID: string;
  readonly Name: string;
  readonly Type: 'management' | 'client';
  readonly Policies: string[] | null;
  readonly Roles: Array<{ readonly ID: string; readonly Name: string }> | null;
  readonly Global: boolean;
  readonly ExpirationTime: string | null;
}

/**
 * /v1/acl/policies and /v1/acl/policy/:name. A management token sees every policy; any other sees only the
 * policies linked to it (directly or through its roles): a list leaves the rest out, a read of another is a 403,
 * whether or not it exists. Writes and deletes need a management token. With ACLs off: NomadAclDisabledError.
 */
export class AclPoliciesApi {
  constructor(private readonly transport: Transport) {}

  list(options: ClusterReadOptions & { prefix?: string } = {}): Promise<ApiResponse<AclPolicyStub[]>> {
    return aclRequest(() =>
      this.transport.json<AclPolicyStub[]>(
        clusterReadRequest('/acl/policies', options, { prefix: options.prefix }),
      ),
    );
  }

  /** The policy; NomadObjectNotFoundError when there is none. */
  read(name: string, options: ClusterReadOptions = {}): Promise<ApiResponse<AclPolicy>> {
    return aboutObject('ACL policy', name, () =>
      this.transport.json<AclPolicy>(clusterReadRequest(`/acl/policy/${segment(name)}`, options)),
    );
  }

  /** The policy, or null when there is none. */
  async find(name: string, options: ClusterReadOptions = {}): Promise<ApiResponse<AclPolicy | null>> {
    return orNull(() => this.read(name, options));
  }

  /** Creates or replaces the policy; rules Nomad cannot parse are a NomadObjectRefusedError. */
  async write(policy: AclPolicySpec, options: ClusterWriteOptions = {}): Promise<WriteIndex> {
    const request = clusterWriteRequest('PUT', `/acl/policy/${segment(policy.Name)}`, options, policy);
    const { meta } = await aboutObject('ACL policy', policy.Name, () => this.transport.bytes(request));
    return { index: meta.index };
  }

  /** Deletes the policy (Nomad answers a missing one as deleted). Roles that link it keep the link. */
  async delete(name: string, options: ClusterWriteOptions = {}): Promise<WriteIndex> {
    const request = clusterWriteRequest('DELETE', `/acl/policy/${segment(name)}`, options);
    const { meta } = await aboutObject('ACL policy', name, () => this.transport.bytes(request));
    return { index: meta.index };
  }
}

/**
 * /v1/acl/roles, /v1/acl/role, /v1/acl/role/:id and /v1/acl/role/name/:name. Roles are named, but updated and
 * deleted by their ID. A management token sees every role; any other only those linked to it.
 */
export class AclRolesApi {
  constructor(private readonly transport: Transport) {}

  list(options: ClusterReadOptions & { prefix?: string } = {}): Promise<ApiResponse<AclRole[]>> {
    return aclRequest(() =>
      this.transport.json<AclRole[]>(clusterReadRequest('/acl/roles', options, { prefix: options.prefix })),
    );
  }

  /** The role by its ID; NomadObjectNotFoundError when there is none. */
  read(id: string, options: ClusterReadOptions = {}): Promise<ApiResponse<AclRole>> {
    return aboutObject('ACL role', id, () =>
      this.transport.json<AclRole>(clusterReadRequest(`/acl/role/${segment(id)}`, options)),
    );
  }

  /** The role by its name; NomadObjectNotFoundError when there is none. */
  readByName(name: string, options: ClusterReadOptions = {}): Promise<ApiResponse<AclRole>> {
    return aboutObject('ACL role', name, () =>
      this.transport.json<AclRole>(clusterReadRequest(`/acl/role/name/${segment(name)}`, options)),
    );
  }

  async find(id: string, options: ClusterReadOptions = {}): Promise<ApiResponse<AclRole | null>> {
    return orNull(() => this.read(id, options));
  }

  async findByName(name: string, options: ClusterReadOptions = {}): Promise<ApiResponse<AclRole | null>> {
    return orNull(() => this.readByName(name, options));
  }

  /** Creates the role (Nomad gives it its ID); refused when a role has the name or a policy is missing. */
  async create(role: AclRoleSpec, options: ClusterWriteOptions = {}): Promise<AclRole> {
    const request = clusterWriteRequest('PUT', '/acl/role', options, role);
    return (await aboutObject('ACL role', role.Name, () => this.transport.json<AclRole>(request))).body;
  }

  /** Replaces the role with this ID (its name may change); NomadObjectNotFoundError when there is none. */
  async update(id: string, role: AclRoleSpec, options: ClusterWriteOptions = {}): Promise<AclRole> {
    const request = clusterWriteRequest('PUT', `/acl/role/${segment(id)}`, options, { ...role, ID: id });
    try {
      return (await this.transport.json<AclRole>(request)).body;
    } catch (error) {
      const typed = objectError(error, 'ACL role', role.Name);
      // Nomad names the role it cannot find by the ID the request gave.
      throw typed instanceof NomadObjectNotFoundError ? objectError(error, 'ACL role', id) : typed;
    }
  }

  /** Deletes the role with this ID; NomadObjectNotFoundError when there is none. */
  async delete(id: string, options: ClusterWriteOptions = {}): Promise<WriteIndex> {
    const request = clusterWriteRequest('DELETE', `/acl/role/${segment(id)}`, options);
    const { meta } = await aboutObject('ACL role', id, () => this.transport.bytes(request));
    return { index: meta.index };
  }
}

/**
 * Whether Nomad answers this token every namespace, node pool, ACL policy, role and variable: a management token,
 * or any token where ACLs are off. Lists answered to any other token silently leave out what it may not read.
 */
export function seesEverything(token: AclTokenIdentity): boolean {
  return token.Type === 'management' || token.AccessorID === 'acls-disabled';
}

/** /v1/acl/token/self: whether the client's token is a management token, and what it is linked to. */
export class AclTokensApi {
  constructor(private readonly transport: Transport) {}

  async self(options: ClusterReadOptions = {}): Promise<AclTokenIdentity> {
    const { body } = await aclRequest(() =>
      this.transport.json<AclTokenIdentity & { SecretID?: string }>(
        clusterReadRequest('/acl/token/self', options),
      ),
    );
    return {
      AccessorID: body.AccessorID,
      Name: body.Name,
      Type: body.Type,
      Policies: body.Policies,
      Roles: body.Roles,
      Global: body.Global,
      ExpirationTime: body.ExpirationTime,
    };
  }
}
