/**
 * The shapes of the answers drover reads, as key paths (`.TaskGroups[].Count`), taken the same way from a real
 * Nomad agent (recorded into test/fixtures/nomad-2.0.5/shapes.json by the real-agent suite) and from the
 * simulator (held to the recording by test/simulator/conformance.test.ts).
 */

/**
 * Maps keyed by data (group, task, label names), not by the schema: their keys are written as `*`. A list under
 * the same name (a job's TaskGroups) is not a map and keeps its keys.
 */
const DATA_KEYED = new Set([
  'Meta',
  'DesiredTGUpdates',
  'TaskStates',
  'Summary',
  'TaskGroups',
  'Tasks',
  'Updates',
]);

/** Every key path of a JSON value with the JSON types seen there (`number`, `null|object`, …). */
export function keyPaths(value: unknown): Record<string, string> {
  const seen = new Map<string, Set<string>>();
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const walk = (v: unknown, path: string, parentKey: string) => {
    if (Array.isArray(v)) {
      for (const item of v) walk(item, `${path}[]`, '');
    } else if (v && typeof v === 'object') {
      const dataKeyed = DATA_KEYED.has(parentKey);
      for (const [k, child] of Object.entries(v)) {
        const key = dataKeyed ? '*' : k;
        const at = `${path}.${key}`;
        seen.set(at, (seen.get(at) ?? new Set()).add(typeOf(child)));
        walk(child, at, k);
      }
    }
  };
  walk(value, '', '');
  return Object.fromEntries(
    [...seen]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, types]) => [path, [...types].sort().join('|')]),
  );
}

/** The job every recording registers: a raw_exec service with a deployment. */
export const SHAPE_JOB = {
  ID: 'shape',
  Name: 'shape',
  Type: 'service',
  Datacenters: ['*'],
  TaskGroups: [
    {
      Name: 'g',
      Count: 1,
      Update: { MinHealthyTime: 1_000_000_000, HealthyDeadline: 60_000_000_000 },
      Tasks: [{ Name: 't', Driver: 'raw_exec', Config: { command: '/bin/sleep', args: ['3600'] } }],
    },
  ],
};

export type Shapes = Record<string, Record<string, string>>;

/** What drover sends with a registration: the job file's source. */
const SUBMISSION = { Source: 'job "shape" {}', Format: 'hcl2', VariableFlags: { a: '1' }, Variables: '' };

/** The parts of /v1/agent/self drover reads (the rest is the agent's whole configuration). */
const AGENT_SELF_READ = /^\.(config\.(Region|Datacenter|Version)|member\.Tags)\b/;

/** The management token's header on an agent with ACLs on (the real-agent suite's default). */
export const tokenHeader = (token: string | undefined): Record<string, string> =>
  token ? { 'X-Nomad-Token': token } : {};

async function call(address: string, method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${address}${path}`, {
    method,
    headers: tokenHeader(token),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown> & { EvalID?: string; ID?: string }>;
}

/**
 * Registers SHAPE_JOB, lets the cluster settle (`settle` waits or advances the simulator's clock), then reads
 * every answer drover reads about it, and ends with a revert and a deregistration.
 */
export async function exerciseApi(
  address: string,
  settle: () => Promise<void>,
  token?: string,
): Promise<Shapes> {
  const send = (method: string, path: string, body?: unknown) => call(address, method, path, body, token);
  const get = (path: string) => send('GET', path);
  const register = await send('PUT', '/v1/jobs', { Job: SHAPE_JOB, Submission: SUBMISSION });
  await settle();
  const stubs = (await get('/v1/jobs?meta=true')) as unknown as Array<{ ID: string }>;
  const group = { ...SHAPE_JOB.TaskGroups[0]!, Count: 2 };
  const deployment = await get('/v1/job/shape/deployment');
  const self = await get('/v1/agent/self');
  const shapes: Shapes = {
    'PUT /v1/jobs': keyPaths(register),
    'GET /v1/job/:id': keyPaths(await get('/v1/job/shape')),
    'GET /v1/jobs?meta=true': keyPaths(stubs.filter((s) => s.ID === 'shape')),
    'PUT /v1/job/:id/plan': keyPaths(
      await send('PUT', '/v1/job/shape/plan', {
        Job: { ...SHAPE_JOB, TaskGroups: [group] },
        Diff: true,
      }),
    ),
    'GET /v1/evaluation/:id': keyPaths(await get(`/v1/evaluation/${register.EvalID}`)),
    'GET /v1/job/:id/allocations': keyPaths(await get('/v1/job/shape/allocations')),
    'GET /v1/job/:id/deployment': keyPaths(deployment),
    'GET /v1/deployment/:id': keyPaths(await get(`/v1/deployment/${deployment.ID}`)),
    'GET /v1/deployment/allocations/:id': keyPaths(await get(`/v1/deployment/allocations/${deployment.ID}`)),
    'GET /v1/job/:id/versions': keyPaths(await get('/v1/job/shape/versions?diffs=true')),
    'GET /v1/job/:id/submission': keyPaths(await get('/v1/job/shape/submission?version=0')),
    'GET /v1/namespace/:name': keyPaths(await get('/v1/namespace/default')),
    'GET /v1/status/leader': keyPaths({ leader: await get('/v1/status/leader') }),
    'GET /v1/agent/self': Object.fromEntries(
      Object.entries(keyPaths(self)).filter(([path]) => AGENT_SELF_READ.test(path)),
    ),
  };
  Object.assign(shapes, await eventShapes(address, token));
  await send('PUT', '/v1/jobs', { Job: { ...SHAPE_JOB, TaskGroups: [group] } });
  await settle();
  shapes['PUT /v1/job/:id/revert'] = keyPaths(
    await send('PUT', '/v1/job/shape/revert', {
      JobID: 'shape',
      JobVersion: 0,
      EnforcePriorVersion: 1,
    }),
  );
  shapes['DELETE /v1/job/:id'] = keyPaths(await send('DELETE', '/v1/job/shape'));
  return shapes;
}

/**
 * The event stream's batches about SHAPE_JOB so far (replayed from the broker's buffer), by topic. Left out: a
 * client's report of an allocation still setting up (its tasks pending, StartedAt null), which a real client
 * sends only when setting up outlasts its 200 ms sync batch: on a busy machine some runs, on an idle one rarely.
 */
async function eventShapes(address: string, token?: string): Promise<Shapes> {
  const topics = ['Job', 'Evaluation', 'Deployment', 'Allocation'];
  const query = topics.map((t) => `topic=${t}:shape`).join('&');
  const { text } = await streamOpening(address, `/v1/event/stream?${query}`, token, 1500);
  type Event = { Topic: string; Type: string; Payload: { Allocation?: { ClientStatus?: string } } };
  const events = text
    .split('\n')
    .filter((line) => line.trim() !== '' && line !== '{}')
    .flatMap((line) => (JSON.parse(line) as { Events: Event[] }).Events)
    .filter((e) => !(e.Type === 'AllocationUpdated' && e.Payload.Allocation?.ClientStatus === 'pending'));
  return Object.fromEntries(
    topics.map((topic) => [`event ${topic}`, keyPaths(events.filter((e) => e.Topic === topic))]),
  );
}

export interface ErrorAnswer {
  readonly request: string;
  readonly status: number;
  readonly body: string;
  readonly indexHeader: boolean;
}

/** Requests Nomad refuses, whose status and text drover reads (EnforceIndex conflicts are parsed). */
export async function exerciseErrors(address: string, token?: string): Promise<ErrorAnswer[]> {
  const job = { ...SHAPE_JOB, ID: 'refused', Name: 'refused' };
  const registered = await call(address, 'PUT', '/v1/jobs', { Job: job }, token);
  const modifyIndex = registered.JobModifyIndex as number;
  const requests: Array<[string, string, unknown?]> = [
    ['PUT', '/v1/jobs', { Job: job, EnforceIndex: true, JobModifyIndex: 0 }],
    ['PUT', '/v1/jobs', { Job: job, EnforceIndex: true, JobModifyIndex: modifyIndex + 1000 }],
    [
      'PUT',
      '/v1/jobs',
      { Job: { ...job, ID: 'absent', Name: 'absent' }, EnforceIndex: true, JobModifyIndex: 5 },
    ],
    ['PUT', '/v1/jobs', { Job: { ...job, TaskGroups: [] } }],
    ['PUT', '/v1/jobs', { Job: { ...job, Type: 'microservice' } }],
    ['PUT', '/v1/jobs', { Job: { ...job, Type: 'batch' } }],
    [
      'PUT',
      '/v1/jobs',
      {
        Job: {
          ...job,
          Type: 'batch',
          TaskGroups: [{ ...job.TaskGroups[0], Update: undefined }],
          Update: { MaxParallel: 0 },
        },
      },
    ],
    ['PUT', '/v1/job/refused/plan', { Job: { ...job, ID: 'other', Name: 'other' } }],
    ['PUT', '/v1/job/refused/revert', { JobID: 'refused', JobVersion: 7 }],
    ['PUT', '/v1/job/refused/revert', { JobID: 'refused', JobVersion: 0, EnforcePriorVersion: 3 }],
    ['PUT', '/v1/jobs', undefined],
    ['DELETE', '/v1/jobs'],
  ];
  const answers: ErrorAnswer[] = [];
  for (const [method, path, body] of requests) {
    const response = await fetch(`${address}${path}`, {
      method,
      headers: tokenHeader(token),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    answers.push({
      request:
        `${method} ${path} ${body === undefined ? '' : JSON.stringify(body).replace(/"JobModifyIndex":\d+/, '"JobModifyIndex":N')}`.trim(),
      status: response.status,
      body: (await response.text()).replace(/\b\d{2,}\b/g, 'N'),
      indexHeader: response.headers.has('x-nomad-index'),
    });
  }
  return answers;
}

export interface StreamOpening {
  readonly status: number;
  readonly contentType: string | null;
  /** Everything the stream sent within the time given. */
  readonly text: string;
}

/** How an event stream opens: its status and what it sends within `ms`; then the request is dropped. */
export async function streamOpening(
  address: string,
  path: string,
  token?: string,
  ms = 1500,
): Promise<StreamOpening> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  let text = '';
  try {
    const response = await fetch(`${address}${path}`, {
      headers: token ? { 'X-Nomad-Token': token } : {},
      signal: controller.signal,
    });
    try {
      for await (const chunk of response.body!) text += Buffer.from(chunk).toString('utf8');
    } catch {
      // the time given is over
    }
    return { status: response.status, contentType: response.headers.get('content-type'), text };
  } finally {
    clearTimeout(timer);
  }
}
