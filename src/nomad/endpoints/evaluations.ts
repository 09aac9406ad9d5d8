import type { ApiResponse, Transport } from '../transport.js';
import type { AllocListStub, Evaluation } from '../types.js';
import { readRequest, segment, type ReadOptions } from './options.js';

export class EvaluationsApi {
  constructor(private readonly transport: Transport) {}

  read(id: string, options: ReadOptions & { related?: boolean } = {}): Promise<ApiResponse<Evaluation>> {
    return this.transport.json(
      readRequest(`/evaluation/${segment(id)}`, options, { related: options.related }),
    );
  }

  list(
    options: ReadOptions & { job?: string; status?: string; prefix?: string; filter?: string } = {},
  ): Promise<ApiResponse<Evaluation[]>> {
    const { job, status, prefix, filter } = options;
    return this.transport.json(readRequest('/evaluations', options, { job, status, prefix, filter }));
  }

  allocations(id: string, options: ReadOptions = {}): Promise<ApiResponse<AllocListStub[]>> {
    return this.transport.json(readRequest(`/evaluation/${segment(id)}/allocations`, options));
  }
}
