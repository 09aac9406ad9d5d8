import { detectDrift } from '../../../src/drift/detect-drift.js';
import type { HistoryRecord } from '../../../src/history/record.js';
import { deployed } from '../../support/plan-env.js';
import { serviceJob, startSimulatedNomad, type SimulatedNomad } from '../../support/simulated-nomad.js';

const record = (jobs: HistoryRecord['jobs'], omitted?: HistoryRecord['omitted']): HistoryRecord => ({
  finished: '2026-12-07T01:00:00.000Z',
  started: '2026-12-07T00:59:00.000Z',
  holder: 'ci',
  command: 'apply',
  drover_version: '0.1.0',
  plan_checksum: 'f'.repeat(64),
  outcome: 'succeeded',
  jobs,
  ...(omitted ? { omitted } : {}),
});

describe('drift against a history that lists only part of a large run', () => {
  let env: SimulatedNomad;
  beforeEach(async () => {
    env = await startSimulatedNomad();
  });
  afterEach(() => env.close());

  it('counts the jobs it cannot vouch for instead of calling them unknown to the history', async () => {
    await deployed(env, [serviceJob('listed'), serviceJob('left-out-1'), serviceJob('left-out-2')]);
    const listed = (await env.nomad.jobs.read('listed')).body.JobModifyIndex!;
    const entry = { id: 'listed', namespace: 'default', action: 'create' as const, outcome: 'succeeded' };
    const inputs = { client: env.nomad, stack: 'shop', stampKey: 'drover.stack' };

    const partial = await detectDrift({
      ...inputs,
      records: [record([{ ...entry, job_modify_index: listed }], { 'create succeeded': 2 })],
    });
    expect(partial).toEqual({ drifted: [], unlisted: 2 });

    const whole = await detectDrift({
      ...inputs,
      records: [record([{ ...entry, job_modify_index: listed }])],
    });
    expect(whole.unlisted).toBe(0);
    expect(whole.drifted.map((f) => `${f.id} ${f.kind}`)).toEqual([
      'left-out-1 not-in-history',
      'left-out-2 not-in-history',
    ]);
  });
});
