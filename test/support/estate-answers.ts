/**
 * Namespaces, node pools, ACL policies, ACL roles and variables: the requests drover's kinds send, with the
 * refusals they must read, for a management token and for tokens with less, answered by a real Nomad (recorded
 * into test/fixtures/nomad-2.0.5/estate.json by test/nomad/estate.test.ts) or by the simulator (held to the
 * recording by test/simulator/conformance.test.ts). Every object and token is made through the API, the same way
 * on both.
 */
import { SHAPE_JOB, tokenHeader } from './api-shapes.js';

export interface EstateAnswer {
  /** The token the request was sent with. */
  readonly as: string;
  readonly request: string;
  readonly status: number;
  readonly contentType: string | null;
  /** X-Nomad-Index as normalize() writes numbers; null when absent. */
  readonly index: string | null;
  readonly body: string;
}

/** A blocking read, and whether the write made it answer with a higher index before its wait ran out. */
export interface BlockingAnswer {
  readonly request: string;
  readonly status: number;
  readonly woken: boolean;
}

export interface EstateAnswers {
  readonly answers: EstateAnswer[];
  readonly blocking: BlockingAnswer[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Times, UUIDs and hashes written as such, numbers but 0 and 1 as N: what differs from run to run and between a
 * dev agent and the simulator (whose raft indexes start elsewhere), keeping the 0 and 1 Nomad answers for indexes
 * of tables nothing has written yet.
 */
export function normalize(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, 'TIME')
    .replace(UUID, 'UUID')
    .replace(/"Hash":"[^"]*"/g, '"Hash":"HASH"')
    .replace(/\b(?:[2-9]|\d{2,})\b/g, 'N');
}

const POLICY_RULES = `namespace "payments" {
  policy = "write"
  variables {
    path "nomad/jobs/*" {
      capabilities = ["read"]
    }
  }
}
node_pool "general" {
  policy = "read"
}
node {
  policy = "read"
}
`;
const READER_RULES = 'namespace "payments" {\n  policy = "read"\n}\n';
const VARS_WRITER_RULES = `namespace "payments" {
  variables {
    path "nomad/jobs/*" {
      capabilities = ["write", "list"]
    }
  }
}
`;
const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const SLEEPER = {
  ...SHAPE_JOB,
  ID: 'sleeper',
  Name: 'sleeper',
  TaskGroups: [{ ...SHAPE_JOB.TaskGroups[0]! }],
};

/**
 * The whole exchange, in order. `tick` lets time pass while it waits for allocations to run or stop (a real
 * agent: sleep; the simulator: advance its clock).
 */
export async function exerciseEstate(
  address: string,
  management: string,
  tick: () => Promise<void>,
): Promise<EstateAnswers> {
  const answers: EstateAnswer[] = [];
  const blocking: BlockingAnswer[] = [];
  const call = (method: string, path: string, body?: unknown, token?: string) =>
    fetch(`${address}${path}`, {
      method,
      headers: tokenHeader(token),
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const send = async (
    as: string,
    token: string | undefined,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const response = await call(method, path, body, token);
    const text = await response.text();
    const shown = body === undefined ? '' : ` ${typeof body === 'string' ? body : JSON.stringify(body)}`;
    const index = response.headers.get('x-nomad-index');
    answers.push({
      as,
      request: normalize(`${method} ${path}${shown}`),
      status: response.status,
      contentType: response.headers.get('content-type'),
      index: index === null ? null : normalize(index),
      body: normalize(text),
    });
    return text;
  };
  const admin = (method: string, path: string, body?: unknown) =>
    send('management', management, method, path, body);
  /** An arrangement, not recorded: it must succeed. */
  const arrange = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await call(method, path, body, management);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  const indexOf = async (path: string) =>
    Number((await call('GET', path, undefined, management)).headers.get('x-nomad-index'));
  const wokenBy = async (path: string, write: () => Promise<unknown>, label: string) => {
    const before = await indexOf(path);
    const started = Date.now();
    const pending = call(
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}index=${before}&wait=20s`,
      undefined,
      management,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await write();
    const response = await pending;
    await response.text();
    const after = Number(response.headers.get('x-nomad-index'));
    blocking.push({
      request: `GET ${path} at its index, then ${label}`,
      status: response.status,
      woken: after > before && Date.now() - started < 15_000,
    });
  };
  const waitFor = async (what: string, done: () => Promise<boolean>) => {
    for (let i = 0; i < 120; i++) {
      if (await done()) return;
      await tick();
    }
    throw new Error(`gave up waiting: ${what}`);
  };
  const allocations = (status: (s: string) => boolean) => async () => {
    const allocs = await arrange<Array<{ ClientStatus: string }>>(
      'GET',
      '/v1/job/sleeper/allocations?namespace=payments',
    );
    return allocs.length > 0 && allocs.every((a) => status(a.ClientStatus));
  };

  // What every cluster has, and what it has not.
  await admin('GET', '/v1/namespaces');
  await admin('GET', '/v1/node/pools');
  await admin('GET', '/v1/node/pool/all');
  await admin('GET', '/v1/acl/policies');
  await admin('GET', '/v1/acl/roles');
  await admin('GET', '/v1/vars');
  await admin('GET', '/v1/namespace/ghost');
  await admin('GET', '/v1/node/pool/ghost');
  await admin('GET', '/v1/acl/policy/ghost');
  await admin('GET', `/v1/acl/role/${ZERO_ID}`);
  await admin('GET', '/v1/acl/role/name/ghost');
  await admin('GET', '/v1/acl/role/a/b');
  await admin('GET', '/v1/var/ghost');
  await admin('GET', '/v1/acl/token/self');

  // Namespaces.
  await admin('PUT', '/v1/namespace/payments', {
    Name: 'payments',
    Description: 'Payments team',
    Meta: { team: 'payments' },
    Capabilities: { EnabledTaskDrivers: ['docker', 'raw_exec'] },
  });
  await admin('GET', '/v1/namespace/payments');
  await admin('PUT', '/v1/namespace', { Name: 'scratch', Description: 'through the collection' });
  await admin('PUT', '/v1/namespace/scratch', { Name: 'scratch' });
  await admin('GET', '/v1/namespace/scratch');
  await admin('GET', '/v1/namespaces?prefix=pay');
  await admin('PUT', '/v1/namespace/payments', { Name: 'other' });
  await admin('PUT', '/v1/namespace/ent', { Name: 'ent', NodePoolConfiguration: { Default: 'general' } });
  await admin('PUT', '/v1/namespace/ent', {
    Name: 'ent',
    VaultConfiguration: { Default: 'default' },
    ConsulConfiguration: { Default: 'default' },
  });
  await admin('PUT', '/v1/namespace/ent', { Name: 'ent', Quota: 'gold' });
  await admin('PUT', '/v1/namespace/bad_name', { Name: 'bad_name', Description: 'x'.repeat(257) });
  await admin('PUT', '/v1/namespace', { Description: 'no name' });
  await admin('GET', '/v1/namespace/ent');
  await admin('DELETE', '/v1/namespace/default');
  await admin('DELETE', '/v1/namespace/ghost');
  await admin('DELETE', '/v1/namespace/scratch');
  await admin('GET', '/v1/namespace/scratch');
  await wokenBy(
    '/v1/namespaces',
    () => arrange('PUT', '/v1/namespace/later', { Name: 'later' }),
    'PUT later',
  );
  await wokenBy(
    '/v1/namespace/payments',
    () => arrange('PUT', '/v1/namespace/payments', { Name: 'payments', Description: 'Payments team' }),
    'PUT payments',
  );
  await wokenBy(
    '/v1/namespace/sooner',
    () => arrange('PUT', '/v1/namespace/sooner', { Name: 'sooner' }),
    'PUT sooner',
  );

  // Node pools.
  await admin('PUT', '/v1/node/pools', {
    Name: 'general',
    Description: 'Nodes for everyone',
    Meta: { tier: 'shared' },
  });
  await admin('GET', '/v1/node/pool/general');
  await admin('PUT', '/v1/node/pool/general', {
    Name: 'general',
    Description: 'changed',
    NodeIdentityTTL: '2h',
  });
  await admin('GET', '/v1/node/pool/general');
  await admin('PUT', '/v1/node/pool/general', { Name: 'general', NodeIdentityTTL: 3_600_000_000_000 });
  await admin('GET', '/v1/node/pools?prefix=gen');
  await admin('PUT', '/v1/node/pool/general', { Name: 'other' });
  await admin('PUT', '/v1/node/pools', {
    Name: 'sched',
    SchedulerConfiguration: { SchedulerAlgorithm: 'spread' },
  });
  await admin('PUT', '/v1/node/pools', { Name: 'default', Description: 'mine' });
  await admin('PUT', '/v1/node/pools', { Name: 'all' });
  await admin('PUT', '/v1/node/pools', { Name: 'bad name' });
  await admin('DELETE', '/v1/node/pool/all');
  await admin('DELETE', '/v1/node/pool/default');
  await admin('DELETE', '/v1/node/pool/ghost');
  await admin('PUT', '/v1/jobs', { Job: { ...SHAPE_JOB, ID: 'astray', Name: 'astray', NodePool: 'ghost' } });
  await arrange('PUT', '/v1/jobs', {
    Job: { ...SHAPE_JOB, ID: 'pooled', Name: 'pooled', NodePool: 'general' },
  });
  await admin('DELETE', '/v1/node/pool/general');
  await arrange('DELETE', '/v1/job/pooled?purge=true');
  await admin('DELETE', '/v1/node/pool/general');
  await admin('GET', '/v1/node/pool/general');
  await wokenBy('/v1/node/pools', () => arrange('PUT', '/v1/node/pools', { Name: 'general' }), 'PUT general');
  await wokenBy(
    '/v1/node/pool/general',
    () => arrange('PUT', '/v1/node/pools', { Name: 'general', Description: 'Nodes for everyone' }),
    'PUT general',
  );

  // ACL policies.
  await admin('PUT', '/v1/acl/policy/payments-deploy', {
    Name: 'payments-deploy',
    Description: 'CI deploys payments',
    Rules: POLICY_RULES,
    JobACL: { Namespace: 'payments', JobID: 'api' },
  });
  await admin('GET', '/v1/acl/policy/payments-deploy');
  await admin('PUT', '/v1/acl/policy/ns-reader', { Name: 'ns-reader', Rules: READER_RULES });
  await admin('PUT', '/v1/acl/policy/vars-writer', { Name: 'vars-writer', Rules: VARS_WRITER_RULES });
  await admin('PUT', '/v1/acl/policy/empty', { Name: 'empty', Rules: '' });
  await admin('GET', '/v1/acl/policy/empty');
  await admin('GET', '/v1/acl/policies');
  await admin('GET', '/v1/acl/policies?prefix=ns');
  await admin('PUT', '/v1/acl/policy/x', { Name: 'y', Rules: '' });
  await admin('PUT', '/v1/acl/policy/bad', { Name: 'bad', Rules: 'namespace "default" { policy = "reed" }' });
  await admin('PUT', '/v1/acl/policy/bad', { Name: 'bad', Rules: 'namespce "default" { policy = "read" }' });
  await admin('PUT', '/v1/acl/policy/bad', {
    Name: 'bad',
    Rules: READER_RULES,
    JobACL: { JobID: 'api' },
  });
  await admin('PUT', '/v1/acl/policy/bad_name', { Name: 'bad_name', Rules: READER_RULES });
  await admin('DELETE', '/v1/acl/policy/empty');
  await admin('DELETE', '/v1/acl/policy/ghost');
  await wokenBy(
    '/v1/acl/policies',
    () => arrange('PUT', '/v1/acl/policy/empty', { Name: 'empty', Rules: '' }),
    'PUT empty',
  );
  await wokenBy(
    '/v1/acl/policy/empty',
    () => arrange('PUT', '/v1/acl/policy/empty', { Name: 'empty', Description: 'again', Rules: '' }),
    'PUT empty',
  );

  // ACL roles: named, updated and deleted by ID.
  const created = await admin('PUT', '/v1/acl/role', {
    Name: 'payments-ci',
    Description: 'Pipelines of the payments team',
    Policies: [{ Name: 'payments-deploy' }, { Name: 'payments-deploy' }],
  });
  const roleId = (JSON.parse(created) as { ID: string }).ID;
  await admin('GET', `/v1/acl/role/${roleId}`);
  await admin('GET', '/v1/acl/role/name/payments-ci');
  await admin('GET', '/v1/acl/roles');
  await admin('PUT', '/v1/acl/role', { Name: 'payments-ci', Policies: [{ Name: 'ns-reader' }] });
  await admin('PUT', '/v1/acl/role', { Name: 'ghostly', Policies: [{ Name: 'ghost' }] });
  await admin('PUT', '/v1/acl/role', { Name: 'none', Policies: [] });
  await admin('PUT', '/v1/acl/role', { Name: 'bad_name', Policies: [{ Name: 'ns-reader' }] });
  await admin('PUT', `/v1/acl/role/${roleId}`, {
    ID: roleId,
    Name: 'payments-ci',
    Description: 'changed',
    Policies: [{ Name: 'ns-reader' }, { Name: 'payments-deploy' }],
  });
  await admin('PUT', `/v1/acl/role/${roleId}`, { Name: 'payments-ci', Policies: [{ Name: 'ns-reader' }] });
  await admin('PUT', `/v1/acl/role/${ZERO_ID}`, {
    ID: ZERO_ID,
    Name: 'x',
    Policies: [{ Name: 'ns-reader' }],
  });
  await admin('PUT', '/v1/acl/role', { ID: ZERO_ID, Name: 'x', Policies: [{ Name: 'ns-reader' }] });
  await admin('DELETE', `/v1/acl/role/${ZERO_ID}`);
  await arrange('PUT', '/v1/acl/role', { Name: 'short-lived', Policies: [{ Name: 'empty' }] });
  await admin('DELETE', '/v1/acl/policy/empty');
  await admin('GET', '/v1/acl/role/name/short-lived');
  const shortLived = await arrange<{ ID: string }>('GET', '/v1/acl/role/name/short-lived');
  await admin('DELETE', `/v1/acl/role/${shortLived.ID}`);
  await admin('GET', `/v1/acl/role/${shortLived.ID}`);
  await wokenBy(
    '/v1/acl/roles',
    () => arrange('PUT', '/v1/acl/role', { Name: 'woken', Policies: [{ Name: 'ns-reader' }] }),
    'PUT a role',
  );

  // Variables, written with check-and-set.
  const api = '/v1/var/nomad/jobs/api?namespace=payments';
  await admin('GET', '/v1/vars?namespace=payments');
  const written = await admin('PUT', `${api}&cas=0`, { Items: { db_password: 'first' } });
  const writtenIndex = (JSON.parse(written) as { ModifyIndex: number }).ModifyIndex;
  await admin('PUT', `${api}&cas=0`, { Items: { db_password: 'second' } });
  await admin('PUT', `${api}&cas=${writtenIndex}`, { Items: { db_password: 'second' } });
  await admin('PUT', `${api}&cas=${writtenIndex}`, { Items: { db_password: 'third' } });
  await admin('PUT', '/v1/var/nomad/jobs/ghost?namespace=payments&cas=7', { Items: { a: 'b' } });
  await admin('GET', api);
  await admin('GET', '/v1/vars?namespace=payments');
  await admin('GET', '/v1/vars?namespace=payments&prefix=nomad/jobs/a');
  await admin('GET', '/v1/vars?namespace=*');
  await admin('GET', '/v1/vars');
  await admin('DELETE', `${api}&cas=1`);
  await admin('DELETE', '/v1/var/nomad/jobs/ghost?namespace=payments');
  await wokenBy(
    '/v1/vars?namespace=payments',
    () => arrange('PUT', '/v1/var/nomad/jobs/woken?namespace=payments', { Items: { a: 'b' } }),
    'PUT a variable',
  );

  // Tokens with less than management.
  const token = async (name: string, link: { Policies?: string[]; Roles?: Array<{ ID: string }> }) =>
    (await arrange<{ SecretID: string }>('PUT', '/v1/acl/token', { Name: name, Type: 'client', ...link }))
      .SecretID;
  const tokens: Array<[string, string | undefined]> = [
    ['namespace reader', await token('reader', { Policies: ['ns-reader'] })],
    ['variables writer', await token('writer', { Policies: ['vars-writer'] })],
    ['role payments-ci', await token('ci', { Roles: [{ ID: roleId }] })],
    ['anonymous', undefined],
    ['unknown token', '00000000-1111-2222-3333-444444444444'],
  ];
  for (const [as, secret] of tokens) {
    const ask = (method: string, path: string, body?: unknown) => send(as, secret, method, path, body);
    await ask('GET', '/v1/acl/token/self');
    await ask('GET', '/v1/namespaces');
    await ask('GET', '/v1/namespace/payments');
    await ask('GET', '/v1/namespace/default');
    await ask('GET', '/v1/namespace/ghost');
    await ask('GET', '/v1/node/pools');
    await ask('GET', '/v1/node/pool/general');
    await ask('GET', '/v1/node/pool/ghost');
    await ask('GET', '/v1/acl/policies');
    await ask('GET', '/v1/acl/policy/ns-reader');
    await ask('GET', '/v1/acl/policy/payments-deploy');
    await ask('GET', '/v1/acl/policy/ghost');
    await ask('GET', '/v1/acl/roles');
    await ask('GET', `/v1/acl/role/${roleId}`);
    await ask('GET', '/v1/acl/role/name/payments-ci');
    await ask('GET', '/v1/vars?namespace=payments');
    await ask('GET', api);
    await ask('GET', '/v1/var/nomad/jobs/ghost?namespace=payments');
    await ask('PUT', `${api}&cas=1`, { Items: { db_password: 'stale' } });
    await ask('DELETE', `${api}&cas=1`);
    await ask('PUT', '/v1/namespace/payments', { Name: 'payments' });
    await ask('DELETE', '/v1/namespace/payments');
    await ask('PUT', '/v1/node/pools', { Name: 'mine' });
    await ask('DELETE', '/v1/node/pool/general');
    await ask('PUT', '/v1/acl/policy/ns-reader', { Name: 'ns-reader', Rules: READER_RULES });
    await ask('DELETE', '/v1/acl/policy/ns-reader');
    await ask('PUT', '/v1/acl/role', { Name: 'mine', Policies: [{ Name: 'ns-reader' }] });
    await ask('DELETE', `/v1/acl/role/${roleId}`);
  }

  // A namespace that still holds a running job and variables, then only variables, then nothing.
  await arrange('PUT', '/v1/jobs?namespace=payments', { Job: { ...SLEEPER, Namespace: 'payments' } });
  await waitFor(
    'the job to run',
    allocations((status) => status === 'running'),
  );
  await admin('DELETE', '/v1/namespace/payments');
  await arrange('DELETE', '/v1/job/sleeper?namespace=payments');
  await waitFor('the job to stop', async () => {
    const job = await arrange<{ Status: string }>('GET', '/v1/job/sleeper?namespace=payments');
    const stopped = allocations((status) => status === 'complete' || status === 'failed');
    return job.Status === 'dead' && (await stopped());
  });
  await admin('DELETE', '/v1/namespace/payments');
  await arrange('DELETE', '/v1/var/nomad/jobs/api?namespace=payments');
  await arrange('DELETE', '/v1/var/nomad/jobs/woken?namespace=payments');
  await admin('DELETE', '/v1/namespace/payments');
  await admin('GET', '/v1/namespaces');
  return { answers, blocking };
}

/** What a cluster with ACLs off answers about ACL policies, roles and tokens. */
export async function exerciseAclDisabled(address: string): Promise<EstateAnswer[]> {
  const answers: EstateAnswer[] = [];
  const requests: Array<[string, string, unknown?]> = [
    ['GET', '/v1/acl/policies'],
    ['GET', '/v1/acl/policy/ghost'],
    ['PUT', '/v1/acl/policy/ghost', { Name: 'ghost', Rules: READER_RULES }],
    ['GET', '/v1/acl/roles'],
    ['PUT', '/v1/acl/role', { Name: 'ghost', Policies: [{ Name: 'ghost' }] }],
    ['GET', '/v1/acl/token/self'],
  ];
  for (const [method, path, body] of requests) {
    const response = await fetch(`${address}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const index = response.headers.get('x-nomad-index');
    answers.push({
      as: 'no token, ACLs off',
      request: `${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`,
      status: response.status,
      contentType: response.headers.get('content-type'),
      index: index === null ? null : normalize(index),
      body: normalize(await response.text()),
    });
  }
  return answers;
}
