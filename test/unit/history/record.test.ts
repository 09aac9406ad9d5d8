import {
  MAX_BYTES,
  MAX_RECORDS,
  parseRecords,
  prepend,
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
});
