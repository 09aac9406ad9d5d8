/**
 * Nomad Variables and their locks (command/agent/variable_endpoint.go, nomad/variables_endpoint.go,
 * nomad/state/state_store_variables.go, nomad/locks.go of v2.0.5; answers in test/fixtures/nomad-2.0.5/variables.json).
 * A lock lives in a variable: acquiring it overwrites the variable's items; its TTL timer runs for twice the TTL,
 * then the lock delay, then the server releases it. Only a management token is shown a held lock's details.
 */
import { randomUUID } from 'node:crypto';
import type { Acl } from './acl.js';
import type { SimContext } from './context.js';
import { jsonBody, type Reply, type SimRequest } from './http.js';

export interface SimVariableLock {
  readonly ID: string;
  readonly TTLMs: number;
  readonly LockDelayMs: number;
}

export interface SimVariable {
  readonly Namespace: string;
  readonly Path: string;
  readonly Items?: Record<string, string>;
  readonly Lock?: SimVariableLock;
  readonly CreateIndex: number;
  readonly CreateTime: number;
  readonly ModifyIndex: number;
  readonly ModifyTime: number;
}

interface VariableInput {
  Items?: Record<string, string>;
  Lock?: { ID?: string; TTL?: string | number; LockDelay?: string | number };
}

const MIN_TTL_MS = 10_000;
const MAX_TTL_MS = 24 * 3_600_000;
const DEFAULT_TTL_MS = 15_000;
const DEFAULT_LOCK_DELAY_MS = 15_000;
const MAX_ITEMS_BYTES = 65_536;
const VALID_PATH = /^[a-zA-Z0-9\-_~/]{1,128}$/;

export const variableKey = (namespace: string, path: string) => `var:${namespace}/${path}`;

/** An answer as Nomad writes it, with or without X-Nomad-Index (some error paths set it, others not). */
const answer = (
  status: number,
  body: string,
  index?: number,
  contentType?: string,
): Extract<Reply, { kind: 'answer' }> => ({
  kind: 'answer',
  status,
  body,
  index,
  contentType: contentType ?? (status === 200 ? 'application/json' : 'text/plain; charset=utf-8'),
});

/** A conflict's body: Go's JSON of the conflicting variable, written after its status (so its type is sniffed). */
const conflict = (
  v: Pick<SimVariable, 'Namespace' | 'Path'> & Partial<SimVariable>,
  index?: number,
): Reply => ({
  ...answer(
    409,
    JSON.stringify(metadataJson({ CreateIndex: 0, CreateTime: 0, ModifyIndex: 0, ModifyTime: 0, ...v })),
    index,
  ),
  sniffed: true,
});

/**
 * A lost check-and-set: the variable as it is, its items only for a token that may read them; a zero one when
 * there is none.
 */
const casConflict = (namespace: string, path: string, existing: SimVariable | undefined, mayRead: boolean) =>
  existing
    ? conflict(
        { ...existing, ...(mayRead ? {} : { Items: undefined }), Lock: undefined },
        existing.ModifyIndex,
      )
    : conflict({ Namespace: namespace, Path: path }, 0);

const rpcError = (status: number, message: string, index?: number) =>
  answer(status, `RPC Error:: ${status},${message}`, index);

function metadataJson(v: SimVariable, withItems = true, withLock = true): Record<string, unknown> {
  return {
    CreateIndex: v.CreateIndex,
    CreateTime: v.CreateTime,
    ...(withItems && v.Items && Object.keys(v.Items).length > 0 ? { Items: v.Items } : {}),
    ...(withLock && v.Lock
      ? { Lock: { TTL: goDuration(v.Lock.TTLMs), LockDelay: goDuration(v.Lock.LockDelayMs), ID: v.Lock.ID } }
      : {}),
    ModifyIndex: v.ModifyIndex,
    ModifyTime: v.ModifyTime,
    Namespace: v.Namespace,
    Path: v.Path,
  };
}

/** Go's time.Duration.String() for the whole seconds and milliseconds locks use. */
function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${hours ? `${hours}h` : ''}${hours || minutes ? `${minutes}m` : ''}${seconds}s`;
}

/** Go's time.ParseDuration for the units lock durations use; a number is nanoseconds. */
function parseDuration(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') return value / 1e6;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(value))) {
    const unit = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2]!]!;
    total += Number(match[1]) * unit;
    consumed = re.lastIndex;
  }
  return consumed === value.length ? total : Number.NaN;
}

export class Variables {
  /** TTL timers of held locks, by lock ID (nomad/locks.go keeps them on the leader, not in the state). */
  private readonly ttlTimers = new Map<string, () => void>();

  constructor(private readonly ctx: SimContext) {}

  get(namespace: string, path: string): SimVariable | undefined {
    return this.ctx.store.variables.get(variableKey(namespace, path));
  }

  route(acl: Acl, req: SimRequest): Reply | undefined {
    if (req.path === '/vars') return this.list(acl, req);
    if (!req.path.startsWith('/var/')) return undefined;
    const path = decodeURIComponent(req.path.slice('/var/'.length));
    const namespace = req.query.get('namespace') || 'default';
    if (path === '') return answer(400, 'missing variable path');
    const may = (capability: string) => acl.allowsVariable(req.secret, namespace, path, capability);
    const denied = (index?: number) => answer(403, 'Permission denied', index);
    if (req.method === 'GET') {
      if (!may('read')) return denied();
      return { kind: 'read', run: () => this.read(namespace, path, acl.isManagement(req.secret)) };
    }
    if (req.method === 'DELETE') {
      if (!may('destroy')) return denied(0);
      return this.remove(namespace, path, req.query.get('cas'));
    }
    if (req.method !== 'PUT' && req.method !== 'POST') return answer(400, 'Invalid method');
    const ops = ['lock-renew', 'lock-acquire', 'lock-release'].filter((op) => req.query.has(op));
    if (ops.length > 1) return answer(400, 'multiple lock operations');
    const cas = req.query.get('cas');
    if (cas && ops.length === 1) return answer(400, "CAS can't be used with lock operations");
    if (!may('write')) return denied(0);
    const input = jsonBody<VariableInput>(req);
    switch (ops[0]) {
      case 'lock-renew':
        return this.renew(namespace, path, input);
      case 'lock-acquire':
        return this.acquire(namespace, path, input);
      case 'lock-release':
        return this.release(namespace, path, input);
      default:
        return this.upsert(namespace, path, input, cas, may('read'));
    }
  }

  /**
   * Variables.List: the paths the token may list (no error for the others), without items, locks shown to
   * management tokens only; `namespace=*` for every namespace; pages keyed "<namespace>.<path>".
   */
  private list(acl: Acl, req: SimRequest): Reply {
    if (req.method !== 'GET') return answer(405, 'Invalid method');
    acl.authenticate(req.secret);
    const namespace = req.query.get('namespace') || 'default';
    const prefix = req.query.get('prefix') ?? '';
    const perPage = Number(req.query.get('per_page') ?? 0);
    const nextToken = req.query.get('next_token') ?? '';
    const management = acl.isManagement(req.secret);
    return {
      kind: 'read',
      run: () => {
        const visible = [...this.ctx.store.variables.values()]
          .filter(
            (v) =>
              (namespace === '*' || v.Namespace === namespace) &&
              v.Path.startsWith(prefix) &&
              acl.allowsVariable(req.secret, v.Namespace, v.Path, 'list'),
          )
          .sort((a, b) => (`${a.Namespace}.${a.Path}` < `${b.Namespace}.${b.Path}` ? -1 : 1))
          .filter((v) => `${v.Namespace}.${v.Path}` >= nextToken);
        const page = perPage > 0 ? visible.slice(0, perPage) : visible;
        const after = visible[page.length];
        return {
          body: page.map((v) => metadataJson(v, false, management)),
          index: this.ctx.store.listIndex('variables'),
          watch: ['table:variables'],
          nextToken: perPage > 0 && after ? `${after.Namespace}.${after.Path}` : undefined,
        };
      },
    };
  }

  private read(namespace: string, path: string, management: boolean) {
    const found = this.get(namespace, path);
    if (!found)
      return {
        body: null,
        index: this.ctx.store.table('variables'),
        watch: [variableKey(namespace, path), 'table:variables'],
        status: 404,
        errorText: 'variable not found',
      };
    return {
      body: metadataJson(found, true, management),
      index: found.ModifyIndex,
      watch: [variableKey(namespace, path)],
    };
  }

  private upsert(
    namespace: string,
    path: string,
    input: VariableInput,
    cas: string | null,
    mayRead: boolean,
  ): Reply {
    if (!input.Items || Object.keys(input.Items).length === 0)
      return answer(400, 'variable missing required Items object');
    if (input.Lock && (input.Lock.TTL || input.Lock.LockDelay))
      return rpcError(400, 'variable should not contain lock definition', 0);
    const invalid = this.invalid(path, input.Items);
    if (invalid) return rpcError(400, invalid, 0);
    const existing = this.get(namespace, path);
    if (cas !== null) {
      const expected = Number(cas);
      if (!/^\d+$/.test(cas))
        return answer(400, `can not parse cas: strconv.ParseUint: parsing "${cas}": invalid syntax`);
      if ((existing?.ModifyIndex ?? 0) !== expected) return casConflict(namespace, path, existing, mayRead);
    }
    if (existing?.Lock && existing.Lock.ID !== input.Lock?.ID)
      return conflict({ Namespace: namespace, Path: path }, 0);
    const written = this.write(namespace, path, existing, { Items: input.Items, Lock: existing?.Lock });
    return answer(200, JSON.stringify(metadataJson(written, true, false)), written.ModifyIndex);
  }

  private acquire(namespace: string, path: string, input: VariableInput): Reply {
    const ttl = parseDuration(input.Lock?.TTL) || DEFAULT_TTL_MS;
    const delay = parseDuration(input.Lock?.LockDelay) || DEFAULT_LOCK_DELAY_MS;
    const errors: string[] = [];
    if (ttl < 0 || delay < 0) errors.push('Lock delay and TTL must be positive');
    if (Number.isNaN(ttl) || ttl > MAX_TTL_MS || ttl < MIN_TTL_MS)
      errors.push('TTL must be between 10 seconds and 24 hours');
    const invalid = this.invalid(path, input.Items ?? {});
    if (invalid) return rpcError(400, invalid, 0);
    if (errors.length > 0)
      return rpcError(
        400,
        `${errors.length} error${errors.length === 1 ? '' : 's'} occurred:\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`,
        0,
      );
    const existing = this.get(namespace, path);
    if (existing?.Lock && existing.Lock.ID !== input.Lock?.ID)
      return conflict({ Namespace: namespace, Path: path });
    const lock: SimVariableLock = { ID: input.Lock?.ID || randomUUID(), TTLMs: ttl, LockDelayMs: delay };
    const written = this.write(namespace, path, existing, { Items: input.Items, Lock: lock });
    if (!this.ttlTimers.has(lock.ID)) this.startTimer(namespace, path, lock);
    return answer(200, JSON.stringify(metadataJson(written)), written.ModifyIndex);
  }

  private release(namespace: string, path: string, input: VariableInput): Reply {
    if (!input.Lock?.ID) return rpcError(400, 'missing lock information', 0);
    if (input.Items) return rpcError(400, "lock release operation doesn't take variable items", 0);
    const invalid = this.invalid(path, {});
    if (invalid) return rpcError(400, invalid, 0);
    const existing = this.get(namespace, path);
    if (!existing) return answer(404, "variable doesn't exist", 0);
    if (!existing.Lock) return answer(500, "variable doesn't hold a lock", 0);
    if (existing.Lock.ID !== input.Lock.ID) return conflict({ Namespace: namespace, Path: path });
    this.stopTimer(existing.Lock.ID);
    const written = this.write(namespace, path, existing, { Items: existing.Items, Lock: undefined }, true);
    return answer(200, JSON.stringify(metadataJson(written, false)), written.ModifyIndex);
  }

  private renew(namespace: string, path: string, input: VariableInput): Reply {
    if (!input.Lock?.ID) return answer(500, '1 error occurred:\n\t* missing lock ID\n\n');
    const existing = this.get(namespace, path);
    if (!existing) return answer(404, "variable doesn't exist");
    if (!existing.Lock) return answer(409, "variable doesn't hold a lock");
    if (existing.Lock.ID !== input.Lock.ID || !this.ttlTimers.has(existing.Lock.ID))
      return answer(409, 'attempting to modify locked variable');
    this.stopTimer(existing.Lock.ID);
    this.startTimer(namespace, path, existing.Lock);
    return answer(200, JSON.stringify(metadataJson(existing, false)));
  }

  private remove(namespace: string, path: string, cas: string | null): Reply {
    const existing = this.get(namespace, path);
    if (cas !== null && (existing?.ModifyIndex ?? 0) !== Number(cas))
      return casConflict(namespace, path, existing, true);
    if (existing?.Lock) return conflict({ Namespace: namespace, Path: path }, 0);
    const index = existing
      ? this.ctx.store.write(() => {
          this.ctx.store.variables.delete(variableKey(namespace, path));
          return { tables: ['variables'], keys: [variableKey(namespace, path)] };
        })
      : this.ctx.store.index;
    return answer(204, '', index, '');
  }

  private invalid(path: string, items: Record<string, string>): string | undefined {
    if (!VALID_PATH.test(path)) return `invalid path "${path}"`;
    // Go's len: bytes of UTF-8, not characters.
    const size = Object.entries(items).reduce(
      (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v),
      0,
    );
    if (size > MAX_ITEMS_BYTES) return 'variables are limited to 64KiB in total size';
    return undefined;
  }

  private write(
    namespace: string,
    path: string,
    existing: SimVariable | undefined,
    content: Pick<SimVariable, 'Items' | 'Lock'>,
    keepTimes = false,
  ): SimVariable {
    let written!: SimVariable;
    this.ctx.store.write((index) => {
      const now = this.ctx.clock.now() * 1_000_000;
      written = {
        Namespace: namespace,
        Path: path,
        ...(content.Items ? { Items: content.Items } : {}),
        ...(content.Lock ? { Lock: content.Lock } : {}),
        CreateIndex: existing?.CreateIndex ?? index,
        CreateTime: existing?.CreateTime ?? now,
        ModifyIndex: index,
        ModifyTime: keepTimes && existing ? existing.ModifyTime : now,
      };
      this.ctx.store.variables.set(variableKey(namespace, path), written);
      return { tables: ['variables'], keys: [variableKey(namespace, path)] };
    });
    return written;
  }

  /** Twice the TTL (nomad/locks.go: a grace period), then the lock delay, then the server releases the lock. */
  private startTimer(namespace: string, path: string, lock: SimVariableLock): void {
    const cancel = this.ctx.clock.afterReal(lock.TTLMs * 2, () => {
      this.ttlTimers.delete(lock.ID);
      this.ctx.clock.afterReal(lock.LockDelayMs, () => {
        const current = this.get(namespace, path);
        if (current?.Lock?.ID !== lock.ID) return;
        this.write(namespace, path, current, { Items: current.Items, Lock: undefined }, true);
      });
    });
    this.ttlTimers.set(lock.ID, cancel);
  }

  private stopTimer(id: string): void {
    this.ttlTimers.get(id)?.();
    this.ttlTimers.delete(id);
  }
}
