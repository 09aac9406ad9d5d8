import { loadJob } from '../../../src/source/load-job.js';

const TOO_LARGE =
  /^Value too large: This value would take about \d+ MB; a job file's values stay under 64 MB/;

/** Errors of a job whose meta `a` is the expression, after the locals. */
function errors(expr: string, locals = '') {
  const source = `locals {\n${locals}}\njob "h" {\n  meta {\n    a = ${expr}\n  }\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n}\n`;
  return loadJob('limits.nomad.hcl', source, { env: {} })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => ({
      at: `${d.range.start.line}:${d.range.start.column}`,
      message: `${d.summary}: ${d.detail}`,
    }));
}

const spaces = (n: number) => `  s = format("%${n}s", "")\n`;

// Each built a string past JavaScript's longest (2^29 characters) and showed "Invalid string length".
describe('functions refuse a string past the value budget before building it, at the call', () => {
  it.each([
    ['replace', 'replace(local.s, " ", local.s)', spaces(30_000)],
    ['replace of ""', 'replace(local.s, "", local.s)', spaces(30_000)],
    ['regex_replace', 'regex_replace(local.s, " ", local.s)', spaces(30_000)],
    ['join', 'join(local.s, [for i in range(1000) : ""])', spaces(1_000_000)],
    ['indent', 'indent(1000000, replace(local.s, " ", "\\n"))', spaces(30_000)],
    ['format', 'format(replace(local.s, " ", "%1000000s"), [for i in range(1000) : ""]...)', spaces(1000)],
  ])('%s', (_, expr, locals) => {
    const found = errors(expr, locals);
    expect(found).toHaveLength(1);
    expect(found[0]!.at).toBe('6:9');
    expect(found[0]!.message).toMatch(TOO_LARGE);
  });

  it('still builds what fits', () => {
    expect(errors('replace(local.s, " ", "ab")', spaces(30_000))).toEqual([]);
    expect(errors('join(",", [for i in range(1000) : local.s])', spaces(1000))).toEqual([]);
  });
});

describe("cidr functions take Go ints, as Nomad's (they showed JavaScript's BigInt and Array errors)", () => {
  const int64 = 'value must be a whole number, between -9223372036854775808 and 9223372036854775807';
  it.each([
    ['cidrhost("10.0.0.0/8", 1.5)', `cidrhost(): ${int64}`],
    ['cidrhost("10.0.0.0/8", 1e400)', `cidrhost(): ${int64}`],
    ['cidrsubnet("10.0.0.0/8", 8, 1.5)', `cidrsubnet(): ${int64}`],
    ['cidrsubnet("10.0.0.0/8", 8.5, 1)', `cidrsubnet(): ${int64}`],
    ['cidrhost("1:2:3:4:5:6:7:8:9::/64", 1)', 'cidrhost(): invalid IP address "1:2:3:4:5:6:7:8:9::"'],
    ['cidrhost("1:2:3:4:5:6:7::8/64", 1)', 'cidrhost(): invalid IP address "1:2:3:4:5:6:7::8"'],
  ])('%s', (expr, detail) => {
    expect(errors(expr)).toEqual([{ at: '5:9', message: `Error in function call: ${detail}` }]);
  });

  it('cidrsubnets points at the size that is no int, as Nomad does', () => {
    expect(errors('cidrsubnets("10.0.0.0/8", 4, 1.5)')).toEqual([
      { at: '5:38', message: `Invalid function argument: Invalid value for "newbits" parameter: ${int64}.` },
    ]);
  });

  it('still reads an IPv6 address with "::" for one group', () => {
    expect(errors('cidrhost("1:2:3:4:5:6::8/64", 1)')).toEqual([]);
  });
});
