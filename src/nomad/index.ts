export { NomadClient, type NomadClientOptions } from './client.js';
export {
  BlockingQuery,
  type BlockingParams,
  type BlockingQueryOptions,
  type Snapshot,
} from './blocking-query.js';
export type { ApiResponse, ResponseMeta, TlsOptions, TransportOptions } from './transport.js';
export type { ReadOptions, WriteOptions } from './endpoints/options.js';
export type { JobListOptions, DeregisterOptions, DispatchOptions } from './endpoints/jobs.js';
export type { StreamOptions, LogOptions } from './endpoints/client-fs.js';
export type { EventStreamOptions } from './endpoints/events.js';
export * from './errors.js';
export type * from './types.js';
