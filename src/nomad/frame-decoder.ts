import type { StreamFrame } from './types.js';

interface RawFrame {
  Offset?: number;
  Data?: string;
  File?: string;
  FileEvent?: string;
}

/**
 * Nomad's client fs and log streams write JSON frames back to back with no separator ({…}{…}) and
 * send {} as a heartbeat. This splits the byte stream into objects by tracking braces outside strings,
 * decodes the base64 Data and drops heartbeats.
 */
export async function* decodeFrames(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<StreamFrame> {
  let buffer = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for await (const chunk of chunks) {
    const from = buffer.length;
    buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let consumed = 0;
    for (let i = from; i < buffer.length; i++) {
      const c = buffer[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') {
        if (depth++ === 0) start = i;
      } else if (c === '}' && --depth === 0) {
        const frame = toFrame(JSON.parse(buffer.slice(start, i + 1)) as RawFrame);
        if (frame) yield frame;
        consumed = i + 1;
      }
    }
    if (consumed > 0) {
      buffer = buffer.slice(consumed);
      start -= consumed;
    }
  }
}

function toFrame(raw: RawFrame): StreamFrame | undefined {
  if (
    raw.Data === undefined &&
    raw.FileEvent === undefined &&
    raw.File === undefined &&
    raw.Offset === undefined
  )
    return undefined;
  return {
    Offset: raw.Offset ?? 0,
    Data: Buffer.from(raw.Data ?? '', 'base64'),
    ...(raw.File ? { File: raw.File } : {}),
    ...(raw.FileEvent ? { FileEvent: raw.FileEvent } : {}),
  };
}

/** Newline-delimited JSON (the event stream): one parsed value per non-empty line. */
export async function* decodeLines<T>(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<T> {
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line !== '') yield JSON.parse(line) as T;
    }
  }
  if (buffer.trim() !== '') yield JSON.parse(buffer) as T;
}
