/**
 * The corpus drover fmt is held to `nomad fmt` on: hand-written layouts that exercise each rule, every job file
 * of the fixtures and examples as they are and with their blanks disturbed, and generated job files, disturbed.
 * Deterministic: the same corpus on every run, so that Nomad's answers can be recorded once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { hclJobFile } from './job-generators.js';
import { messUp } from './messy-hcl.js';

const ROOT = join(import.meta.dirname, '../..');

/** Layouts that exercise one rule each: alignment, comments, heredocs, templates, brackets, operators. */
export const LAYOUTS: readonly string[] = [
  'a=1\nbb   =  2 # c\nccc = 3      // d\n\n\nx = {\n  y=1\n    zz = [1,2,\n 3]\n}\n',
  'job "x" {\n\tgroup "g" {\n  task "t" {\n      config {\n        args = ["a",  "b"]\n  }\n }\n}\n}\n',
  'x = <<-EOF\n    hello ${ var.x }\n      world\n    EOF\ny = <<EOF\n  raw\nEOF\n',
  'job "a" {\n  group "g" {\n    task "t" {\n      template {\n        data = <<-EOT\n          a\n        EOT\n      }\n    }\n  }\n}\n',
  'a = -1\nb = 1 - -2\nc = [-1, - 2]\nd = !true\ne = (1)-2\nf = x[0] [1]\ng = f(1,2)[0]\n',
  'a = [for x in [1,2]: x*2]\nb = {for k,v in m: k=>v if v!=null}\nc = a ? b : c\n',
  'a = "${x}${y}"\nb = "${ {a=1} }"\nc = "%{ if x }y%{ endif }"\nd = "${~ x ~}"\n',
  'b { c = 1 }\nd {}\ne { }\nf "l" "m" {\n}\n',
  'a = 1\r\nbb = 2\r\n# c\r\n',
  'a = 1\n   ',
  'a = 1\n\t\n',
  'a = 1',
  '/* block\n comment */ a = 1\nb = 2 /* x */\n',
  'ünï = 1\nab = 2\n',
  'x = {\n  a = 1, b = 2\n  c = {\n    d = 3 }\n}\n',
  'a = x.y[*].z\nb = x.*.y\nc = f(a...)\n',
  'a=[\n1,\n2,\n]\n',
  'x = a  &&  b || ! c\ny = a%2==0\n',
  'locals {\n  # comment\n  a   = 1   # one\n  bcd = 22  # two\n\n  e = 3 # three\n}\n',
  'a = "x" # c\nb = {   } # d\n',
  'a = { for s in var.list : s => upper(s) }\nb = [ for i, v in x : "${i}=${v}" ]\n',
  'x = -var.y\ny = 2 * -3\nz = (-1)\nw = [for v in l : -v]\n',
  'a = {\n  "k" = 1\n  long_key = 2\n  b = {\n  c = 3\n}\n}\n',
  'job "x" {\n  meta {\n    a = "1"  # x\n    bbb = "2"\n  }\n  # trailing\n}\n\n\n',
  'x = f(\n  1,\n  2\n)\ny = [\n  [1, 2],\n  [3]\n]\n',
  'x = "a b  c"\ny = "  spaced  "\n',
  'x=1;',
  'a = provider :: x :: f(1)\nb = p::g ()\nc = x ? p::f() : 1\n',
];

function hclFilesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hclFilesUnder(path, out);
    else if (/\.(nomad|hcl)$/.test(name)) out.push(path);
  }
  return out;
}

export interface FormatCase {
  readonly name: string;
  readonly source: string;
}

export function formatCorpus(): FormatCase[] {
  const cases: FormatCase[] = LAYOUTS.map((source, i) => ({ name: `layout ${i}`, source }));
  const files = [
    ...hclFilesUnder(join(ROOT, 'test/fixtures/jobs')),
    ...hclFilesUnder(join(ROOT, 'examples')),
  ];
  files.forEach((path, i) => {
    const source = readFileSync(path, 'utf8');
    const name = relative(ROOT, path);
    cases.push({ name, source }, { name: `${name}, disturbed`, source: messUp(source, 1000 + i) });
  });
  fc.sample(hclJobFile, { numRuns: 120, seed: 11 }).forEach((source, i) =>
    cases.push({
      name: `generated ${i}, disturbed`,
      source: messUp(source, 2000 + i),
    }),
  );
  return cases;
}
