import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readEstate } from '../../../src/source/estate.js';
import { MAX_CHECKED_RULES } from '../../../src/source/estate/acl-rules.js';
import { MAX_DECODE_ERRORS } from '../../../src/source/jobspec/decode.js';
import { readProjectDocument } from '../../../src/source/project-file.js';

/** The directories made, removed when the file's tests end. */
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The estate of a project holding `files`, and "line:col: summary" of its errors (never a thrown exception). */
function errorsOf(files: Record<string, string>, sized: Record<string, number> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'drover-estate-hostile-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  for (const [path, bytes] of Object.entries(sized)) {
    writeFileSync(join(dir, path), '');
    truncateSync(join(dir, path), bytes);
  }
  const document = readProjectDocument(join(dir, 'drover.hcl'), undefined, 'drover.hcl');
  const estate = readEstate(document, { cwd: dir, namespace: 'default', values: () => ({}) });
  return {
    estate,
    errors: estate.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.range.file}:${d.range.start.line}:${d.range.start.column}: ${d.summary}`),
  };
}

describe('hostile estates: an error at a position, never a crash or a hang', () => {
  it('refuses blocks nested 10,000 deep in drover.hcl where they pass the limit', () => {
    const source = `namespace "a" {\n${'capabilities {\n'.repeat(10_000)}${'}\n'.repeat(10_000)}}\n`;
    expect(() => errorsOf({ 'drover.hcl': source })).toThrow(/drover.hcl:257:14: error: Nested too deeply/);
  });

  it('refuses an expression nested 10,000 deep in an included file', () => {
    const { errors } = errorsOf({
      'drover.hcl': 'include = ["estate.hcl"]\n',
      'estate.hcl': `namespace "a" {\n  description = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n}\n`,
    });
    expect(errors).toEqual(['estate.hcl:2:272: Nested too deeply']);
  });

  it("spends one element budget across locals and blocks, as a job file's evaluation does", () => {
    const { errors } = errorsOf({
      'drover.hcl': `locals {\n  many = flatten([for a in range(1000) : [for b in range(600) : b]])\n}\nnamespace "a" {\n  meta = { for i in local.many : "k\${i}" => "v" }\n}\n`,
    });
    expect(errors).toEqual(['drover.hcl:2:10: Result too large']);
  });

  it('refuses a value built past what an expression may build', () => {
    const { errors } = errorsOf({
      'drover.hcl': 'namespace "a" {\n  description = format("%0300000000d", 0)\n}\n',
    });
    expect(errors).toEqual(['drover.hcl:2:17: Error in function call']);
  });

  it('bounds what all the declarations weigh together, and leaves rules of megabytes to Nomad', () => {
    const started = Date.now();
    const policies = Array.from(
      { length: 16 },
      (_, i) => `acl_policy "p${i}" {\n  rules = file("big.policy.hcl")\n}\n`,
    ).join('');
    const { estate, errors } = errorsOf({ 'drover.hcl': policies }, { 'big.policy.hcl': 9 * 1024 * 1024 });
    expect(errors).toEqual(['drover.hcl:43:1: Declarations too large']);
    expect(estate.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.summary)).toContain(
      'Rules not checked',
    );
    expect(MAX_CHECKED_RULES).toBeLessThan(9 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it(`stops after ${MAX_DECODE_ERRORS} errors`, () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `  x${i} = 1\n`).join('');
    const { errors } = errorsOf({ 'drover.hcl': `namespace "a" {\n${lines}}\n` });
    expect(errors).toHaveLength(MAX_DECODE_ERRORS + 1);
    expect(errors.at(-1)).toBe(`drover.hcl:${MAX_DECODE_ERRORS + 1}:3: Too many errors`);
  });

  it('reads 50,000 blocks in linear time', () => {
    const started = Date.now();
    const source = Array.from(
      { length: 50_000 },
      (_, i) => `namespace "n${i}" {\n  description = "d"\n  meta = { a = "b" }\n}\n`,
    ).join('');
    const { estate, errors } = errorsOf({ 'drover.hcl': source });
    expect(errors).toEqual([]);
    expect(estate.namespaces).toHaveLength(50_000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
