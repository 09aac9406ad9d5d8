import { namespaceAddress } from '../../../src/kinds/namespace/change.js';
import { jobAddress } from '../../../src/kinds/job/change.js';
import type { ApplyResult } from '../../../src/apply/apply-plan.js';
import {
  MAX_BYTES,
  MAX_RECORD_BYTES,
  MAX_RECORDS,
  parseRecords,
  prepend,
  recordOf,
  type HistoryRecord,
} from '../../../src/history/record.js';

const record = (n: number, jobs = 1): HistoryRecord => ({
  finished: `2026-12-01T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
  started: '2026-12-01T09:59:00.000Z',
  holder: `run ${n}`,
  command: 'apply',
  drover_version: '0.1.0',
  plan_checksum: 'f'.repeat(64),
  outcome: 'succeeded',
  jobs: Array.from({ length: jobs }, (_, i) => ({
    id: `job-${i}`,
    namespace: 'default',
    action: 'update' as const,
    outcome: 'succeeded',
    version: n,
    job_modify_index: 1000 + n,
  })),
});

describe('the history variable stays bounded', () => {
  it(`keeps the newest ${MAX_RECORDS} records, newest first`, () => {
    let records: HistoryRecord[] = [];
    for (let n = 1; n <= 80; n++) records = prepend(record(n), records);
    expect(records).toHaveLength(MAX_RECORDS);
    expect(records[0]!.holder).toBe('run 80');
    expect(records.at(-1)!.holder).toBe('run 31');
  });

  it('drops the oldest records to stay under 48 KiB (Nomad refuses variables past 64 KiB)', () => {
    let records: HistoryRecord[] = [];
    for (let n = 1; n <= 40; n++) records = prepend(record(n, 20), records);
    const size = JSON.stringify(records).length;
    expect(size).toBeLessThanOrEqual(MAX_BYTES);
    expect(records.length).toBeLessThan(40);
    expect(records[0]!.holder).toBe('run 40');
  });

  it('reads a missing or damaged history as empty', () => {
    expect(parseRecords(undefined)).toEqual([]);
    expect(parseRecords({ records: '{not json' })).toEqual([]);
    expect(parseRecords({ records: '{"a":1}' })).toEqual([]);
  });

  it("records a namespace's change apart from the jobs, so that drift never looks for a job of its name", () => {
    const result: ApplyResult = {
      ok: true,
      cancelled: false,
      results: [
        {
          address: namespaceAddress('default', 'payments'),
          action: 'create',
          outcome: 'succeeded',
          message: 'created',
          durationMs: 3,
          explanation: [],
        },
        {
          address: jobAddress('default', 'payments', 'api'),
          action: 'create',
          outcome: 'succeeded',
          message: 'Deployment completed successfully',
          version: 0,
          jobModifyIndex: 12,
          durationMs: 900,
          explanation: [],
        },
      ],
    };
    const holder = {
      holder: 'ci',
      command: 'apply',
      started: '2026-12-07T00:00:00.000Z',
      drover_version: '0.1.0',
    };
    const made = recordOf(holder, result, {
      planChecksum: 'f'.repeat(64),
      lockLost: false,
      finished: new Date(),
    });
    expect(made.jobs).toEqual([
      {
        id: 'api',
        namespace: 'payments',
        action: 'create',
        outcome: 'succeeded',
        version: 0,
        job_modify_index: 12,
      },
    ]);
    expect(made.objects).toEqual([
      { kind: 'namespace', name: 'payments', action: 'create', outcome: 'succeeded' },
    ]);
  });

  it('summarises a run of 2,000 jobs to its share: failures kept first, the rest counted', () => {
    const results = Array.from({ length: 2_000 }, (_, i) => ({
      address: jobAddress('default', 'default', `service-number-${String(i).padStart(4, '0')}`),
      action: i % 10 === 0 ? ('noop' as const) : ('create' as const),
      outcome: i % 10 === 0 ? 'unchanged' : i === 1_999 ? 'failed' : 'succeeded',
      message: '',
      durationMs: 1,
      explanation: [],
      version: 0,
      jobModifyIndex: 10_000 + i,
    }));
    const result = { results, ok: false, cancelled: false } as unknown as ApplyResult;
    const holder = {
      holder: 'ci',
      command: 'apply',
      started: '2026-12-07T00:00:00.000Z',
      drover_version: '0.1.0',
    };
    const record = recordOf(holder, result, {
      planChecksum: 'f'.repeat(64),
      lockLost: false,
      finished: new Date(),
    });
    expect(JSON.stringify(record).length).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    expect(record.outcome).toBe('failed');
    expect(record.jobs).toContainEqual(
      expect.objectContaining({ id: 'service-number-1999', outcome: 'failed' }),
    );
    expect(record.jobs.some((j) => j.action === 'noop')).toBe(false);
    const counted = Object.values(record.omitted ?? {}).reduce((a, b) => a + b, 0);
    expect(record.jobs.length + counted).toBe(1_800);
    expect(record.omitted).toEqual({ 'create succeeded': counted });
    // The history holding it, with older runs, stays far below Nomad's 64 KiB per variable.
    let records: HistoryRecord[] = [];
    for (let n = 0; n < 5; n++) records = prepend(record, records);
    expect(JSON.stringify(JSON.stringify(records)).length).toBeLessThan(64 * 1024);
  });
});
