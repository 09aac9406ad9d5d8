import type { ApiResponse, Transport } from '../transport.js';
import type { AllocListStub, AllocResourceUsage, AllocStopResponse, Allocation } from '../types.js';
import { readRequest, segment, writeRequest, type ReadOptions, type WriteOptions } from './options.js';

export interface AllocationListOptions extends ReadOptions {
  readonly prefix?: string;
  readonly filter?: string;
  /** Include task states (Nomad's default: true). */
  readonly taskStates?: boolean;
  /** Include allocated resources (Nomad's default: false). */
  readonly resources?: boolean;
}

/** /v1/allocation(s) and the per-allocation client endpoints. */
export class AllocationsApi {
  constructor(private readonly transport: Transport) {}

  read(id: string, options: ReadOptions = {}): Promise<ApiResponse<Allocation>> {
    return this.transport.json(readRequest(`/allocation/${segment(id)}`, options));
  }

  list(options: AllocationListOptions = {}): Promise<ApiResponse<AllocListStub[]>> {
    return this.transport.json(
      readRequest('/allocations', options, {
        prefix: options.prefix,
        filter: options.filter,
        task_states: options.taskStates,
        resources: options.resources,
      }),
    );
  }

  async stop(
    id: string,
    options: WriteOptions & { noShutdownDelay?: boolean; reschedule?: boolean } = {},
  ): Promise<AllocStopResponse> {
    const query = { no_shutdown_delay: options.noShutdownDelay, reschedule: options.reschedule };
    return (
      await this.transport.json<AllocStopResponse>(
        writeRequest('PUT', `/allocation/${segment(id)}/stop`, options, {}, query),
      )
    ).body;
  }

  /** Restarts one task, or all of them (the default when no task is named). */
  async restart(id: string, options: WriteOptions & { task?: string } = {}): Promise<void> {
    const body = options.task ? { TaskName: options.task } : { AllTasks: true };
    await this.transport.bytes(
      writeRequest('PUT', `/client/allocation/${segment(id)}/restart`, options, body),
    );
  }

  stats(id: string, options: ReadOptions & { task?: string } = {}): Promise<ApiResponse<AllocResourceUsage>> {
    return this.transport.json(
      readRequest(`/client/allocation/${segment(id)}/stats`, options, { task: options.task }),
    );
  }

  /** Garbage-collects a terminal allocation on its client. */
  async gc(id: string, options: WriteOptions = {}): Promise<void> {
    await this.transport.bytes(writeRequest('PUT', `/client/allocation/${segment(id)}/gc`, options));
  }
}
