import type { FieldDiff, Job } from '../../../src/nomad/types.js';
import { localDiff } from '../../../src/plan/local-diff.js';

const job = (fields: Record<string, unknown>): Job => ({ ID: 'web', ...fields }) as unknown as Job;

/** `Type Name: Old -> New` for each field of the diff, in its order. */
const shown = (fields: readonly FieldDiff[] | null) =>
  (fields ?? []).map((f) => `${f.Type} ${f.Name}: ${f.Old} -> ${f.New}`);

const manyKeys = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, String(i)]));

describe('the diff drover computes itself', () => {
  it('shows every field of a new job as added, in path order, user map keys in brackets', () => {
    const diff = localDiff(
      {} as Job,
      job({ Priority: 50, Meta: { b: '2', a: '1' }, Datacenters: ['dc2', 'dc1'], Update: { Stagger: 1 } }),
      false,
    );
    expect(shown(diff.Fields)).toEqual([
      'Added Datacenters[0]:  -> dc2',
      'Added Datacenters[1]:  -> dc1',
      'Added ID:  -> web',
      'Added Meta[a]:  -> 1',
      'Added Meta[b]:  -> 2',
      'Added Priority:  -> 50',
      'Added Update.Stagger:  -> 1',
    ]);
  });

  it('finds the one key added, the one edited and the one removed among 20,000 that did not change', () => {
    const before = manyKeys(20_000);
    const after: Record<string, string> = { ...before, k7: 'seven', new: 'x' };
    delete after.k19999;
    const diff = localDiff(job({ Meta: before }), job({ Meta: after }), false);
    expect(diff.Type).toBe('Edited');
    expect(shown(diff.Fields)).toEqual([
      'Deleted Meta[k19999]: 19999 -> ',
      'Edited Meta[k7]: 7 -> seven',
      'Added Meta[new]:  -> x',
    ]);
  });

  it('shows nothing for a job that did not change, whether or not it is the same object', () => {
    const meta = manyKeys(20_000);
    const same = job({ Meta: meta, Datacenters: ['dc1'], Count: null });
    expect(localDiff(same, same, false)).toMatchObject({ Type: 'None', Fields: null });
    const copy = job({ Meta: { ...meta }, Datacenters: ['dc1'], Count: null });
    expect(localDiff(same, copy, false)).toMatchObject({ Type: 'None', Fields: null });
  });

  it('compares lists item by item and a value that changes shape path by path', () => {
    const diff = localDiff(
      job({ Datacenters: ['dc1', 'dc2', 'dc3'], Args: [], Config: { ports: ['http'] }, Meta: { a: '1' } }),
      job({ Datacenters: ['dc1', 'dc9'], Args: ['-v'], Config: { ports: 'http' }, Meta: { a: 1 } }),
      false,
    );
    expect(shown(diff.Fields)).toEqual([
      'Deleted Args: [] -> ',
      'Added Args[0]:  -> -v',
      'Added Config[ports]:  -> http',
      'Deleted Config[ports][0]: http -> ',
      'Edited Datacenters[1]: dc2 -> dc9',
      'Deleted Datacenters[2]: dc3 -> ',
    ]);
  });

  it('against a live job, leaves out what the file does not set', () => {
    const diff = localDiff(
      job({ Priority: 50, Region: 'global', Meta: { a: '1', b: '2' } }),
      job({ Priority: 70, Region: null, Meta: { a: '1' } }),
      true,
    );
    expect(shown(diff.Fields)).toEqual(['Edited Priority: 50 -> 70']);
  });
});
