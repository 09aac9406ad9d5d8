import { loadJob } from '../../../src/source/load-job.js';

/** The job's meta `a` after reading `locals` (and a variable `key` = "b"). */
function metaA(locals: string, expr: string): { value?: string; errors: string[] } {
  const source = `variable "key" {\n  default = "b"\n}\nlocals {\n${locals}}\njob "j" {\n  meta {\n    a = ${expr}\n  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "/bin/true"\n      }\n    }\n  }\n}\n`;
  const loaded = loadJob('locals.nomad.hcl', source, { env: {} });
  const errors = loaded.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary}`);
  return { value: (loaded.job as { Meta?: Record<string, string> } | undefined)?.Meta?.a, errors };
}

describe('locals', () => {
  it('evaluates a local after the locals it names, wherever they are written', () => {
    expect(metaA('  a = "${local.b}-${local.c}"\n  b = upper(local.c)\n  c = "x"\n', 'local.a')).toEqual({
      value: 'X-x',
      errors: [],
    });
  });

  it('gives try() of a later local that local, not the fallback (Nomad: either, at random)', () => {
    expect(metaA('  a = try(local.b, "fallback")\n  b = "later"\n', 'local.a')).toEqual({
      value: 'later',
      errors: [],
    });
  });

  it('waits for every local when one uses local as a whole', () => {
    expect(metaA('  a = local[var.key]\n  b = "${local.c}!"\n  c = "c"\n', 'local.a')).toEqual({
      value: 'c!',
      errors: [],
    });
    // Every other local, that is: not itself.
    expect(metaA('  a = keys(local)\n  b = 1\n', 'join(",", local.a)')).toEqual({ value: 'b', errors: [] });
  });

  it('reports each local that does not resolve once, in file order', () => {
    expect(metaA('  d = local.b\n  a = local.missing\n  b = 1 + "x"\n  c = 2\n', 'local.c').errors).toEqual([
      '5:7: Unsupported attribute',
      '6:7: Unsupported attribute',
      '7:11: Invalid operand',
    ]);
  });
});
