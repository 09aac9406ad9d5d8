/**
 * The variables and lock requests drover's stack lock and history send, in the order a run sends them and with
 * the refusals it must read, answered by a real Nomad (recorded) or the simulator (held to the recording).
 */
import { tokenHeader } from './api-shapes.js';

export interface VariableAnswer {
  readonly request: string;
  readonly status: number;
  readonly body: string;
  readonly indexHeader: boolean;
}

const LOCK = '/v1/var/drover/stacks/rec/lock';
const HISTORY = '/v1/var/drover/stacks/rec/history';
const INVENTORY = '/v1/var/drover/stacks/rec/inventory';

/** Items of this many bytes (names and values, as Nomad counts them), the last character taking two. */
const itemsOfBytes = (bytes: number) => ({ Items: { objects: `${'x'.repeat(bytes - 9)}é` } });
/** A filler of thousands of "x" is written as its length. */
const shortened = (text: string) => text.replace(/x{64,}/g, (run) => `x×${run.length}`);

/** `expire` lets a lock of TTL 10s and delay 1s run out (21 s on a real agent; the simulator's clock jumps). */
export async function exerciseVariables(
  address: string,
  expire: () => Promise<void>,
  token?: string,
): Promise<VariableAnswer[]> {
  const answers: VariableAnswer[] = [];
  let lockId = '';
  const send = async (method: string, path: string, body?: unknown) => {
    const text =
      body === undefined ? undefined : shortened(JSON.stringify(body).replace(lockId || '\0', '<held>'));
    const response = await fetch(`${address}${path}`, {
      method,
      headers: tokenHeader(token),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const raw = await response.text();
    answers.push({
      request: `${method} ${path}${text ? ` ${text}` : ''}`,
      status: response.status,
      body: shortened(raw)
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
        .replace(/\b\d{2,}\b/g, 'N'),
      indexHeader: response.headers.has('x-nomad-index'),
    });
    return raw;
  };
  const acquired = await send('PUT', `${LOCK}?lock-acquire`, {
    Items: { holder: 'first' },
    Lock: { TTL: '10s', LockDelay: '1s' },
  });
  lockId = (JSON.parse(acquired) as { Lock: { ID: string } }).Lock.ID;
  const held = { Lock: { ID: lockId } };
  await send('PUT', `${LOCK}?lock-acquire`, { Items: { holder: 'second' } });
  await send('GET', LOCK);
  await send('PUT', `${LOCK}?lock-renew`, held);
  await send('PUT', `${LOCK}?lock-renew`, { Lock: { ID: 'not-the-holder' } });
  await send('PUT', `${LOCK}?lock-renew`, {});
  await send('PUT', LOCK, { Items: { holder: 'overwrite' } });
  await send('PUT', `${LOCK}?lock-release`, { Lock: { ID: 'not-the-holder' } });
  await send('DELETE', LOCK);
  await send('PUT', `${LOCK}?lock-release`, held);
  await send('PUT', `${LOCK}?lock-release`, held);
  await send('PUT', `${LOCK}?lock-renew`, held);
  await send('GET', LOCK);
  await send('PUT', `${LOCK}?lock-acquire`, { Lock: { TTL: '5s' } });
  await send('PUT', `${LOCK}?lock-acquire&cas=0`, {});
  await send('PUT', '/v1/var/drover/a.b?lock-acquire', {});
  // A holder that stops renewing: after twice the TTL and the delay the server releases its lock.
  const crashed = await send('PUT', `${LOCK}?lock-acquire`, {
    Items: { holder: 'crashed' },
    Lock: { TTL: '10s', LockDelay: '1s' },
  });
  lockId = (JSON.parse(crashed) as { Lock: { ID: string } }).Lock.ID;
  await expire();
  await send('GET', LOCK);
  await send('PUT', `${LOCK}?lock-renew`, { Lock: { ID: lockId } });
  await send('PUT', `${LOCK}?lock-acquire`, { Items: { holder: 'next' } });
  // History: written with check-and-set.
  await send('GET', HISTORY);
  await send('PUT', `${HISTORY}?cas=0`, { Items: { records: '[]' } });
  await send('PUT', `${HISTORY}?cas=0`, { Items: { records: '[1]' } });
  await send('PUT', HISTORY, { Items: {} });
  await send('DELETE', `${HISTORY}?cas=1`);
  await send('DELETE', HISTORY);
  await send('GET', HISTORY);
  // The inventory's bound: 64 KiB of item names and values, counted in bytes (Go's len), not characters.
  await send('PUT', `${INVENTORY}?cas=0`, itemsOfBytes(65_536));
  await send('PUT', INVENTORY, itemsOfBytes(65_537));
  return answers;
}
