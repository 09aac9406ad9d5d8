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

export function keyPaths(value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, path: string, parentKey: string) => {
    if (Array.isArray(v)) {
      for (const item of v) walk(item, `${path}[]`, '');
    } else if (v && typeof v === 'object') {
      const dataKeyed = DATA_KEYED.has(parentKey);
      for (const [k, child] of Object.entries(v)) {
        const key = dataKeyed ? '*' : k;
        out.add(`${path}.${key}`);
        walk(child, `${path}.${key}`, k);
      }
    }
  };
  walk(value, '', '');
  return [...out].sort();
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

export type Shapes = Record<string, string[]>;

/**
 * Registers SHAPE_JOB, lets the cluster settle (`settle` waits or advances the simulator's clock), then reads every
 * object drover reads about it.
 */
export async function exerciseApi(address: string, settle: () => Promise<void>): Promise<Shapes> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${address}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown> & { EvalID?: string }>;
  };
  const register = await call('PUT', '/v1/jobs', { Job: SHAPE_JOB });
  await settle();
  const stubs = (await call('GET', '/v1/jobs?meta=true')) as unknown as Array<{ ID: string }>;
  const group = { ...SHAPE_JOB.TaskGroups[0]!, Count: 2 };
  return {
    'PUT /v1/jobs': keyPaths(register),
    'GET /v1/job/:id': keyPaths(await call('GET', '/v1/job/shape')),
    'GET /v1/jobs?meta=true': keyPaths(stubs.filter((s) => s.ID === 'shape')),
    'PUT /v1/job/:id/plan': keyPaths(
      await call('PUT', '/v1/job/shape/plan', { Job: { ...SHAPE_JOB, TaskGroups: [group] }, Diff: true }),
    ),
    'GET /v1/evaluation/:id': keyPaths(await call('GET', `/v1/evaluation/${register.EvalID}`)),
    'GET /v1/job/:id/allocations': keyPaths(await call('GET', '/v1/job/shape/allocations')),
    'GET /v1/job/:id/deployment': keyPaths(await call('GET', '/v1/job/shape/deployment')),
  };
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
