import type { ApiResponse, RequestOptions } from '../transport.js';

export interface ReadOptions {
  /** Overrides the client's namespace for this request. */
  readonly namespace?: string;
  /** Read from any server, not only the leader. */
  readonly stale?: boolean;
  readonly signal?: AbortSignal;
  /** Blocking query: return once the result's index passes this one (or wait runs out). */
  readonly index?: number;
  /** Blocking query wait, a Go duration such as "30s" or "5m" (Nomad caps it at 5m). */
  readonly wait?: string;
}

export interface WriteOptions {
  readonly namespace?: string;
  readonly signal?: AbortSignal;
}

export function readRequest(
  path: string,
  options: ReadOptions,
  query: RequestOptions['query'] = {},
): RequestOptions {
  const blocking = options.index !== undefined && options.index > 0;
  return {
    path,
    namespace: options.namespace,
    stale: options.stale,
    signal: options.signal,
    query: { ...query, ...(blocking ? { index: options.index, wait: options.wait ?? '5m' } : {}) },
  };
}

export function writeRequest(
  method: 'PUT' | 'POST' | 'DELETE',
  path: string,
  options: WriteOptions,
  body?: unknown,
  query: RequestOptions['query'] = {},
): RequestOptions {
  return { method, path, namespace: options.namespace, signal: options.signal, body, query };
}

/** Job, allocation and deployment IDs go into paths escaped: dispatched job IDs contain "/". */
export const segment = encodeURIComponent;

/** Reads of cluster-wide objects (namespaces, node pools, ACL policies and roles): no namespace applies. */
export type ClusterReadOptions = Omit<ReadOptions, 'namespace'>;

export type ClusterWriteOptions = Omit<WriteOptions, 'namespace'>;

/** A read of a cluster-wide object: sent without ?namespace=, whatever the client's namespace. */
export function clusterReadRequest(
  path: string,
  options: ClusterReadOptions,
  query: RequestOptions['query'] = {},
): RequestOptions {
  return { ...readRequest(path, options, query), namespace: null };
}

export function clusterWriteRequest(
  method: 'PUT' | 'POST' | 'DELETE',
  path: string,
  options: ClusterWriteOptions,
  body?: unknown,
): RequestOptions {
  return { ...writeRequest(method, path, options, body), namespace: null };
}

/** What a write that answers with no body tells: the raft index it was applied at (X-Nomad-Index). */
export interface WriteIndex {
  readonly index: number;
}

/** Every page of a paginated list, following X-Nomad-NextToken. */
export async function allPages<T>(
  page: (nextToken: string | undefined) => Promise<ApiResponse<T[]>>,
): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const answer = await page(nextToken);
    items.push(...answer.body);
    nextToken = answer.meta.nextToken;
  } while (nextToken);
  return items;
}
