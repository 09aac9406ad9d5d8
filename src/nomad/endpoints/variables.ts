import { NomadApiError, NomadNotFoundError } from '../errors.js';
import type { ApiResponse, Transport } from '../transport.js';
import { readRequest, writeRequest, type ReadOptions, type WriteOptions } from './options.js';

export interface VariableLock {
  readonly ID: string;
  /** Go durations: "15s". */
  readonly TTL: string;
  readonly LockDelay: string;
}

export interface Variable {
  readonly Namespace: string;
  readonly Path: string;
  readonly Items?: Record<string, string>;
  /** Shown to the lock's holder and to management tokens only. */
  readonly Lock?: VariableLock;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
  readonly CreateTime: number;
  readonly ModifyTime: number;
}

/** A write Nomad refused with 409: the variable is locked by someone else, or a check-and-set lost. */
export interface VariableConflict {
  readonly conflict: true;
  /** The variable as it is (items only when the token may read them); zero indexes when it is locked. */
  readonly current: Partial<Variable>;
}

export type WriteOutcome = { readonly conflict: false; readonly variable: Variable } | VariableConflict;

const varPath = (path: string) => `/var/${path.split('/').map(encodeURIComponent).join('/')}`;

/** Nomad Variables (1.4+) and their locks (1.7+): /v1/var/:path. */
export class VariablesApi {
  constructor(private readonly transport: Transport) {}

  /** The variable, or null when there is none (a blocking query with `index`). */
  async read(path: string, options: ReadOptions = {}): Promise<ApiResponse<Variable | null>> {
    try {
      return await this.transport.json<Variable>(readRequest(varPath(path), options));
    } catch (error) {
      if (error instanceof NomadNotFoundError && /variable not found/.test(error.body))
        return { body: null, meta: { status: 404, index: error.index, knownLeader: true, lastContactMs: 0 } };
      throw error;
    }
  }

  /** Sets the items; with `cas` only if the variable's ModifyIndex is still that (0: only if there is none). */
  write(
    path: string,
    items: Record<string, string>,
    options: WriteOptions & { cas?: number } = {},
  ): Promise<WriteOutcome> {
    const query = options.cas === undefined ? {} : { cas: options.cas };
    return this.conflictAware(writeRequest('PUT', varPath(path), options, { Items: items }, query));
  }

  /** Takes the variable's lock, overwriting its items; a conflict when someone else holds it. */
  acquireLock(
    path: string,
    items: Record<string, string>,
    lock: { ttl: string; lockDelay: string },
    options: WriteOptions = {},
  ): Promise<WriteOutcome> {
    return this.conflictAware(
      writeRequest(
        'PUT',
        varPath(path),
        options,
        { Items: items, Lock: { TTL: lock.ttl, LockDelay: lock.lockDelay } },
        { 'lock-acquire': '' },
      ),
    );
  }

  /** Extends the lock's lease; Nomad answers 409 once it is no longer this holder's. */
  async renewLock(path: string, lockId: string, options: WriteOptions = {}): Promise<void> {
    await this.transport.json(
      writeRequest('PUT', varPath(path), options, { Lock: { ID: lockId } }, { 'lock-renew': '' }),
    );
  }

  /** Lets the lock go, keeping the items. */
  releaseLock(path: string, lockId: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    return this.conflictAware(
      writeRequest('PUT', varPath(path), options, { Lock: { ID: lockId } }, { 'lock-release': '' }),
    );
  }

  private async conflictAware(request: Parameters<Transport['json']>[0]): Promise<WriteOutcome> {
    try {
      const { body } = await this.transport.json<Variable>(request);
      return { conflict: false, variable: body };
    } catch (error) {
      if (!(error instanceof NomadApiError) || error.status !== 409) throw error;
      return { conflict: true, current: parseConflict(error.body) };
    }
  }
}

function parseConflict(body: string): Partial<Variable> {
  try {
    return JSON.parse(body) as Partial<Variable>;
  } catch {
    return {};
  }
}
