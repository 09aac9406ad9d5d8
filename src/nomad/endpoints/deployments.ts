import type { ApiResponse, Transport } from '../transport.js';
import type { AllocListStub, Deployment, DeploymentUpdateResponse } from '../types.js';
import { readRequest, segment, writeRequest, type ReadOptions, type WriteOptions } from './options.js';

export class DeploymentsApi {
  constructor(private readonly transport: Transport) {}

  read(id: string, options: ReadOptions = {}): Promise<ApiResponse<Deployment>> {
    return this.transport.json(readRequest(`/deployment/${segment(id)}`, options));
  }

  list(options: ReadOptions & { prefix?: string; filter?: string } = {}): Promise<ApiResponse<Deployment[]>> {
    return this.transport.json(
      readRequest('/deployments', options, { prefix: options.prefix, filter: options.filter }),
    );
  }

  allocations(id: string, options: ReadOptions = {}): Promise<ApiResponse<AllocListStub[]>> {
    return this.transport.json(readRequest(`/deployment/allocations/${segment(id)}`, options));
  }

  /** Promotes canaries: every group, or only the named ones. */
  promote(
    id: string,
    groups?: readonly string[],
    options: WriteOptions = {},
  ): Promise<DeploymentUpdateResponse> {
    const body = groups ? { DeploymentID: id, All: false, Groups: groups } : { DeploymentID: id, All: true };
    return this.write(`/deployment/promote/${segment(id)}`, body, options);
  }

  fail(id: string, options: WriteOptions = {}): Promise<DeploymentUpdateResponse> {
    return this.write(`/deployment/fail/${segment(id)}`, { DeploymentID: id }, options);
  }

  /** pause=false resumes. */
  pause(id: string, pause: boolean, options: WriteOptions = {}): Promise<DeploymentUpdateResponse> {
    return this.write(`/deployment/pause/${segment(id)}`, { DeploymentID: id, Pause: pause }, options);
  }

  private async write(path: string, body: unknown, options: WriteOptions): Promise<DeploymentUpdateResponse> {
    return (await this.transport.json<DeploymentUpdateResponse>(writeRequest('PUT', path, options, body)))
      .body;
  }
}
