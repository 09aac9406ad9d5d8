/**
 * /v1/acl/policies, /v1/acl/policy/:name, /v1/acl/roles, /v1/acl/role[/:id|/name/:name], /v1/acl/token and
 * /v1/acl/token/self as Nomad 2.0.5 answers them (command/agent/acl_endpoint.go, nomad/acl_endpoint.go; recorded in
 * test/fixtures/nomad-2.0.5/estate.json). A management token sees and writes everything; any other token sees the
 * policies and roles linked to it (lists leave the rest out, reads of them are 403) and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Token } from './acl.js';
import { multierror } from './canonicalize.js';
import { RpcError } from './context.js';
import { field, jsonBody, read, sortKeys, type Reply, type SimRequest } from './http.js';
import { RulesError, parseRules } from './policy-rules.js';
import type { RouteDeps } from './routes-jobs.js';
import { digest, type SimAclPolicy, type SimAclRole } from './store.js';

const VALID_NAME = /^[a-zA-Z0-9-]{1,128}$/;

const policyStub = (p: SimAclPolicy) => ({
  CreateIndex: p.CreateIndex,
  Description: p.Description,
  Hash: p.Hash,
  JobACL: p.JobACL,
  ModifyIndex: p.ModifyIndex,
  Name: p.Name,
});

/** GetPolicy adds the rules as parsed (leniently: a stored policy always parses). */
const policyJson = (p: SimAclPolicy) => ({
  ...policyStub(p),
  Rules: p.Rules,
  RulesJSON: sortKeys(parseRules(p.Rules)),
});

const roleJson = (r: SimAclRole) => ({
  CreateIndex: r.CreateIndex,
  Description: r.Description,
  Hash: r.Hash,
  ID: r.ID,
  ModifyIndex: r.ModifyIndex,
  Name: r.Name,
  Policies: r.Policies,
});

/** ACLToken's own JSON (its MarshalJSON, not sorted). */
export function tokenJson(token: Token) {
  return {
    ExpirationTTL: '',
    AccessorID: token.AccessorID,
    SecretID: token.SecretID,
    Name: token.Name,
    Type: token.Type,
    Policies: token.Policies,
    Roles: token.Roles,
    Global: token.Global,
    Hash: token.Hash,
    CreateTime: token.CreateTime,
    ExpirationTime: null,
    CreateIndex: token.CreateIndex,
    ModifyIndex: token.ModifyIndex,
  };
}

const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

const writeAnswer = (index: number): Reply => ({
  kind: 'answer',
  status: 200,
  body: '',
  contentType: '',
  index,
});

export function routeAcl(deps: RouteDeps, req: SimRequest): Reply | undefined {
  const { path } = req;
  if (!path.startsWith('/acl/')) return undefined;
  if (path === '/acl/token/self') return tokenSelf(deps, req);
  if (path === '/acl/token') return createToken(deps, req);
  if (path === '/acl/policies' || path.startsWith('/acl/policy/')) {
    if (!deps.acl.enabled) throw new RpcError(400, 'ACL support disabled');
    return policies(deps, req);
  }
  if (path === '/acl/roles' || path === '/acl/role' || path.startsWith('/acl/role/')) {
    if (!deps.acl.enabled) throw new RpcError(400, 'ACL support disabled');
    return roles(deps, req);
  }
  return undefined;
}

function policies({ acl, ctx }: RouteDeps, req: SimRequest): Reply {
  const { store } = ctx;
  const { method, path } = req;
  if (path === '/acl/policies') {
    if (method !== 'GET') throw new RpcError(405, 'Invalid method');
    acl.authenticate(req.secret);
    const prefix = req.query.get('prefix') ?? '';
    const linked = acl.linkedPolicies(req.secret);
    return read(() => ({
      body: [...store.aclPolicies.values()]
        .filter((p) => p.Name.startsWith(prefix) && linked(p.Name))
        .sort((a, b) => (a.Name < b.Name ? -1 : 1))
        .map(policyStub),
      index: store.listIndex('acl_policy'),
      watch: ['table:acl_policy'],
    }));
  }
  const name = decodeURIComponent(path.slice('/acl/policy/'.length));
  if (name === '') throw new RpcError(400, 'Missing Policy Name');
  if (method === 'GET') {
    acl.authenticate(req.secret);
    if (name !== 'anonymous' && !acl.linkedPolicies(req.secret)(name))
      throw new RpcError(403, 'Permission denied');
    return read(() => {
      const found = store.aclPolicies.get(name);
      return found
        ? { body: policyJson(found), index: found.ModifyIndex, watch: [`acl-policy:${name}`] }
        : {
            body: null,
            index: store.table('acl_policy'),
            watch: [`acl-policy:${name}`],
            status: 404,
            errorText: 'ACL policy not found',
          };
    });
  }
  if (method === 'PUT' || method === 'POST') {
    const body = jsonBody<Record<string, unknown>>(req);
    const policy = {
      Name: field<string>(body, 'Name') ?? '',
      Description: field<string>(body, 'Description') ?? '',
      Rules: field<string>(body, 'Rules') ?? '',
      JobACL: field<Record<string, string> | null>(body, 'JobACL') ?? null,
    };
    if (policy.Name !== name) throw new RpcError(400, 'ACL policy name does not match request path');
    acl.authorize(req.secret, { management: true });
    const problems: string[] = [];
    if (!VALID_NAME.test(policy.Name)) problems.push(`invalid name '${policy.Name}'`);
    try {
      parseRules(policy.Rules);
    } catch (error) {
      if (!(error instanceof RulesError)) throw error;
      problems.push(`failed to parse rules: ${error.message}`);
    }
    if (policy.Description.length > 256) problems.push('description longer than 256');
    const jobAcl = policy.JobACL
      ? {
          Group: field<string>(policy.JobACL, 'Group') ?? '',
          JobID: field<string>(policy.JobACL, 'JobID') ?? '',
          Namespace: field<string>(policy.JobACL, 'Namespace') ?? '',
          Task: field<string>(policy.JobACL, 'Task') ?? '',
        }
      : null;
    if (jobAcl?.JobID && !jobAcl.Namespace) problems.push('namespace must be set to set job ID');
    if (jobAcl?.Group && !jobAcl.JobID) problems.push('job ID must be set to set group');
    if (jobAcl?.Task && !jobAcl.Group) problems.push('group must be set to set task');
    if (problems.length > 0) throw new RpcError(400, `policy 0 invalid: ${multierror(problems)}`);
    const index = store.write((index) => {
      store.aclPolicies.set(name, {
        ...policy,
        JobACL: jobAcl,
        Hash: digest(policy.Name, policy.Description, policy.Rules, jobAcl),
        CreateIndex: store.aclPolicies.get(name)?.CreateIndex ?? index,
        ModifyIndex: index,
      });
      return { tables: ['acl_policy'], keys: [`acl-policy:${name}`] };
    });
    return writeAnswer(index);
  }
  if (method === 'DELETE') {
    acl.authorize(req.secret, { management: true });
    // Nomad deletes a policy that is not there without complaint; roles keep linking a deleted policy by name.
    const index = store.write(() => {
      store.aclPolicies.delete(name);
      return { tables: ['acl_policy'], keys: [`acl-policy:${name}`] };
    });
    return writeAnswer(index);
  }
  throw new RpcError(405, 'Invalid method');
}

function roles(deps: RouteDeps, req: SimRequest): Reply {
  const { acl, ctx } = deps;
  const { store } = ctx;
  const { method, path } = req;
  if (path === '/acl/roles') {
    if (method !== 'GET') throw new RpcError(405, 'Invalid method');
    acl.authenticate(req.secret);
    const prefix = req.query.get('prefix') ?? '';
    const linked = acl.linkedRoles(req.secret);
    return read(() => ({
      body: [...store.aclRoles.values()]
        .filter((r) => r.ID.startsWith(prefix) && linked(r))
        .sort((a, b) => (a.ID < b.ID ? -1 : 1))
        .map(roleJson),
      index: store.listIndex('acl_roles'),
      watch: ['table:acl_roles'],
    }));
  }
  if (path === '/acl/role') {
    if (method !== 'PUT' && method !== 'POST') throw new RpcError(405, 'Invalid method');
    return upsertRole(deps, req, '');
  }
  const parts = path.slice('/acl/role/'.length).split('/').map(decodeURIComponent);
  if (parts.length === 1) {
    if (parts[0] === '') throw new RpcError(400, 'missing ACL role ID');
    const id = parts[0]!;
    if (method === 'GET') return readRole(deps, req, (r) => r.ID === id);
    if (method === 'PUT' || method === 'POST') return upsertRole(deps, req, id);
    if (method === 'DELETE') {
      acl.authorize(req.secret, { management: true });
      if (!store.aclRoles.has(id)) throw new RpcError(500, 'ACL role not found');
      const index = store.write(() => {
        store.aclRoles.delete(id);
        return { tables: ['acl_roles'], keys: [`acl-role:${id}`] };
      });
      return writeAnswer(index);
    }
    throw new RpcError(405, 'Invalid method');
  }
  if (parts.length === 2) {
    if (method !== 'GET') throw new RpcError(405, 'Invalid method');
    if (parts[0] !== 'name') throw new RpcError(400, 'invalid URI');
    if (parts[1] === '') throw new RpcError(400, 'missing ACL role name');
    return readRole(deps, req, (r) => r.Name === parts[1]);
  }
  throw new RpcError(400, 'invalid URI');
}

/** GetRoleByID and GetRoleByName: management, or a token linked to the role. */
function readRole(
  { acl, ctx }: RouteDeps,
  req: SimRequest,
  which: (role: { readonly ID: string; readonly Name: string }) => boolean,
): Reply {
  acl.authenticate(req.secret);
  const links = acl.token(req.secret)?.Roles ?? [];
  if (!acl.isManagement(req.secret) && !links.some(which)) throw new RpcError(403, 'Permission denied');
  return read(() => {
    const found = [...ctx.store.aclRoles.values()].find(which);
    return found
      ? {
          body: roleJson(found),
          index: found.ModifyIndex,
          watch: [`acl-role:${found.ID}`, 'table:acl_roles'],
        }
      : {
          body: null,
          index: ctx.store.table('acl_roles'),
          watch: ['table:acl_roles'],
          status: 404,
          errorText: 'ACL role not found',
        };
  });
}

/** UpsertRoles: a role without an ID is created (its name must be free), one with an ID must exist. */
function upsertRole({ acl, ctx }: RouteDeps, req: SimRequest, pathId: string): Reply {
  const { store } = ctx;
  const body = jsonBody<Record<string, unknown>>(req);
  const id = field<string>(body, 'ID') ?? '';
  if (pathId !== '' && pathId !== id) throw new RpcError(400, 'ACL role ID does not match request path');
  acl.authorize(req.secret, { management: true });
  const name = field<string>(body, 'Name') ?? '';
  const description = field<string>(body, 'Description') ?? '';
  const links = (field<Array<Record<string, unknown>>>(body, 'Policies') ?? []).map((p) => ({
    Name: field<string>(p, 'Name') ?? '',
  }));
  const problems: string[] = [];
  if (!VALID_NAME.test(name)) problems.push(`invalid name '${name}'`);
  if (description.length > 256) problems.push('description longer than 256');
  if (links.length < 1) problems.push('at least one policy should be specified');
  if (problems.length > 0) throw new RpcError(400, `role 0 invalid: ${multierror(problems)}`);
  const existing = id === '' ? undefined : store.aclRoles.get(id);
  if (id === '' && [...store.aclRoles.values()].some((r) => r.Name === name))
    throw new RpcError(400, `role with name ${name} already exists`);
  if (id !== '' && !existing) throw new RpcError(400, `cannot find role ${id}`);
  const policies: Array<{ Name: string }> = [];
  for (const link of links) {
    if (!store.aclPolicies.has(link.Name)) throw new RpcError(400, `cannot find policy ${link.Name}`);
    if (!policies.some((p) => p.Name === link.Name)) policies.push(link);
  }
  const roleId = id || randomUUID();
  let written!: SimAclRole;
  store.write((index) => {
    written = {
      ID: roleId,
      Name: name,
      Description: description,
      Policies: policies,
      Hash: digest(name, description, policies),
      CreateIndex: existing?.CreateIndex ?? index,
      ModifyIndex: index,
    };
    store.aclRoles.set(roleId, written);
    return { tables: ['acl_roles'], keys: [`acl-role:${roleId}`] };
  });
  return { kind: 'json', body: roleJson(written), index: written.ModifyIndex };
}

/** UpsertTokens, for making tokens the way an operator does: a management token, policies and roles by name or ID. */
function createToken({ acl, ctx }: RouteDeps, req: SimRequest): Reply {
  if (req.method !== 'PUT' && req.method !== 'POST') throw new RpcError(405, 'Invalid method');
  if (!acl.enabled) throw new RpcError(400, 'ACL support disabled');
  acl.authorize(req.secret, { management: true });
  const body = jsonBody<Record<string, unknown>>(req);
  const type = field<string>(body, 'Type') === 'management' ? 'management' : 'client';
  const roles = (field<Array<Record<string, unknown>>>(body, 'Roles') ?? []).map((link) => {
    const id = field<string>(link, 'ID');
    const name = field<string>(link, 'Name');
    const role = [...ctx.store.aclRoles.values()].find((r) => r.ID === id || r.Name === name);
    if (!role) throw new RpcError(400, `cannot find role ${id ?? name}`);
    return { ID: role.ID, Name: role.Name };
  });
  let token!: Token;
  ctx.store.write((index) => {
    token = acl.addToken({
      Name: field<string>(body, 'Name') ?? '',
      Type: type,
      Policies: type === 'management' ? null : (field<string[]>(body, 'Policies') ?? []),
      Roles: roles.length > 0 ? roles : null,
      Global: field<boolean>(body, 'Global') ?? false,
      Hash: digest(randomUUID()),
      CreateTime: new Date(ctx.clock.now()).toISOString(),
      CreateIndex: index,
      ModifyIndex: index,
    });
    return { tables: ['acl_token'] };
  });
  return { kind: 'json', body: tokenJson(token), index: token.ModifyIndex };
}

/** WhoAmI: the caller's token; the anonymous token without one; a stand-in token when ACLs are off. */
function tokenSelf({ acl }: RouteDeps, req: SimRequest): Reply {
  if (req.method !== 'GET') throw new RpcError(405, 'Invalid method');
  const pseudo = (accessor: string, name: string, policies: string[] | null) => ({
    kind: 'json' as const,
    index: 0,
    body: tokenJson({
      AccessorID: accessor,
      SecretID: '',
      Name: name,
      Type: 'client',
      Policies: policies,
      Roles: null,
      Global: false,
      Hash: null,
      CreateTime: GO_ZERO_TIME,
      CreateIndex: 0,
      ModifyIndex: 0,
    }),
  });
  if (!acl.enabled) return pseudo('acls-disabled', 'ACLs disabled token', null);
  const token = acl.token(req.secret);
  if (token === null) throw new RpcError(403, 'Permission denied');
  if (!token) return pseudo('anonymous', 'Anonymous Token', ['anonymous']);
  return { kind: 'json', body: tokenJson(token), index: token.ModifyIndex };
}
