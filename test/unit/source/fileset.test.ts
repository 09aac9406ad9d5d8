import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesetPaths, MAX_FILESET_ENTRIES } from '../../../src/source/hcl/fileset.js';
import { loadJob } from '../../../src/source/load-job.js';

let base: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'drover-fileset-'));
  for (const dir of ['sub/deep', 'other', 'many']) mkdirSync(join(base, dir), { recursive: true });
  for (const file of ['a.txt', 'sub/b.txt', 'sub/deep/c.txt', 'other/d.txt'])
    writeFileSync(join(base, file), '');
  for (let i = 0; i < 30; i++) writeFileSync(join(base, 'many', `f${i}.txt`), '');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const sorted = (paths: string[]) => [...paths].sort();

// A limit of 10 entries: the whole tree has 40, so each of these must walk only where its pattern can match.
describe('fileset walks only as deep, and only into the directories, that its pattern can match', () => {
  it.each([
    ['*.txt', ['a.txt']],
    ['sub/*.txt', ['sub/b.txt']],
    ['sub/*/*.txt', ['sub/deep/c.txt']],
    ['s?b/deep/*', ['sub/deep/c.txt']],
    ['{sub,other}/*.txt', ['other/d.txt', 'sub/b.txt']],
    ['sub/**/*.txt', ['sub/b.txt', 'sub/deep/c.txt']],
  ])('%s', (pattern, matches) => {
    expect(sorted(filesetPaths(base, pattern, 10))).toEqual(matches);
  });

  it('still walks a whole tree for a leading **, within the limit', () => {
    expect(filesetPaths(base, '**/*.txt')).toHaveLength(34);
  });

  it.each([
    ['{sub/deep,other}/*.txt', ['other/d.txt', 'sub/deep/c.txt']],
    ['sub[/]b.txt', ['sub/b.txt']],
  ])('reads %s, whose braces or class hold a "/", by depth alone', (pattern, matches) => {
    expect(sorted(filesetPaths(base, pattern))).toEqual(matches);
  });

  it('stops a walk past the limit, naming it', () => {
    expect(() => filesetPaths(base, '**/*.txt', 10)).toThrow(
      `matching "**/*.txt" under ${base} visits more than 10 files and directories, the most one fileset() call reads; give it a narrower base directory or a pattern without "**"`,
    );
    expect(MAX_FILESET_ENTRIES).toBe(100_000);
  });
});

describe('fileset in a job', () => {
  it('reads fileset("/", "x") from the root directory alone (it walked the whole disk: 5-14 s, 470 MB)', () => {
    const source = `job "h" {\n  meta {\n    a = length(fileset("/", "x"))\n  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n`;
    const loaded = loadJob(join(base, 'job.nomad.hcl'), source, { env: {} });
    expect(loaded.diagnostics).toEqual([]);
    expect((loaded.job?.['Meta'] as Record<string, string>)['a']).toBe('0');
  });
});
