/** /v1/client/...: allocation files and logs with Nomad's frames, stats, node metadata, GC (reference §7). */
import type { ServerResponse } from 'node:http';
import type { Allocation } from '../../src/nomad/types.js';
import { RpcError } from './context.js';
import { field, json, jsonBody, parseBool, type Reply, type SimRequest } from './http.js';
import { isClientTerminal } from './objects.js';
import { namespaceOf, type RouteDeps } from './routes-jobs.js';

const FRAME_MAX = 64 * 1024;

export function routeClient(deps: RouteDeps, req: SimRequest): Reply | undefined {
  const { ctx, acl, scheduler } = deps;
  const { store } = ctx;
  const { method, path } = req;
  if (!path.startsWith('/client/')) return undefined;
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);

  if (segments[1] === 'fs') {
    const action = segments[2];
    if (!['ls', 'stat', 'cat', 'readat', 'stream', 'logs'].includes(action ?? ''))
      throw new RpcError(404, 'Invalid method');
    const allocId = segments[3];
    if (!allocId) throw new RpcError(400, 'must provide a valid alloc id');
    const alloc = store.allocs.get(allocId);
    acl.authorize(req.secret, {
      namespace: alloc?.Namespace ?? namespaceOf(req),
      capabilities: action === 'logs' ? ['read-logs', 'read-fs'] : ['read-fs'],
    });
    if (!alloc || !ctx.logs.has(allocId)) throw new RpcError(404, `Unknown allocation "${allocId}"`);
    return fsAction(deps, req, alloc, action!);
  }

  if (segments[1] === 'allocation' && segments[2]) {
    const alloc = store.allocs.get(segments[2]);
    const namespace = alloc?.Namespace ?? namespaceOf(req);
    const action = segments[3];
    if (action === 'stats' && method === 'GET') {
      acl.authorize(req.secret, { namespace, capabilities: ['read-job'] });
      if (!alloc) throw new RpcError(404, `Unknown allocation "${segments[2]}"`);
      return json(allocStats(alloc, req.query.get('task') ?? undefined, ctx.clock.now()));
    }
    if (action === 'restart' && (method === 'PUT' || method === 'POST')) {
      acl.authorize(req.secret, { namespace, capabilities: ['alloc-lifecycle'] });
      if (!alloc) throw new RpcError(404, `Unknown allocation "${segments[2]}"`);
      const body = jsonBody<Record<string, unknown>>(req, { allowEmpty: true });
      const task = field<string>(body, 'TaskName');
      if (alloc.ClientStatus !== 'running') throw new RpcError(500, 'Task not running');
      if (task && !alloc.TaskStates?.[task])
        throw new RpcError(500, `Could not find task runner for task: ${task}`);
      scheduler.client.restart(alloc, task || undefined);
      return json({});
    }
    if (action === 'signal' && (method === 'PUT' || method === 'POST')) {
      acl.authorize(req.secret, { namespace, capabilities: ['alloc-lifecycle'] });
      if (!alloc) throw new RpcError(404, `Unknown allocation "${segments[2]}"`);
      return json({});
    }
    if (action === 'gc') {
      acl.authorize(req.secret, { namespace, capabilities: ['gc-allocation', 'submit-job'] });
      if (!alloc) throw new RpcError(404, `Unknown allocation "${segments[2]}"`);
      if (isClientTerminal(alloc)) ctx.logs.remove(alloc.ID);
      return { kind: 'empty' };
    }
    throw new RpcError(404, 'resource not found');
  }

  const node = () => {
    const id = req.query.get('node_id');
    const found = id ? store.nodes.find((n) => n.ID === id || n.ID.startsWith(id)) : store.nodes[0];
    if (!found) throw new RpcError(404, `Unknown node "${id}"`);
    return found;
  };
  if (path === '/client/stats' && method === 'GET') {
    acl.authorize(req.secret, { node: 'read' });
    node();
    const now = ctx.clock.now();
    return json({
      Memory: { Total: 16 * 2 ** 30, Available: 12 * 2 ** 30, Used: 4 * 2 ** 30, Free: 10 * 2 ** 30 },
      CPU: [0, 1].map((i) => ({
        CPU: `cpu${i}`,
        User: 8.5,
        System: 2.5,
        Idle: 89,
        TotalPercent: 11,
        TotalTicks: 440,
      })),
      DiskStats: [
        {
          Device: '/dev/vda1',
          Mountpoint: '/',
          Size: 100 * 2 ** 30,
          Used: 40 * 2 ** 30,
          Available: 60 * 2 ** 30,
          UsedPercent: 40,
          InodesUsedPercent: 5,
        },
      ],
      AllocDirStats: {
        Device: '',
        Mountpoint: '',
        Size: 100 * 2 ** 30,
        Used: 40 * 2 ** 30,
        Available: 60 * 2 ** 30,
        UsedPercent: 40,
        InodesUsedPercent: 5,
      },
      DeviceStats: null,
      Uptime: 86_400,
      Timestamp: now * 1e6,
      CPUTicksConsumed: 880,
    });
  }
  if (path === '/client/metadata') {
    if (method === 'GET') {
      acl.authorize(req.secret, { node: 'read' });
      return json(metadataView(node()));
    }
    if (method === 'PUT' || method === 'POST') {
      acl.authorize(req.secret, { node: 'write' });
      const body = jsonBody<Record<string, unknown>>(req);
      const target = field<string>(body, 'NodeID')
        ? store.nodes.find((n) => n.ID === field<string>(body, 'NodeID'))
        : node();
      if (!target) throw new RpcError(404, `Unknown node "${field<string>(body, 'NodeID')}"`);
      const meta = field<Record<string, string | null>>(body, 'Meta') ?? {};
      store.write(() => {
        for (const [key, value] of Object.entries(meta)) {
          if (value === null) delete target.DynamicMeta[key];
          else target.DynamicMeta[key] = value;
        }
        return { tables: ['nodes'] };
      });
      return json(metadataView(target));
    }
  }
  if (path === '/client/gc') {
    acl.authorize(req.secret, { node: 'write' });
    node();
    for (const alloc of store.allocs.values()) if (isClientTerminal(alloc)) ctx.logs.remove(alloc.ID);
    return { kind: 'empty' };
  }
  return undefined;
}

function metadataView(node: { Meta: Record<string, string>; DynamicMeta: Record<string, string> }) {
  return {
    Meta: { ...node.Meta, ...node.DynamicMeta },
    Dynamic: { ...node.DynamicMeta },
    Static: { ...node.Meta },
  };
}

function allocStats(alloc: Allocation, task: string | undefined, nowMs: number) {
  const usage = (memoryMb: number, share: number) => ({
    MemoryStats: {
      RSS: Math.round(memoryMb * 0.42 * 2 ** 20),
      Cache: 0,
      Swap: 0,
      MappedFile: 0,
      Usage: Math.round(memoryMb * 0.5 * 2 ** 20),
      MaxUsage: Math.round(memoryMb * 0.6 * 2 ** 20),
      KernelUsage: 0,
      KernelMaxUsage: 0,
      Measured: ['RSS', 'Cache', 'Swap', 'Usage', 'Max Usage'],
    },
    CpuStats: {
      SystemMode: 1.2,
      UserMode: 4.8,
      TotalTicks: share * 0.06,
      ThrottledPeriods: 0,
      ThrottledTime: 0,
      Percent: 6,
      Measured: ['System Mode', 'User Mode', 'Percent'],
    },
    DeviceStats: null,
  });
  const resources =
    (
      alloc.AllocatedResources as
        { Tasks?: Record<string, { Cpu: { CpuShares: number }; Memory: { MemoryMB: number } }> } | undefined
    )?.Tasks ?? {};
  const running = alloc.ClientStatus === 'running';
  const tasks = Object.entries(resources)
    .filter(([name]) => !task || name === task)
    .map(
      ([name, r]) =>
        [
          name,
          {
            ResourceUsage: usage(running ? r.Memory.MemoryMB : 0, running ? r.Cpu.CpuShares : 0),
            Timestamp: nowMs * 1e6,
            Pids: null,
          },
        ] as const,
    );
  const total = tasks.reduce((sum, [, t]) => sum + Number(t.ResourceUsage.MemoryStats.RSS), 0);
  return {
    ResourceUsage: {
      ...usage(0, 0),
      MemoryStats: { ...usage(0, 0).MemoryStats, RSS: total },
      CpuStats: { ...usage(0, 0).CpuStats, Percent: running ? 6 * tasks.length : 0 },
    },
    Tasks: Object.fromEntries(tasks),
    Timestamp: nowMs * 1e6,
  };
}

function fsAction(deps: RouteDeps, req: SimRequest, alloc: Allocation, action: string): Reply {
  const { logs } = deps.ctx;
  if (action === 'ls') {
    const dir = req.query.get('path') ?? '/';
    if (!logs.isDir(alloc.ID, dir)) throw new RpcError(404, `open ${dir}: no such file or directory`);
    return json(
      logs
        .list(alloc.ID, dir)
        .map((e) =>
          fileInfo(e.name, e.isDir, e.file?.content.length ?? 4096, e.file?.modTime ?? deps.ctx.clock.now()),
        ),
    );
  }
  if (action === 'logs') {
    const task = req.query.get('task');
    if (!task) throw new RpcError(400, 'must provide task name');
    const type = req.query.get('type');
    if (type !== 'stdout' && type !== 'stderr')
      throw new RpcError(400, 'must provide log type (stdout/stderr)');
    if (!alloc.TaskStates?.[task]) throw new RpcError(404, `unknown task name "${task}"`);
    const path = logs.path(task, type);
    const follow = parseBool(req.query.get('follow'), 'follow', false);
    const plain = parseBool(req.query.get('plain'), 'plain', false);
    return streamFile(deps, req, alloc, path, follow, plain);
  }
  const path = req.query.get('path');
  if (!path) throw new RpcError(400, 'must provide a file name');
  const file = logs.get(alloc.ID, path);
  if (!file) {
    if (action === 'stat' && logs.isDir(alloc.ID, path))
      return json(fileInfo(path.split('/').pop() ?? path, true, 4096, deps.ctx.clock.now()));
    throw new RpcError(404, `stat ${path}: no such file or directory`);
  }
  if (action === 'stat')
    return json(fileInfo(path.split('/').pop() ?? path, false, file.content.length, file.modTime));
  if (action === 'cat') return { kind: 'raw', body: file.content, contentType: 'text/plain; charset=utf-8' };
  if (action === 'readat') {
    const offset = Number(req.query.get('offset'));
    if (req.query.get('offset') === null || !Number.isInteger(offset))
      throw new RpcError(400, 'must provide a valid offset');
    const limitText = req.query.get('limit');
    const end = limitText === null ? undefined : offset + Number(limitText);
    return {
      kind: 'raw',
      body: file.content.subarray(offset, end),
      contentType: 'text/plain; charset=utf-8',
    };
  }
  return streamFile(
    deps,
    req,
    alloc,
    path.replace(/^\/+/, ''),
    parseBool(req.query.get('follow'), 'follow', true),
    false,
  );
}

function fileInfo(name: string, isDir: boolean, size: number, modTimeMs: number) {
  return {
    Name: name,
    IsDir: isDir,
    Size: size,
    FileMode: isDir ? 'drwxrwxrwx' : '-rw-r--r--',
    ModTime: new Date(modTimeMs).toISOString(),
    ContentType: isDir ? '' : 'text/plain; charset=utf-8',
  };
}

/** Frames written back to back, base64 data, {} heartbeats while following (reference §7). */
function streamFile(
  deps: RouteDeps,
  req: SimRequest,
  alloc: Allocation,
  path: string,
  follow: boolean,
  plain: boolean,
): Reply {
  const origin = req.query.get('origin') ?? 'start';
  if (origin !== 'start' && origin !== 'end') throw new RpcError(400, 'origin must be start or end');
  const offsetParam = Number(req.query.get('offset') ?? 0);
  const { logs } = deps.ctx;
  const size = () => logs.get(alloc.ID, path)?.content.length ?? 0;
  let position = origin === 'end' ? Math.max(0, size() - offsetParam) : offsetParam;
  if (plain && !follow) {
    return {
      kind: 'raw',
      body: logs.get(alloc.ID, path)?.content.subarray(position) ?? Buffer.alloc(0),
      contentType: 'text/plain; charset=utf-8',
    };
  }
  return {
    kind: 'stream',
    start: (res: ServerResponse, signal: AbortSignal) => {
      res.statusCode = 200;
      res.setHeader('Content-Type', plain ? 'text/plain; charset=utf-8' : 'application/json');
      const flush = () => {
        const content = logs.get(alloc.ID, path)?.content ?? Buffer.alloc(0);
        if (content.length < position) {
          position = 0;
          if (!plain) res.write(JSON.stringify({ File: path, FileEvent: 'file truncated' }));
        }
        while (position < content.length) {
          const chunk = content.subarray(position, position + FRAME_MAX);
          res.write(
            plain ? chunk : JSON.stringify({ Offset: position, Data: chunk.toString('base64'), File: path }),
          );
          position += chunk.length;
        }
      };
      flush();
      if (!follow) return void res.end();
      const unfollow = logs.follow(alloc.ID, path, flush);
      const heartbeat = plain ? undefined : setInterval(() => res.write('{}'), deps.heartbeats.framesMs);
      signal.addEventListener('abort', () => {
        unfollow();
        if (heartbeat) clearInterval(heartbeat);
      });
    },
  };
}
