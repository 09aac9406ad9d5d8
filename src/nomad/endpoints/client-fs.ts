import { decodeFrames } from '../frame-decoder.js';
import type { ApiResponse, Transport } from '../transport.js';
import type { AllocFileInfo, StreamFrame } from '../types.js';
import { readRequest, segment, type ReadOptions } from './options.js';

export interface StreamOptions {
  /** Byte offset, counted from `origin`. Default 0. */
  readonly offset?: number;
  /** "start" (default) or "end": with "end" and an offset, the last bytes of the file. */
  readonly origin?: 'start' | 'end';
  /** Keep the stream open for new data. */
  readonly follow?: boolean;
  readonly signal?: AbortSignal;
}

export interface LogOptions extends StreamOptions {
  readonly type?: 'stdout' | 'stderr';
}

/** /v1/client/fs: files and logs of an allocation, answered by its client. */
export class ClientFsApi {
  constructor(private readonly transport: Transport) {}

  ls(alloc: string, path = '/', options: ReadOptions = {}): Promise<ApiResponse<AllocFileInfo[]>> {
    return this.transport.json(readRequest(`/client/fs/ls/${segment(alloc)}`, options, { path }));
  }

  stat(alloc: string, path: string, options: ReadOptions = {}): Promise<ApiResponse<AllocFileInfo>> {
    return this.transport.json(readRequest(`/client/fs/stat/${segment(alloc)}`, options, { path }));
  }

  async cat(alloc: string, path: string, options: ReadOptions = {}): Promise<Buffer> {
    return (await this.transport.bytes(readRequest(`/client/fs/cat/${segment(alloc)}`, options, { path })))
      .body;
  }

  async readAt(
    alloc: string,
    path: string,
    offset: number,
    limit?: number,
    options: ReadOptions = {},
  ): Promise<Buffer> {
    const request = readRequest(`/client/fs/readat/${segment(alloc)}`, options, { path, offset, limit });
    return (await this.transport.bytes(request)).body;
  }

  /** A file as frames; with follow (Nomad's default for this endpoint) it goes on until aborted. */
  async *stream(alloc: string, path: string, options: StreamOptions = {}): AsyncGenerator<StreamFrame> {
    yield* this.frames(
      `/client/fs/stream/${segment(alloc)}`,
      { path, follow: options.follow ?? false },
      options,
    );
  }

  /** A task's stdout or stderr as frames (File, Offset, decoded Data, FileEvent on rotation). */
  async *logs(alloc: string, task: string, options: LogOptions = {}): AsyncGenerator<StreamFrame> {
    const query = { task, type: options.type ?? 'stdout', follow: options.follow ?? false };
    yield* this.frames(`/client/fs/logs/${segment(alloc)}`, query, options);
  }

  /** A task's log as plain bytes (plain=true), without frames. */
  async logsPlain(alloc: string, task: string, options: Omit<LogOptions, 'follow'> = {}): Promise<Buffer> {
    const query = {
      task,
      type: options.type ?? 'stdout',
      plain: true,
      offset: options.offset,
      origin: options.origin,
    };
    return (
      await this.transport.bytes({ path: `/client/fs/logs/${segment(alloc)}`, query, signal: options.signal })
    ).body;
  }

  private async *frames(path: string, query: Record<string, string | boolean>, options: StreamOptions) {
    const response = await this.transport.stream({
      path,
      query: { ...query, offset: options.offset, origin: options.origin },
      signal: options.signal,
    });
    try {
      yield* decodeFrames(response.body);
    } finally {
      response.body.destroy();
    }
  }
}
