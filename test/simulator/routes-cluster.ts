/** Evaluations, deployments, allocations, agent/status and the event stream (reference §4–6, §8). */
import { randomUUID } from 'node:crypto';
import type { EventBatch } from '../../src/nomad/types.js';
import { FilterError, compileFilter } from './bexpr.js';
import { RpcError } from './context.js';
import { field, json, jsonBody, parseBool, read, type Reply, type SimRequest } from './http.js';
import { allocationJson, allocationStub, omitZero } from './objects.js';
import { namespaceOf, type RouteDeps } from './routes-jobs.js';

/** The simulated server's node ID, as its serf tags carry it. */
const SERVER_ID = randomUUID();

function filterOf(req: SimRequest): (item: unknown) => boolean {
  const text = req.query.get('filter');
  if (!text) return () => true;
  try {
    return compileFilter(text);
  } catch (error) {
    if (error instanceof FilterError)
      throw new RpcError(400, `failed to read filter expression: ${error.message}`);
    throw error;
  }
}

const inNamespace = (req: SimRequest, namespace: string | undefined) => {
  const wanted = namespaceOf(req);
  return wanted === '*' || wanted === (namespace ?? 'default');
};

export function routeCluster(deps: RouteDeps, req: SimRequest): Reply | undefined {
  const { ctx, acl, scheduler } = deps;
  const { store } = ctx;
  const { method, path } = req;
  const ns = namespaceOf(req);
  const readJob = (namespace = ns) => acl.authorize(req.secret, { namespace, capabilities: ['read-job'] });
  const submit = (namespace: string, fine: string) =>
    acl.authorize(req.secret, { namespace, capabilities: [fine, 'submit-job'] });
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);

  if (path === '/evaluations' && method === 'GET') {
    readJob();
    const filter = filterOf(req);
    const { job, status, prefix } = {
      job: req.query.get('job'),
      status: req.query.get('status'),
      prefix: req.query.get('prefix') ?? '',
    };
    return read(() => ({
      body: [...store.evals.values()]
        .filter(
          (e) =>
            inNamespace(req, e.Namespace) &&
            (!job || e.JobID === job) &&
            (!status || e.Status === status) &&
            e.ID.startsWith(prefix),
        )
        .map((e) => omitZero(e))
        .filter(filter),
      index: store.table('evals'),
      watch: ['table:evals'],
    }));
  }
  if (segments[0] === 'evaluation' && segments[1] && method === 'GET') {
    const id = segments[1];
    if (segments[2] === 'allocations') {
      readJob(store.evals.get(id)?.Namespace);
      return read(() => ({
        body: [...store.allocs.values()].filter((a) => a.EvalID === id).map(allocationStub),
        index: store.table('allocs'),
        watch: [`eval-allocs:${id}`],
      }));
    }
    readJob(store.evals.get(id)?.Namespace ?? ns);
    const related = parseBool(req.query.get('related'), 'related');
    return read(() => {
      const evaluation = store.evals.get(id);
      if (!evaluation)
        return {
          body: null,
          index: store.table('evals'),
          watch: ['table:evals'],
          status: 404,
          errorText: 'eval not found',
        };
      const body: Record<string, unknown> = { ...omitZero(evaluation) };
      if (related)
        body.RelatedEvals = store
          .evalsOfJob(evaluation.Namespace ?? 'default', evaluation.JobID ?? '')
          .filter((e) => e.ID !== id)
          .map((e) => ({
            ID: e.ID,
            Namespace: e.Namespace,
            Priority: e.Priority,
            Type: e.Type,
            TriggeredBy: e.TriggeredBy,
            JobID: e.JobID,
            NodeID: '',
            DeploymentID: e.DeploymentID ?? '',
            Status: e.Status,
            StatusDescription: e.StatusDescription ?? '',
            WaitUntil: null,
            NextEval: e.NextEval ?? '',
            PreviousEval: e.PreviousEval ?? '',
            BlockedEval: e.BlockedEval ?? '',
            CreateIndex: e.CreateIndex,
            ModifyIndex: e.ModifyIndex,
            CreateTime: e.CreateTime,
            ModifyTime: e.ModifyTime,
          }));
      return { body, index: evaluation.ModifyIndex ?? 0, watch: [`eval:${id}`] };
    });
  }

  if (path === '/deployments' && method === 'GET') {
    readJob();
    const filter = filterOf(req);
    const prefix = req.query.get('prefix') ?? '';
    return read(() => ({
      body: [...store.deployments.values()]
        .filter((d) => inNamespace(req, d.Namespace) && d.ID.startsWith(prefix))
        .filter(filter),
      index: store.table('deployment'),
      watch: ['table:deployment'],
    }));
  }
  if (segments[0] === 'deployment' && segments.length >= 2) {
    const action = segments.length === 3 ? segments[1] : undefined;
    const id = segments[segments.length - 1]!;
    const deployment = store.deployments.get(id);
    if (action === 'allocations' && method === 'GET') {
      readJob(deployment?.Namespace);
      return read(() => ({
        body: [...store.allocs.values()].filter((a) => a.DeploymentID === id).map(allocationStub),
        index: store.table('allocs'),
        watch: [`deployment-allocs:${id}`],
      }));
    }
    if (action === undefined && method === 'GET') {
      readJob(deployment?.Namespace ?? ns);
      return read(() => {
        const current = store.deployments.get(id);
        if (!current)
          return {
            body: null,
            index: store.table('deployment'),
            watch: ['table:deployment'],
            status: 404,
            errorText: 'deployment not found',
          };
        return { body: current, index: current.ModifyIndex, watch: [`deployment:${id}`] };
      });
    }
    if (action && ['promote', 'fail', 'pause'].includes(action) && (method === 'PUT' || method === 'POST')) {
      submit(deployment?.Namespace ?? ns, `${action}-deployment`);
      const body =
        action === 'fail'
          ? jsonBody<Record<string, unknown>>(req, { allowEmpty: true })
          : jsonBody<Record<string, unknown>>(req);
      if (action !== 'fail' || Object.keys(body).length > 0) {
        const bodyId = field<string>(body, 'DeploymentID');
        if (!bodyId) throw new RpcError(400, 'DeploymentID must be specified');
        if (bodyId !== id) throw new RpcError(400, 'Deployment ID does not match');
      }
      if (action === 'promote') {
        const groups = field<boolean>(body, 'All')
          ? undefined
          : (field<string[]>(body, 'Groups') ?? undefined);
        return json(scheduler.promote(id, groups));
      }
      if (action === 'fail') return json(scheduler.fail(id, 'Deployment marked as failed'));
      return json(scheduler.pause(id, field<boolean>(body, 'Pause') === true));
    }
  }

  if (path === '/allocations' && method === 'GET') {
    readJob();
    const filter = filterOf(req);
    const prefix = req.query.get('prefix') ?? '';
    const taskStates = parseBool(req.query.get('task_states'), 'task_states', true);
    return read(() => ({
      body: [...store.allocs.values()]
        .filter((a) => inNamespace(req, a.Namespace) && a.ID.startsWith(prefix))
        .map(allocationStub)
        .map((stub) => (taskStates ? stub : { ...stub, TaskStates: null }))
        .filter(filter),
      index: store.table('allocs'),
      watch: ['table:allocs'],
    }));
  }
  if (segments[0] === 'allocation' && segments[1]) {
    const id = segments[1];
    const alloc = store.allocs.get(id);
    if (segments.length === 2 && method === 'GET') {
      readJob(alloc?.Namespace ?? ns);
      return read(() => {
        const current = store.allocs.get(id);
        if (!current)
          return {
            body: null,
            index: store.table('allocs'),
            watch: ['table:allocs'],
            status: 404,
            errorText: 'alloc not found',
          };
        return { body: allocationJson(current), index: current.ModifyIndex ?? 0, watch: [`alloc:${id}`] };
      });
    }
    if (segments[2] === 'stop' && (method === 'PUT' || method === 'POST')) {
      acl.authorize(req.secret, { namespace: alloc?.Namespace ?? ns, capabilities: ['alloc-lifecycle'] });
      if (!alloc) throw new RpcError(404, 'allocation not found');
      return json(scheduler.stopAllocation(alloc));
    }
    throw new RpcError(404, 'resource not found');
  }

  if (path === '/agent/self' && method === 'GET') {
    return json({
      config: {
        Region: ctx.region,
        Datacenter: ctx.datacenter,
        NodeName: 'nomad-sim',
        Version: {
          Revision: 'simulator',
          Version: '2.0.5',
          VersionPrerelease: '',
          VersionMetadata: '',
          BuildDate: null,
        },
        ACL: { Enabled: acl.enabled },
      },
      member: {
        Name: `nomad-sim.${ctx.region}`,
        Addr: '127.0.0.1',
        Port: 4648,
        Status: 'alive',
        Tags: {
          region: ctx.region,
          dc: ctx.datacenter,
          role: 'nomad',
          build: '2.0.5',
          revision: '',
          vsn: '1',
          raft_vsn: '3',
          id: SERVER_ID,
          port: '4647',
          rpc_addr: '127.0.0.1',
          bootstrap: '1',
          expect: '1',
        },
      },
      stats: { nomad: { leader: 'true', server: 'true', known_regions: '1' } },
    });
  }
  if (path === '/status/leader' && method === 'GET') return json('127.0.0.1:4647');
  if (path === '/regions' && method === 'GET') return json([ctx.region]);

  if (path === '/event/stream' && method === 'GET') return eventStream(deps, req);
  return undefined;
}

const JOB_TOPICS = new Set(['Job', 'Allocation', 'Evaluation', 'Deployment', 'Service', 'CSIPlugin']);

function eventStream(deps: RouteDeps, req: SimRequest): Reply {
  const { ctx } = deps;
  const namespace = namespaceOf(req);
  const topics = new Map<string, string[]>();
  for (const value of req.query.getAll('topic')) {
    const parts = value.split(':');
    if (parts.length > 2)
      throw new RpcError(
        400,
        `Invalid topic query: error parsing topics: Invalid key value pair for topic, topic: ${value}`,
      );
    const [topic, key = '*'] = parts as [string, string?];
    topics.set(topic!, [...(topics.get(topic!) ?? []), key]);
  }
  const indexText = req.query.get('index') ?? '0';
  if (!/^\d+$/.test(indexText))
    throw new RpcError(400, `Unable to parse index: strconv.Atoi: parsing "${indexText}": invalid syntax`);
  const fromIndex = Number(indexText);
  // Nomad 2.0.5 writes 200 and its headers before the server checks the token or finds its event broker; a
  // refusal then reaches no one, and the connection stays open with nothing on it.
  if (!streamAllowed(deps, req, namespace, topics) || !deps.eventBroker.enabled) return silentStream();
  const matches = (event: EventBatch['Events'][number]) => {
    if (namespace !== '*' && event.Namespace !== '' && event.Namespace !== namespace) return false;
    const keys = topics.size === 0 ? ['*'] : [...(topics.get(event.Topic) ?? []), ...(topics.get('*') ?? [])];
    return keys.some((k) => k === '*' || k === event.Key || (event.FilterKeys ?? []).includes(k));
  };
  return {
    kind: 'stream',
    start: (res, signal) => {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-cache');
      const sendBatch = (batch: EventBatch) => {
        const events = batch.Events.filter(matches);
        if (events.length > 0) res.write(`${JSON.stringify({ Index: batch.Index, Events: events })}\n`);
      };
      res.write('{}\n');
      for (const batch of ctx.store.eventLog) if (batch.Index >= fromIndex) sendBatch(batch);
      const unsubscribe = ctx.store.onEvents(sendBatch);
      const heartbeat = setInterval(() => res.write('{}\n'), deps.heartbeats.eventsMs);
      const end = () => {
        unsubscribe();
        clearInterval(heartbeat);
        deps.eventBroker.openStreams.delete(end);
        res.destroy();
      };
      deps.eventBroker.openStreams.add(end);
      signal.addEventListener('abort', end);
    },
  };
}

/** Nomad's validateNsOp: every namespace asked for (all of them for "*") needs the topic's capability. */
function streamAllowed(
  { acl, ctx }: RouteDeps,
  req: SimRequest,
  namespace: string,
  topics: ReadonlyMap<string, string[]>,
): boolean {
  const namespaces = namespace === '*' ? [...ctx.store.namespaces.keys()] : [namespace];
  if (topics.size === 0 || topics.has('*')) return acl.allows(req.secret, { management: true });
  return [...topics.keys()].every((topic) =>
    JOB_TOPICS.has(topic)
      ? namespaces.every((ns) => acl.allows(req.secret, { namespace: ns, capabilities: ['read-job'] }))
      : topic === 'Node'
        ? acl.allows(req.secret, { node: 'read' })
        : acl.allows(req.secret, { management: true }),
  );
}

/** 200 with the stream's headers, then nothing until the client gives up. */
function silentStream(): Reply {
  return {
    kind: 'stream',
    start: (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
      res.flushHeaders();
    },
  };
}
