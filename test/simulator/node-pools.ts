/**
 * /v1/node/pools and /v1/node/pool/:name[/jobs|/nodes] as Nomad 2.0.5 answers them
 * (command/agent/node_pool_endpoint.go, nomad/node_pool_endpoint.go, nomad/state/state_store_node_pools.go;
 * recorded in test/fixtures/nomad-2.0.5/estate.json). Open-source Nomad: scheduler settings are unlicensed. The
 * built-in pools "all" and "default" are there from the start and can be neither changed nor deleted.
 */
import { multierror } from './canonicalize.js';
import { RpcError } from './context.js';
import { field, jsonBody, parseGoDurationMs, read, type Reply, type SimRequest } from './http.js';
import { jobStatus } from './job-operations.js';
import type { RouteDeps } from './routes-jobs.js';
import { nodePoolRecord, type NodePoolFields } from './store.js';

const VALID_NAME = /^[a-zA-Z0-9-_]{1,128}$/;
const BUILT_IN = new Set(['all', 'default']);

/** NodePool.UnmarshalJSON: NodeIdentityTTL as a Go duration string or a number of nanoseconds. */
function poolFields(body: Record<string, unknown>): NodePoolFields {
  const ttl = field<string | number>(body, 'NodeIdentityTTL');
  let nanoseconds = 0;
  if (typeof ttl === 'number') nanoseconds = ttl;
  else if (typeof ttl === 'string' && ttl !== '') {
    const ms = parseGoDurationMs(ttl);
    if (ms === undefined) throw new RpcError(400, `time: invalid duration "${ttl}"`);
    nanoseconds = ms * 1_000_000;
  }
  return {
    Name: field<string>(body, 'Name') ?? '',
    Description: field<string>(body, 'Description'),
    Meta: field(body, 'Meta'),
    NodeIdentityTTL: nanoseconds,
    SchedulerConfiguration: field(body, 'SchedulerConfiguration'),
  };
}

export function routeNodePools(deps: RouteDeps, req: SimRequest): Reply | undefined {
  const { acl, ctx } = deps;
  const { store } = ctx;
  const { method, path } = req;
  if (path === '/node/pools') {
    if (method === 'PUT' || method === 'POST') return upsert(deps, req, '');
    if (method !== 'GET') throw new RpcError(405, 'Invalid method');
    acl.authenticate(req.secret);
    const prefix = req.query.get('prefix') ?? '';
    return read(() => ({
      body: [...store.nodePools.values()]
        .filter((p) => p.Name.startsWith(prefix) && acl.allowsNodePool(req.secret, p.Name, 'read'))
        .sort((a, b) => (a.Name < b.Name ? -1 : 1)),
      index: store.listIndex('node_pools'),
      watch: ['table:node_pools'],
    }));
  }
  if (!path.startsWith('/node/pool/')) return undefined;
  const rest = decodeURIComponent(path.slice('/node/pool/'.length));
  if (rest.endsWith('/jobs') || rest.endsWith('/nodes')) {
    if (method !== 'GET') throw new RpcError(405, 'Invalid method');
    if (req.query.get('prefix')) throw new RpcError(400, 'prefix argument not allowed');
    const name = rest.slice(0, rest.lastIndexOf('/'));
    acl.authenticate(req.secret);
    if (!acl.allowsNodePool(req.secret, name, 'read')) throw new RpcError(403, 'Permission denied');
    return rest.endsWith('/jobs') ? jobsOf(deps, req, name) : nodesOf(deps, name);
  }
  const name = rest;
  if (method === 'GET') {
    acl.authenticate(req.secret);
    if (!acl.allowsNodePool(req.secret, name, 'read')) throw new RpcError(403, 'Permission denied');
    return read(() => {
      const found = store.nodePools.get(name);
      return found
        ? { body: found, index: found.ModifyIndex, watch: [`node-pool:${name}`] }
        : {
            body: null,
            index: store.listIndex('node_pools'),
            watch: [`node-pool:${name}`],
            status: 404,
            errorText: 'node pool not found',
          };
    });
  }
  if (method === 'PUT' || method === 'POST') return upsert(deps, req, name);
  if (method === 'DELETE') return remove(deps, req, name);
  throw new RpcError(405, 'Invalid method');
}

function upsert({ acl, ctx }: RouteDeps, req: SimRequest, pathName: string): Reply {
  const { store } = ctx;
  const fields = poolFields(jsonBody<Record<string, unknown>>(req));
  if (pathName !== '' && fields.Name !== pathName)
    throw new RpcError(400, 'Node pool name does not match request path');
  if (!acl.allowsNodePool(req.secret, fields.Name, 'write')) throw new RpcError(403, 'Permission denied');
  if (fields.SchedulerConfiguration) throw new RpcError(500, 'Feature "Node Pools Governance" is unlicensed');
  const problems: string[] = [];
  if (!VALID_NAME.test(fields.Name))
    problems.push(`invalid name "${fields.Name}", must match regex ${VALID_NAME.source}`);
  if ((fields.Description ?? '').length > 256) problems.push('description longer than 256');
  if (problems.length > 0)
    throw new RpcError(400, `invalid node pool "${fields.Name}": ${multierror(problems)}`);
  if (BUILT_IN.has(fields.Name))
    throw new RpcError(400, `modifying node pool "${fields.Name}" is not allowed`);
  const index = store.write((index) => {
    store.nodePools.set(
      fields.Name,
      nodePoolRecord(fields, index, store.nodePools.get(fields.Name)?.CreateIndex ?? index),
    );
    return { tables: ['node_pools'], keys: [`node-pool:${fields.Name}`] };
  });
  return { kind: 'answer', status: 200, body: '', contentType: '', index };
}

/** DeleteNodePools: in use (nodes, jobs that are not dead) first, then the state store's own refusals. */
function remove({ acl, ctx }: RouteDeps, req: SimRequest, name: string): Reply {
  const { store } = ctx;
  if (!acl.allowsNodePool(req.secret, name, 'delete')) throw new RpcError(403, 'Permission denied');
  if (name === '') throw new RpcError(400, 'node pool name is empty');
  const held: string[] = [];
  if (
    [...store.jobs.values()].some(
      (r) => (r.job.NodePool ?? 'default') === name && jobStatus(ctx, r) !== 'dead',
    )
  )
    held.push(`node pool "${name}" has non-terminal jobs in regions: [${ctx.region}]`);
  if (store.nodes.some((n) => n.NodePool === name))
    held.push(`node pool "${name}" has nodes in regions: [${ctx.region}]`);
  if (held.length > 0) throw new RpcError(500, multierror(held));
  if (!store.nodePools.has(name)) throw new RpcError(500, `node pool ${name} not found`);
  if (BUILT_IN.has(name)) throw new RpcError(500, `deleting node pool "${name}" is not allowed`);
  const index = store.write(() => {
    store.nodePools.delete(name);
    return { tables: ['node_pools'], keys: [`node-pool:${name}`] };
  });
  return { kind: 'answer', status: 200, body: '', contentType: '', index };
}

/** The pool's jobs as /v1/jobs stubs (their namespace, or every readable one with "*"); none for a missing pool. */
function jobsOf({ acl, ctx }: RouteDeps, req: SimRequest, name: string): Reply {
  const namespace = req.query.get('namespace') || 'default';
  return read(() => ({
    body: ctx.store.nodePools.has(name)
      ? [...ctx.store.jobs.values()]
          .filter(
            (r) =>
              (r.job.NodePool ?? 'default') === name &&
              (namespace === '*' || r.namespace === namespace) &&
              acl.allows(req.secret, { namespace: r.namespace, capabilities: ['list-jobs'] }),
          )
          .map((r) => ({
            ID: r.id,
            Name: r.job.Name,
            Namespace: r.namespace,
            NodePool: name,
            Type: r.job.Type,
            Status: jobStatus(ctx, r),
            CreateIndex: r.job.CreateIndex,
            ModifyIndex: r.job.ModifyIndex,
            JobModifyIndex: r.job.JobModifyIndex,
          }))
      : [],
    index: Math.max(ctx.store.table('jobs'), ctx.store.table('node_pools')),
    watch: ['table:jobs', 'table:node_pools'],
  }));
}

function nodesOf({ ctx }: RouteDeps, name: string): Reply {
  return read(() => ({
    body: ctx.store.nodes
      .filter((n) => name === 'all' || n.NodePool === name)
      .map((n) => ({
        ID: n.ID,
        Name: n.Name,
        Datacenter: n.Datacenter,
        NodePool: n.NodePool,
        Status: 'ready',
      })),
    index: ctx.store.table('nodes'),
    watch: ['table:nodes'],
  }));
}
