import { BlockingQuery, type BlockingParams, type BlockingQueryOptions } from './blocking-query.js';
import { AclPoliciesApi, AclRolesApi, AclTokensApi } from './endpoints/acl.js';
import { AgentApi } from './endpoints/agent.js';
import { NamespacesApi } from './endpoints/namespaces.js';
import { AllocationsApi } from './endpoints/allocations.js';
import { ClientFsApi } from './endpoints/client-fs.js';
import { ClientNodeApi } from './endpoints/client-node.js';
import { DeploymentsApi } from './endpoints/deployments.js';
import { EvaluationsApi } from './endpoints/evaluations.js';
import { EventsApi } from './endpoints/events.js';
import { JobsApi } from './endpoints/jobs.js';
import { NodePoolsApi } from './endpoints/node-pools.js';
import { VariablesApi } from './endpoints/variables.js';
import { Transport, type ApiResponse, type TransportOptions } from './transport.js';

export type NomadClientOptions = TransportOptions;

/**
 * A typed Nomad HTTP API client: one connection pool, endpoints grouped by noun.
 *
 *   const nomad = new NomadClient({ address: 'http://127.0.0.1:4646' });
 *   const { body: job } = await nomad.jobs.read('web');
 *   for await (const { value } of nomad.watch((q) => nomad.deployments.read(id, q))) { … }
 */
export class NomadClient {
  readonly jobs: JobsApi;
  readonly evaluations: EvaluationsApi;
  readonly deployments: DeploymentsApi;
  readonly allocations: AllocationsApi;
  readonly clientFs: ClientFsApi;
  readonly node: ClientNodeApi;
  readonly events: EventsApi;
  readonly agent: AgentApi;
  readonly namespaces: NamespacesApi;
  readonly variables: VariablesApi;
  readonly nodePools: NodePoolsApi;
  readonly aclPolicies: AclPoliciesApi;
  readonly aclRoles: AclRolesApi;
  readonly aclTokens: AclTokensApi;
  private readonly transport: Transport;

  constructor(options: NomadClientOptions) {
    this.transport = new Transport(options);
    this.jobs = new JobsApi(this.transport);
    this.evaluations = new EvaluationsApi(this.transport);
    this.deployments = new DeploymentsApi(this.transport);
    this.allocations = new AllocationsApi(this.transport);
    this.clientFs = new ClientFsApi(this.transport);
    this.node = new ClientNodeApi(this.transport);
    this.events = new EventsApi(this.transport);
    this.agent = new AgentApi(this.transport);
    this.namespaces = new NamespacesApi(this.transport);
    this.variables = new VariablesApi(this.transport);
    this.nodePools = new NodePoolsApi(this.transport);
    this.aclPolicies = new AclPoliciesApi(this.transport);
    this.aclRoles = new AclRolesApi(this.transport);
    this.aclTokens = new AclTokensApi(this.transport);
  }

  get address(): string {
    return this.transport.address;
  }

  /** The namespace requests go to unless they name one (undefined: Nomad's "default"). */
  get namespace(): string | undefined {
    return this.transport.namespace;
  }

  /** A blocking query over any read method: `nomad.watch((q) => nomad.jobs.allocations('web', q))`. */
  watch<T>(
    read: (params: BlockingParams) => Promise<ApiResponse<T>>,
    options: BlockingQueryOptions = {},
  ): BlockingQuery<T> {
    return new BlockingQuery(read, options);
  }

  /** Closes the pooled connections. */
  close(): Promise<void> {
    return this.transport.close();
  }
}
