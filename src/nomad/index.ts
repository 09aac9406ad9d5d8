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
export {
  DEFAULT_NAMESPACE,
  type Namespace,
  type NamespaceCapabilities,
  type NamespaceSpec,
  type NamespaceUsageConfiguration,
} from './endpoints/namespaces.js';
export {
  BUILT_IN_NODE_POOLS,
  type NodePool,
  type NodePoolNode,
  type NodePoolSchedulerConfiguration,
  type NodePoolSpec,
} from './endpoints/node-pools.js';
export { seesEverything } from './endpoints/acl.js';
export type {
  AclPolicy,
  AclPolicySpec,
  AclPolicyStub,
  AclRole,
  AclRolePolicyLink,
  AclRoleSpec,
  AclTokenIdentity,
  JobAcl,
  ParsedNamespaceRule,
  ParsedRule,
  ParsedRules,
} from './endpoints/acl.js';
export type {
  DeleteOutcome,
  Variable,
  VariableConflict,
  VariableListOptions,
  VariableLock,
  VariableMetadata,
  WriteOutcome,
} from './endpoints/variables.js';
export type { ClusterReadOptions, ClusterWriteOptions, WriteIndex } from './endpoints/options.js';
export * from './errors.js';
export type * from './types.js';
