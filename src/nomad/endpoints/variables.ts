import { NomadApiError, NomadNotFoundError } from '../errors.js';
import type { ApiResponse, Transport } from '../transport.js';
import { allPages, readRequest, writeRequest, type ReadOptions, type WriteOptions } from './options.js';

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

/** A delete's outcome: done at the index given, or refused because the check-and-set lost or the variable is locked. */
export type DeleteOutcome = { readonly conflict: false; readonly index: number } | VariableConflict;

/** A variable as a list shows it: without its items. */
export type VariableMetadata = Omit<Variable, 'Items'>;

export interface VariableListOptions extends ReadOptions {
  /** Only paths that start with this. */
  readonly prefix?: string;
  readonly filter?: string;
  readonly perPage?: number;
  readonly nextToken?: string;
}

const varPath = (path: string) => `/var/${path.split('/').map(encodeURIComponent).join('/')}`;

/**
 * Nomad Variables (1.4+) and their locks (1.7+): /v1/vars and /v1/var/:path. A token sees the paths its variables
 * rules let it list (a list leaves the others out, with no error); reading, writing and deleting one needs read,
 * write and destroy on its path, else a 403, whether or not it exists.
 */
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

  /** One page of the variables in the client's namespace, or another ("*": every namespace). */
  list(options: VariableListOptions = {}): Promise<ApiResponse<VariableMetadata[]>> {
    return this.transport.json(
      readRequest('/vars', options, {
        prefix: options.prefix,
        filter: options.filter,
        per_page: options.perPage,
        next_token: options.nextToken,
      }),
    );
  }

  /** Every page of variables. */
  listAll(
    options: Omit<VariableListOptions, 'nextToken' | 'index' | 'wait'> = {},
  ): Promise<VariableMetadata[]> {
    return allPages((nextToken) => this.list({ ...options, nextToken }));
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

  /**
   * Deletes the variable (Nomad answers a missing one as deleted); with `cas` only if its ModifyIndex is still that.
   * A locked variable cannot be deleted.
   */
  delete(path: string, options: WriteOptions & { cas?: number } = {}): Promise<DeleteOutcome> {
    const query = options.cas === undefined ? {} : { cas: options.cas };
    const request = writeRequest('DELETE', varPath(path), options, undefined, query);
    return this.orConflict(async () => ({
      conflict: false as const,
      index: (await this.transport.bytes(request)).meta.index,
    }));
  }

  private conflictAware(request: Parameters<Transport['json']>[0]): Promise<WriteOutcome> {
    return this.orConflict(async () => ({
      conflict: false as const,
      variable: (await this.transport.json<Variable>(request)).body,
    }));
  }

  /** Nomad's 409: the body is the variable as it is (zero indexes when someone else holds its lock). */
  private async orConflict<T>(send: () => Promise<T>): Promise<T | VariableConflict> {
    try {
      return await send();
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
