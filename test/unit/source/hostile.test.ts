import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_FILE_BYTES } from '../../../src/source/hcl/functions.js';
import { MAX_NESTING, MAX_SYNTAX_ERRORS } from '../../../src/source/hcl/parser.js';
import { MAX_DECODE_ERRORS } from '../../../src/source/jobspec/decode.js';
import { loadJob } from '../../../src/source/load-job.js';

/** A job whose meta `a` is the expression; everything else valid. */
const job = (expr: string, before = '') =>
  `${before}job "h" {\n  meta {\n    a = ${expr}\n  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "/bin/true"\n      }\n    }\n  }\n}\n`;

/** "file:line:col: summary" of every error (never a thrown exception: that would be an internal error). */
function errors(source: string, path = 'hostile.nomad.hcl', dir?: string): string[] {
  const loaded = loadJob(dir ? join(dir, path) : path, source, { env: {} });
  return loaded.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary}`);
}

const nestings: Record<string, (depth: number) => string> = {
  brackets: (n) => job(`jsonencode(${'['.repeat(n)}${']'.repeat(n)})`),
  parentheses: (n) => job(`${'('.repeat(n)}1${')'.repeat(n)}`),
  calls: (n) => job(`${'abs('.repeat(n)}1${')'.repeat(n)}`),
  operators: (n) => job(`${'1 + '.repeat(n)}1`),
  'unary operators': (n) => job(`${'-'.repeat(n)}1`),
  conditionals: (n) => job(`${'true ? '.repeat(n)}1${' : 2'.repeat(n)}`),
  objects: (n) => job(`jsonencode(${'{a = '.repeat(n)}1${'}'.repeat(n)})`),
  templates: (n) => job(`"${'${"'.repeat(n)}x${'"}'.repeat(n)}"`),
  'index chains': (n) =>
    job(`local.x${'[0]'.repeat(n)}`, `locals {\n  x = ${'['.repeat(n)}1${']'.repeat(n)}\n}\n`),
  blocks: (n) => `job "h" {\n${'group "g" {\n'.repeat(n)}${'}\n'.repeat(n)}}\n`,
  'template if directives': (n) => job(`"${'%{ if true }'.repeat(n)}x${'%{ endif }'.repeat(n)}"`),
  'template for directives': (n) => job(`"${'%{ for i in [1] }'.repeat(n)}x${'%{ endfor }'.repeat(n)}"`),
};

describe('hostile job files: an error with a position, never a crash or a hang', () => {
  it.each(Object.keys(nestings))(
    '%s nested 10,000 deep: "Nested too deeply" at the level past the limit',
    (kind) => {
      const found = errors(nestings[kind]!(10_000));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^\d+:\d+: Nested too deeply$/);
    },
  );

  it.each(Object.keys(nestings))(
    `%s nested ${MAX_NESTING - 10} deep still read without a nesting error`,
    (kind) => {
      const found = errors(nestings[kind]!(kind === 'templates' ? 120 : MAX_NESTING - 10));
      expect(found.filter((e) => e.includes('Nested too deeply'))).toEqual([]);
      if (kind !== 'blocks') expect(found).toEqual([]);
    },
  );

  it('refuses JSON jobs nested past the limit at the position where they go too deep', () => {
    const source = `{"Job":{"ID":"j","Meta":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`;
    const loaded = loadJob('deep.json', source, { env: {} });
    expect(
      loaded.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary}`),
    ).toEqual([expect.stringMatching(/^1:\d+: Invalid JSON$/)]);
    expect(loaded.diagnostics[0]!.detail).toContain(`nested more than ${MAX_NESTING} levels deep`);
  });

  it("refuses \\U escapes of characters UTF-8 cannot encode, with HCL's words", () => {
    const loaded = loadJob('esc.nomad.hcl', job('"\\U00110000 \\uD800"'), { env: {} });
    expect(loaded.diagnostics.map((d) => [d.range.start.column, d.summary, d.detail])).toEqual([
      [10, 'Invalid escape sequence', 'Cannot encode character U+110000 in UTF-8.'],
      [21, 'Invalid escape sequence', 'Cannot encode character U+d800 in UTF-8.'],
    ]);
  });

  it('stops for expressions and setproduct past a million elements, at the expression', () => {
    expect(
      errors(job('length([for a in range(1000): [for b in range(1000): [for c in range(1000): c]]])')),
    ).toEqual(['3:39: Result too large']);
    expect(errors(job('length(setproduct(range(1000), range(1000), range(1000)))'))).toEqual([
      '3:16: Result too large',
    ]);
    expect(errors(job('length(setproduct(range(1000), range(1000)))'))).toEqual([]);
  });

  it('evaluates 2,000 chained locals in linear time, whatever their order in the file', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => `  l${i + 1} = local.l${i} + 1\n`);
    for (const lines of [chain, [...chain].reverse()]) {
      const locals = `locals {\n${lines.join('')}  l0 = 1\n}\n`;
      const loaded = loadJob('chain.nomad.hcl', job('local.l2000', locals), { env: {} });
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect((loaded.job as { Meta: Record<string, string> }).Meta.a).toBe('2001');
    }
  });

  it('resolves a cycle of 2,000 locals broken by try() one local at a time, in linear time', () => {
    // l0 → l1 → … → l1999 → l0; only l1999 resolves at first (try's fallback), then each one before it.
    const lines = Array.from({ length: 1999 }, (_, i) => `  l${i} = local.l${i + 1} + 1\n`);
    const locals = `locals {\n${lines.join('')}  l1999 = try(local.l0, 0)\n}\n`;
    const loaded = loadJob('cycle.nomad.hcl', job('local.l0', locals), { env: {} });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect((loaded.job as { Meta: Record<string, string> }).Meta.a).toBe('1999');
  });

  it('refuses file() of a FIFO instead of blocking on it forever', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-fifo-'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    writeFileSync(join(dir, 'x'), '');
    const found = loadJob(join(dir, 'f.nomad.hcl'), job('file("pipe")'), { env: {} }).diagnostics;
    expect(found.map((d) => d.detail)).toEqual([expect.stringContaining('pipe is not a regular file')]);
  });

  it('refuses file() of a file larger than its bound before reading it (a sparse 11 MiB file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-big-'));
    const big = join(dir, 'big.txt');
    writeFileSync(big, '');
    truncateSync(big, MAX_FILE_BYTES + 1024 * 1024);
    const found = loadJob(join(dir, 'f.nomad.hcl'), job('file("big.txt")'), { env: {} }).diagnostics;
    expect(found.map((d) => d.detail)).toEqual([
      expect.stringContaining('big.txt is larger than 10 MiB, the most a job file may read'),
    ]);
  });

  it.each(['/proc/kmsg', '/dev/zero'].filter((path) => existsSync(path)))(
    'never blocks nor reads for ever on %s, which a stat may call readable',
    (path) => {
      const found = loadJob('f.nomad.hcl', job(`file("${path}")`), { env: {} }).diagnostics;
      expect(found).toHaveLength(1);
      expect(found[0]!.summary).toBe('Error in function call');
    },
  );

  it('matches a fileset pattern of 10,000 stars in linear time (RE2), not by backtracking', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-glob-'));
    writeFileSync(join(dir, `${'x'.repeat(200)}.txt`), '');
    const pattern = `${'*'.repeat(10_000)}a`;
    const loaded = loadJob(join(dir, 'f.nomad.hcl'), job(`length(fileset(".", "${pattern}"))`), { env: {} });
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.job!.Meta).toEqual({ a: '0' });
  });

  it.each(['%.1000000000f', '%1000000001d', '%-2000000s'])(
    'refuses format("%s") past its million-character bound instead of building gigabytes',
    (verb) => {
      const found = loadJob('f.nomad.hcl', job(`format("${verb}", 1)`), { env: {} }).diagnostics;
      expect(found.map((d) => d.detail)).toEqual([expect.stringMatching(/drover builds at most 1,000,000/)]);
    },
  );

  it('reads 180,000 variable blocks without overflowing the stack', () => {
    const variables = Array.from(
      { length: 180_000 },
      (_, i) => `variable "v${i}" {\n  default = 1\n}\n`,
    ).join('');
    const loaded = loadJob('many.nomad.hcl', job('var.v179999', variables), { env: {} });
    expect(errors(job('1'))).toEqual([]);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.declaredVariables).toHaveLength(180_000);
  }, 30_000);

  /** 40 locals, each twice the one before: 2^40 elements or characters if anything walked the last. */
  const doubling = (first: string, next: (previous: string) => string) =>
    `locals {\n  l0 = ${first}\n${Array.from({ length: 40 }, (_, i) => `  l${i + 1} = ${next(`local.l${i}`)}\n`).join('')}}\n`;

  it.each([
    ['lists', doubling('"x"', (p) => `[${p}, ${p}]`), 'jsonencode(local.l40)', 'Value too large'],
    ['objects', doubling('"x"', (p) => `{ a = ${p}, b = ${p} }`), 'yamlencode(local.l40)', 'Value too large'],
    ['strings', doubling('"x"', (p) => `"\${${p}}\${${p}}"`), 'local.l40', 'Value too large'],
    // concat and flatten spend the file's million elements as they build lists, as for expressions do.
    ['concat', doubling('["x"]', (p) => `concat(${p}, ${p})`), 'length(local.l40)', 'Result too large'],
    ['flatten', doubling('["x"]', (p) => `flatten([${p}, ${p}])`), 'length(local.l40)', 'Result too large'],
  ])(
    'refuses exponential growth through locals (%s) at the local that crosses the bound',
    (_, locals, use, summary) => {
      const found = errors(job(use, locals));
      expect(found[0]).toMatch(new RegExp(`^2\\d:\\d+: ${summary}$`));
    },
  );

  it('reads 110,000 groups (a 7.7 MB file) in linear time: each group found once, not searched for', () => {
    const groups = Array.from(
      { length: 110_000 },
      (_, i) => `  group "g${i}" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n`,
    ).join('');
    const loaded = loadJob('wide.nomad.hcl', `job "w" {\n${groups}}\n`, { env: {} });
    expect(loaded.diagnostics).toEqual([]);
    expect((loaded.job!.TaskGroups as unknown[]).length).toBe(110_000);
  }, 60_000);

  it('refuses a job too large to send (six 32 MiB strings from shared locals), at the job, before rendering it', () => {
    const doubling = Array.from(
      { length: 5 },
      (_, i) => `  s${i + 1} = "\${local.s${i}}\${local.s${i}}"\n`,
    ).join('');
    const locals = `locals {\n  s0 = format("%1000000s", "")\n${doubling}}\n`;
    const meta = Array.from({ length: 6 }, (_, i) => `    a${i} = local.s5\n`).join('');
    const source = `${locals}job "h" {\n  meta {\n${meta}  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n`;
    expect(errors(source)).toEqual(['9:1: Job too large']);
  });

  it('refuses a number too long to print and a template joined past 512 Mi characters at the value, never a RangeError', () => {
    expect(errors(job('1e100000000'))).toEqual(['2:3: Value too large']);
    expect(errors(job('"x${1e100000000}"'))).toEqual(['3:9: Value too large']);
    const doubling = Array.from(
      { length: 25 },
      (_, i) => `  s${i + 1} = "\${local.s${i}}\${local.s${i}}"\n`,
    ).join('');
    const twenty = `"${'${local.s25}'.repeat(20)}"`;
    expect(errors(job(twenty, `locals {\n  s0 = "x"\n${doubling}}\n`))).toEqual(['31:9: Value too large']);
  });

  it('stops reading after 1,000 syntax errors, with the last one where it stopped', () => {
    const source = 'a = = =\n'.repeat(5000);
    const found = errors(source);
    expect(found).toHaveLength(MAX_SYNTAX_ERRORS + 1);
    expect(found.at(-1)).toBe(`${MAX_SYNTAX_ERRORS}:5: Too many errors`);
  });

  it('reads a list of a million constants and a list of 300,000 objects to their values', () => {
    const numbers = loadJob('n.nomad.hcl', job(`jsonencode([${'1,'.repeat(1_000_000)}])`), { env: {} });
    expect(((numbers.job as { Meta: Record<string, string> }).Meta.a ?? '').length).toBe(2_000_001);
    const objects = loadJob('o.nomad.hcl', job(`length([${'{a=1},'.repeat(300_000)}])`), { env: {} });
    expect((objects.job as { Meta: Record<string, string> }).Meta.a).toBe('300000');
  });

  it('stops reading after 1,000 redefined attributes, as after 1,000 syntax errors', () => {
    const found = errors(job('"x"').replace('    a = "x"\n', '    a = "x"\n'.repeat(5000)));
    expect(found).toHaveLength(MAX_SYNTAX_ERRORS + 1);
    expect(found.slice(-2)).toEqual([
      `${MAX_SYNTAX_ERRORS + 3}:5: Attribute redefined: "a"`,
      `${MAX_SYNTAX_ERRORS + 3}:5: Too many errors`,
    ]);
  });

  it('stops decoding after 1,000 errors in a file that parses, with the last one where it stopped', () => {
    const unknown = Array.from({ length: 5000 }, (_, i) => `    nosuch${i} = 1\n`).join('');
    const found = errors(`job "h" {\n  group "g" {\n${unknown}  }\n}\n`);
    expect(found).toHaveLength(MAX_DECODE_ERRORS + 1);
    expect(found.slice(-2)).toEqual([
      `${MAX_DECODE_ERRORS + 2}:5: Unsupported argument "nosuch${MAX_DECODE_ERRORS - 1}"`,
      `${MAX_DECODE_ERRORS + 2}:5: Too many errors`,
    ]);
  });

  it("keeps a 2,000-line file's error positions exact: line and column are found from offsets on demand", () => {
    const source = job('"x"', '# a comment with ünïcödé and 🎉 emoji\n'.repeat(2000)).replace(
      'driver = "raw_exec"',
      'driver = "🎉" 🎉',
    );
    expect(errors(source)).toEqual(['2007:20: Invalid character: "🎉" cannot start an expression or a name']);
  });

  it('refuses a regex_replace whose pattern times its text is past the bound, at the call', () => {
    const locals = `locals {\n  text = format("%1000000s", "")\n}\n`;
    expect(errors(job(`regex_replace(local.text, "${'(|)'.repeat(400)}", "$1")`, locals))).toEqual([
      '6:9: Error in function call',
    ]);
    expect(
      errors(job(`substr(regex_replace(local.text, "${'x|'.repeat(400)}y", "z"), 0, 1)`, locals)),
    ).toEqual([]);
  });

  it('reads 10 MB of blank lines as one line end (10 million tokens took 1.8 GB), positions unchanged', () => {
    const source = job('"x"').replace('job "h" {\n', `job "h" {\n${'\n'.repeat(10_000_000)}`);
    const before = process.memoryUsage().rss;
    const loaded = loadJob('blank.nomad.hcl', source.replace('"x"', 'nosuchfn()'), { env: {} });
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
    expect(
      loaded.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary}`),
    ).toEqual(['10000003:9: Call to unknown function "nosuchfn"']);
  });
});
