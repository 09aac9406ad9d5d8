import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { abortWhenClientGoes, collect, waitUnlessClientGoes } from './client-presence.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('client presence', () => {
  let server: Server;
  let handler: Handler;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Sends a request; `goAway` destroys it once the server has it. */
  function send(body: string[], goAway = false): Promise<string> {
    return new Promise((resolve) => {
      const req = request({ port, host: '127.0.0.1', method: 'PUT', path: '/' }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      req.on('error', () => resolve('gone'));
      req.flushHeaders();
      for (const chunk of body) req.write(chunk);
      if (goAway) setTimeout(() => (req.destroy(), resolve('gone')), 50);
      else req.end();
    });
  }

  it('reads a body sent in several chunks', async () => {
    handler = (req, res) => void collect(req).then((body) => res.end(`got ${body.toString()}`));
    expect(await send(['{"a":', '1}'])).toBe('got {"a":1}');
  });

  it('fails to read the body of a client that goes away before sending all of it', async () => {
    const outcome = new Promise<string>((resolve) => {
      handler = (req) =>
        collect(req).then(
          () => resolve('read'),
          () => resolve('failed'),
        );
    });
    await send(['{"a":'], true);
    expect(await outcome).toBe('failed');
  });

  it.each([
    ['before', true],
    ['after', false],
  ])('aborts the signal of a client gone before its answer, asked for %s it went', async (_, askFirst) => {
    const signal = new Promise<AbortSignal>((resolve) => {
      handler = (req, res) => {
        const signalOf = abortWhenClientGoes(res);
        if (askFirst) resolve(signalOf());
        else res.once('close', () => setImmediate(() => resolve(signalOf())));
      };
    });
    await send([], true);
    const asked = await signal;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked.aborted).toBe(true);
  });

  it('leaves the signal of an answered request alone', async () => {
    const signals = new Promise<[AbortSignal, AbortSignal]>((resolve) => {
      handler = (req, res) => {
        const signal = abortWhenClientGoes(res);
        const early = signal();
        res.once('close', () => setImmediate(() => resolve([early, signal()])));
        res.end('ok');
      };
    });
    expect(await send([])).toBe('ok');
    const [early, late] = await signals;
    expect(early.aborted).toBe(false);
    expect(late.aborted).toBe(false);
  });

  it('ends a latency wait when the client goes away', async () => {
    const waited = new Promise<number>((resolve) => {
      handler = (req, res) => {
        const started = Date.now();
        void waitUnlessClientGoes(res, 10_000).then(() => resolve(Date.now() - started));
      };
    });
    await send([], true);
    expect(await waited).toBeLessThan(5_000);
  });
});
