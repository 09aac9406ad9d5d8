/**
 * Files Nomad 2.0.5 refuses (`nomad job validate`, checked on the binary; its words in the comments) that drover
 * accepted or silently changed: JavaScript leaking into HCL, arguments Terraform has and Nomad has not, a default
 * that reads a variable. drover refuses each at the same place.
 */
import { loadJob } from '../../../src/source/load-job.js';

const task = '  group "g" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n';
const withMeta = (expr: string, before = '') => `${before}job "a" {\n  meta = { x = ${expr} }\n${task}}\n`;

function errors(source: string): string[] {
  return loadJob('a.nomad.hcl', source, { env: {} })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary}`);
}

const OBJECT = 'locals {\n  o = { a = 1 }\n}\n';

describe('what Nomad refuses, drover refuses at the same place', () => {
  it.each([
    // 2,16-24: Call to unknown function; There is no function named "toString".
    [
      'a JavaScript method as a function',
      withMeta('toString("a")'),
      ['2:16: Call to unknown function "toString"'],
    ],
    [
      'hasOwnProperty as a function',
      withMeta('hasOwnProperty("a")'),
      ['2:16: Call to unknown function "hasOwnProperty"'],
    ],
    // 5,23-35: Unsupported attribute; This object does not have an attribute named "constructor".
    ['an inherited attribute', withMeta('local.o.constructor', OBJECT), ['5:16: Unsupported attribute']],
    // Invalid index; The given key does not identify an element in this collection value.
    ['__proto__ as an index', withMeta('local.o["__proto__"]', OBJECT), ['5:16: Invalid index']],
    // 2,3-12: Unsupported argument; An argument named "sensitive" is not expected here.
    [
      'sensitive in a variable block',
      `variable "v" {\n  sensitive = true\n  default = "x"\n}\njob "a" {\n${task}}\n`,
      ['2:3: Unsupported argument "sensitive"'],
    ],
    [
      'nullable in a variable block',
      `variable "v" {\n  nullable = false\n  default = "x"\n}\njob "a" {\n${task}}\n`,
      ['2:3: Unsupported argument "nullable"'],
    ],
    // 2,13-16: Variables not allowed; Variables may not be used here.
    [
      'a default that reads a variable',
      `variable "v" {\n  default = var.v\n}\n${withMeta('var.v')}`,
      ['2:13: Variables not allowed'],
    ],
    // 4,16-20: Unsuitable value type; Unsuitable value: null value is not allowed
    [
      'null where Go has no pointer',
      'job "a" {\n  group "g" {\n    task "t" {\n      driver = null\n    }\n  }\n}\n',
      ['4:16: Unsuitable value type'],
    ],
    // Task t validation failed: Missing task driver
    [
      'an empty driver',
      'job "a" {\n  group "g" {\n    task "t" {\n      driver = ""\n    }\n  }\n}\n',
      ['4:16: Missing task driver'],
    ],
    // 2,16-23: Call to function "substr" failed: value must be a whole number, between -9223372036854775808 and …
    [
      "an offset or length beyond Go's int",
      withMeta('substr("abc", 0, 1e30)'),
      ['2:16: Error in function call'],
    ],
    // Call to function "indent" failed: panic in function implementation: strings: negative Repeat count
    ['a negative indent', withMeta('indent(-2, "a\\nb")'), ['2:16: Error in function call']],
  ])('%s', (_what, source, expected) => {
    expect(errors(source)).toEqual(expected);
  });

  it('keeps a `__proto__` key, as Nomad does, instead of dropping it', () => {
    const loaded = loadJob(
      'a.nomad.hcl',
      withMeta('"y"').replace('meta = { x', 'meta = { "__proto__" = "p", x'),
      {
        env: {},
      },
    );
    expect(loaded.job!.Meta).toEqual(JSON.parse('{"__proto__": "p", "x": "y"}'));
  });

  it('names a variable, a local, a meta key, a config key and a volume `__proto__` as Nomad does (rendered alike)', () => {
    const source = `variable "__proto__" {
  default = "v"
}
locals {
  __proto__ = "l"
}
job "j" {
  meta {
    __proto__ = var.__proto__
    l         = local.__proto__
  }
  group "g" {
    volume "__proto__" {
      type   = "host"
      source = "data"
    }
    task "t" {
      driver = "raw_exec"
      config {
        __proto__ = "x"
      }
    }
  }
}
`;
    const loaded = loadJob('a.nomad.hcl', source, { env: {} });
    expect(loaded.diagnostics).toEqual([]);
    const job = loaded.job as {
      Meta: object;
      TaskGroups: Array<{ Volumes: object; Tasks: Array<{ Config: object }> }>;
    };
    expect(job.Meta).toEqual(JSON.parse('{"__proto__": "v", "l": "l"}'));
    expect(Object.keys(job.TaskGroups[0]!.Volumes)).toEqual(['__proto__']);
    expect(job.TaskGroups[0]!.Tasks[0]!.Config).toEqual(JSON.parse('{"__proto__": "x"}'));
  });

  it('keeps a `__proto__` key through merge(), as Nomad does', () => {
    const loaded = loadJob(
      'a.nomad.hcl',
      withMeta('"y"').replace('meta = { x = "y" }', 'meta = merge({ "__proto__" = "v" }, { b = "c" })'),
      { env: {} },
    );
    expect(loaded.job!.Meta).toEqual(JSON.parse('{"__proto__": "v", "b": "c"}'));
  });

  it('takes a default computed without variables, `for` names included', () => {
    const source = `variable "v" {\n  default = [for n in [1, 2] : n * 2]\n}\n${withMeta('jsonencode(var.v)')}`;
    expect(errors(source)).toEqual([]);
  });
});
