/**
 * /v1/namespaces and /v1/namespace[/:name] as Nomad 2.0.5 answers them (command/agent/namespace_endpoint.go,
 * nomad/namespace_endpoint.go; recorded in test/fixtures/nomad-2.0.5/estate.json): open-source Nomad, so a node
 * pool, Vault or Consul configuration is refused as unlicensed and any quota as one that does not exist.
 */
import { multierror } from './canonicalize.js';
import { RpcError } from './context.js';
import { field, jsonBody, read, type Reply, type SimRequest } from './http.js';
import { isClientTerminal } from './objects.js';
import { jobStatus } from './job-operations.js';
import type { RouteDeps } from './routes-jobs.js';
import { namespaceRecord, type NamespaceFields } from './store.js';

const VALID_NAME = /^[a-zA-Z0-9-]{1,128}$/;

/** The namespace fields of a request body (Go's decoder matches keys whatever their case). */
function namespaceFields(body: Record<string, unknown>): NamespaceFields {
  const capabilities = field<Record<string, unknown> | null>(body, 'Capabilities');
  const list = (name: string) => (capabilities ? (field<string[]>(capabilities, name) ?? null) : null);
  return {
    Name: field<string>(body, 'Name') ?? '',
    Description: field<string>(body, 'Description'),
    Quota: field<string>(body, 'Quota'),
    Capabilities: capabilities
      ? {
          DisabledNetworkModes: list('DisabledNetworkModes'),
          DisabledTaskDrivers: list('DisabledTaskDrivers'),
          EnabledNetworkModes: list('EnabledNetworkModes'),
          EnabledTaskDrivers: list('EnabledTaskDrivers'),
        }
      : null,
    NodePoolConfiguration: field(body, 'NodePoolConfiguration'),
    VaultConfiguration: field(body, 'VaultConfiguration'),
    ConsulConfiguration: field(body, 'ConsulConfiguration'),
    Meta: field(body, 'Meta'),
    RequiredExtraClaims: field(body, 'RequiredExtraClaims'),
    OptionalExtraClaims: field(body, 'OptionalExtraClaims'),
  };
}

/** Namespace.Validate of the open-source build. */
function problems(ns: NamespaceFields): string[] {
  const found: string[] = [];
  if (!VALID_NAME.test(ns.Name))
    found.push(`invalid name "${ns.Name}". Must match regex ${VALID_NAME.source}`);
  if ((ns.Description ?? '').length > 256) found.push('description longer than 256');
  if (ns.NodePoolConfiguration)
    found.push('invalid node pool configuration: Node Pools Governance is unlicensed.');
  if (ns.VaultConfiguration) found.push('invalid vault configuration: Multi-Cluster Vault is unlicensed.');
  if (ns.ConsulConfiguration) found.push('invalid consul configuration: Multi-Cluster Consul is unlicensed.');
  return found;
}

export function routeNamespaces(deps: RouteDeps, req: SimRequest): Reply | undefined {
  const { acl, ctx } = deps;
  const { store } = ctx;
  const { method, path } = req;
  if (path === '/namespaces') {
    if (method !== 'GET') throw new RpcError(405, 'Invalid method');
    acl.authenticate(req.secret);
    const prefix = req.query.get('prefix') ?? '';
    return read(() => ({
      body: [...store.namespaces.values()]
        .filter((n) => n.Name.startsWith(prefix) && acl.allowsNamespace(req.secret, n.Name))
        .sort((a, b) => (a.Name < b.Name ? -1 : 1)),
      index: store.listIndex('namespaces'),
      watch: ['table:namespaces'],
    }));
  }
  if (path !== '/namespace' && !path.startsWith('/namespace/')) return undefined;
  const name = decodeURIComponent(path.slice('/namespace/'.length));
  if (path === '/namespace') {
    if (method !== 'PUT' && method !== 'POST') throw new RpcError(405, 'Invalid method');
  } else if (name === '') throw new RpcError(400, 'Missing Namespace Name');
  if (method === 'GET') {
    acl.authenticate(req.secret);
    if (!acl.allowsNamespace(req.secret, name)) throw new RpcError(403, 'Permission denied');
    return read(() => {
      const found = store.namespaces.get(name);
      return found
        ? { body: found, index: found.ModifyIndex, watch: [`namespace:${name}`] }
        : {
            body: null,
            index: store.listIndex('namespaces'),
            watch: [`namespace:${name}`],
            status: 404,
            errorText: 'Namespace not found',
          };
    });
  }
  if (method === 'PUT' || method === 'POST') return upsert(deps, req, name);
  if (method === 'DELETE') return remove(deps, req, name);
  throw new RpcError(405, 'Invalid method');
}

function upsert({ acl, ctx }: RouteDeps, req: SimRequest, pathName: string): Reply {
  const { store } = ctx;
  const fields = namespaceFields(jsonBody<Record<string, unknown>>(req));
  if (pathName !== '' && fields.Name !== pathName)
    throw new RpcError(400, 'Namespace name does not match request path');
  acl.authorize(req.secret, { management: true });
  const found = problems(fields);
  if (found.length > 0) throw new RpcError(500, `Invalid namespace "${fields.Name}": ${multierror(found)}`);
  // Open-source Nomad has no quota specifications, so every quota named is one that does not exist.
  if (fields.Quota)
    throw new RpcError(500, `namespace "${fields.Name}" using non-existent quota "${fields.Quota}"`);
  const index = store.write((index) => {
    store.namespaces.set(
      fields.Name,
      namespaceRecord(fields, index, store.namespaces.get(fields.Name)?.CreateIndex ?? index),
    );
    return { tables: ['namespaces'], keys: [`namespace:${fields.Name}`] };
  });
  return { kind: 'answer', status: 200, body: '', contentType: '', index };
}

function remove({ acl, ctx }: RouteDeps, req: SimRequest, name: string): Reply {
  const { store } = ctx;
  acl.authorize(req.secret, { management: true });
  if (name === 'default') throw new RpcError(500, 'can not delete default namespace');
  if (store.namespaces.has(name)) {
    const held: string[] = [];
    const records = [...store.jobs.values()].filter((r) => r.namespace === name);
    if (records.some((r) => jobStatus(ctx, r) !== 'dead')) held.push('non-terminal jobs in regions');
    if ([...store.allocs.values()].some((a) => a.Namespace === name && !isClientTerminal(a)))
      held.push('non-terminal allocations in regions');
    if ([...store.variables.values()].some((v) => v.Namespace === name))
      held.push('variables associated with it in regions');
    if (held.length > 0)
      throw new RpcError(
        500,
        multierror(held.map((what) => `namespace "${name}" has ${what}: [${ctx.region}]`)),
      );
  } else throw new RpcError(500, 'namespace not found');
  const index = store.write(() => {
    store.namespaces.delete(name);
    return { tables: ['namespaces'], keys: [`namespace:${name}`] };
  });
  return { kind: 'answer', status: 200, body: '', contentType: '', index };
}
