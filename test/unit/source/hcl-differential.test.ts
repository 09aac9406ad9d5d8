import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHcl } from '../../../src/source/hcl/parser.js';
import { normalize, oracleParse, toOracleShape } from '../../support/hcl-oracle.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/jobs');
const isHcl = (f: string) => f.endsWith('.hcl') && !f.includes('.vars.');

const SYNTAX_CASES: Record<string, string> = {
  literals: 'a = 1\nb = 1.5\nc = -2\nd = true\ne = null\nf = "text"\ng = 1e3\n',
  escapes: 'a = "tab\\tquote\\"back\\\\slash\\u00e9"\nb = "$${NOMAD_ALLOC_ID} %%{x}"\n',
  operators:
    'a = 1 + 2 * 3 - 4 / 2 % 3\nb = !true || false && 1 < 2 == true\nc = x ? "y" : "z"\nd = -(1 + 2)\n',
  collections: 'a = [1, "two", [3], {k = "v"}]\nb = {\n  x = 1\n  "y.z" = 2\n  w: 3\n}\nc = []\nd = {}\n',
  calls: 'a = upper("x")\nb = concat([1], [2]...)\nc = format(\n  "%s-%s",\n  "a",\n  "b",\n)\n',
  traversals: 'a = var.x.y[0]["k"].z\nb = var.list[*].id\nc = var.list.*.id\nd = var.t.0\n',
  for_exprs:
    'a = [for v in var.l : upper(v) if v != ""]\nb = {for k, v in var.m : k => v}\nc = {for v in var.l : v.group => v...}\n',
  templates:
    'a = "x-${var.y}-${upper(var.z)}"\nb = "%{ if var.on }on%{ else }off%{ endif }"\nc = "%{ for x in var.l ~} ${x} %{~ endfor }"\nd = "${var.only}"\n',
  heredocs: 'a = <<EOT\nline ${var.x}\n  indented\nEOT\nb = <<-EOT\n    flush\n      deeper\n    EOT\n',
  blocks:
    'job "web" {\n  group "g" {\n    task "t" {\n      config {\n        args = ["-x"]\n      }\n    }\n  }\n  group "h" {}\n}\nlocals {\n  a = 1\n}\nlocals {\n  b = 2\n}\n',
  one_line_blocks: 'a "x" { b = 1 }\nc { d = "e" }\nempty "e" {}\n',
  comments: '# hash\n// slashes\n/* block\n comment */ a = 1 # trailing\nb = 2 // trailing\n',
  unicode: 'ä = "ünïcödé 😀"\nlabel "ñ" {}\n',
};

async function expectSameAsOracle(source: string): Promise<void> {
  const oracle = await oracleParse(source);
  const mine = parseHcl(source, 'input.hcl');
  if (oracle.error) {
    expect(mine.diagnostics.length).toBeGreaterThan(0);
    return;
  }
  expect(mine.diagnostics).toEqual([]);
  expect(normalize(toOracleShape(mine.body, source))).toEqual(normalize(oracle.json));
}

describe('HCL reader against HashiCorp HCL (hcl2json)', () => {
  it.each(Object.entries(SYNTAX_CASES))('%s', async (_name, source) => {
    await expectSameAsOracle(source);
  });

  const fixtures = readdirSync(FIXTURES).filter(isHcl);
  it.each(fixtures)('fixture %s', async (file) => {
    await expectSameAsOracle(readFileSync(join(FIXTURES, file), 'utf8'));
  });
});
