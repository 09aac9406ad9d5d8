import { formatDiagnostic } from '../../../src/source/hcl/diagnostics.js';
import { loadJob, type JobJson, type LoadOptions } from '../../../src/source/load-job.js';

/** file:line:col: severity: summary, for every diagnostic, in source order. */
function diagnose(source: string, options: LoadOptions = {}): string[] {
  const loaded = loadJob('job.nomad.hcl', source, { env: {}, ...options });
  return [...loaded.diagnostics]
    .sort((a, b) => a.range.start.offset - b.range.start.offset)
    .map(
      (d) =>
        `${d.range.file}:${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.summary}${d.detail ? ` | ${d.detail}` : ''}`,
    );
}

type Task = { Meta: Record<string, string>; Config: Record<string, unknown> };
const firstTask = (job: JobJson) => (job.TaskGroups as unknown as Array<{ Tasks: Task[] }>)[0]!.Tasks[0]!;

const job = (group: string) => `job "web" {\n  group "g" {\n${group}\n  }\n}\n`;
const task = (body: string) => job(`    task "t" {\n      driver = "docker"\n${body}\n    }`);

describe('job file errors: positioned, collected, with a way out', () => {
  it('prints the source line, a caret under the problem, and the suggestion', () => {
    const source = job(
      '    update {\n      healty_deadline = "5m"\n    }\n    task "t" {\n      driver = "docker"\n    }',
    );
    const loaded = loadJob('web.nomad.hcl', source, { env: {} });
    expect(loaded.diagnostics.map((d) => formatDiagnostic(d, source))).toEqual([
      [
        'web.nomad.hcl:4:7: error: Unsupported argument "healty_deadline"',
        '  4 |       healty_deadline = "5m"',
        '    |       ^^^^^^^^^^^^^^^',
        'An argument named "healty_deadline" is not expected in the "update" block; did you mean "healthy_deadline"?',
      ].join('\n'),
    ]);
    expect(loaded.job).toBeUndefined();
  });

  it('collects every error instead of stopping at the first', () => {
    const errors = diagnose(
      task(
        '      config {\n        image = upperr("x")\n      }\n      resources {\n        memroy = 256\n      }\n      kill_timeout = "5 seconds"',
      ),
    );
    expect(errors).toEqual([
      'job.nomad.hcl:6:17: error: Call to unknown function "upperr" | Did you mean "upper"?',
      'job.nomad.hcl:9:9: error: Unsupported argument "memroy" | An argument named "memroy" is not expected in the "resources" block; did you mean "memory"?',
      'job.nomad.hcl:11:22: error: Invalid duration "5 seconds" | Use a Go duration such as "30s", "5m", "1h30m" or "250ms" (units ns, us, ms, s, m, h; no "d").',
    ]);
  });

  it.each([
    ['an unclosed block', 'job "web" {\n  group "g" {\n', 'job.nomad.hcl:2:13: error: Unclosed block'],
    ['a missing value', 'job "web" {\n  type =\n}\n', 'job.nomad.hcl:2:9: error: Invalid expression'],
    [
      'an unterminated string',
      'job "web" {\n  type = "service\n}\n',
      'job.nomad.hcl:2:18: error: Unterminated template string',
    ],
    [
      'a one-line block with two attributes',
      'job "web" { type = "batch" priority = 1 }\n',
      'job.nomad.hcl:1:28: error: Invalid single-argument block definition',
    ],
    ['a stray character', 'job "web" {\n  type = @\n}\n', 'job.nomad.hcl:2:10: error: Invalid character'],
    [
      'an interpolated block label',
      'job "web-${var.x}" {}\n',
      'job.nomad.hcl:1:10: error: Invalid block label',
    ],
    [
      'a bad escape',
      'job "web" {\n  type = "a\\qb"\n}\n',
      'job.nomad.hcl:2:12: error: Invalid escape sequence',
    ],
    [
      'an unterminated heredoc',
      'job "web" {\n  meta {\n    a = <<EOT\nnever closed\n',
      'job.nomad.hcl:5:1: error: Unterminated heredoc',
    ],
  ])('reports a syntax error: %s', (_name, source, expected) => {
    expect(diagnose(source).some((line) => line.startsWith(expected))).toBe(true);
  });

  it('rejects a missing job, two jobs, and a job without groups', () => {
    expect(diagnose('variable "x" { default = 1 }\n')[0]).toContain('error: Missing job block');
    expect(
      diagnose(
        'job "a" {\n  group "g" {\n    task "t" {\n      driver = "exec"\n    }\n  }\n}\njob "b" {}\n',
      )[0],
    ).toContain('job.nomad.hcl:8:1: error: Duplicate job block | Only one job may be defined per file');
    expect(diagnose('job "empty" {\n  type = "batch"\n}\n')).toEqual([
      'job.nomad.hcl:1:1: error: Missing group | Job "empty" has no group or task block; add group "name" { task "name" { … } }.',
    ]);
  });

  it('rejects a task without a driver and a group without tasks', () => {
    expect(diagnose(job('    task "t" {\n      config {\n        command = "x"\n      }\n    }'))).toEqual([
      'job.nomad.hcl:3:5: error: Missing required argument "driver" | Task "t" needs a driver, such as driver = "docker" or driver = "exec".',
    ]);
    expect(diagnose(job('    count = 1'))[0]).toContain('job.nomad.hcl:2:3: error: Missing task');
  });

  it('rejects duplicate group and task names, and a second singleton block', () => {
    const source =
      'job "web" {\n  group "g" {\n    task "t" {\n      driver = "exec"\n    }\n    task "t" {\n      driver = "exec"\n    }\n    restart {}\n    restart {}\n  }\n  group "g" {\n    task "x" {\n      driver = "exec"\n    }\n  }\n}\n';
    expect(diagnose(source)).toEqual([
      'job.nomad.hcl:6:10: error: Duplicate task "t" | task "t" is already defined at line 3; task names must be unique.',
      'job.nomad.hcl:10:5: error: Duplicate restart block | Only one "restart" block is allowed here; the first one is at line 9.',
      'job.nomad.hcl:12:9: error: Duplicate group "g" | group "g" is already defined at line 2; group names must be unique.',
    ]);
  });

  it('rejects a value of the wrong type, naming the attribute', () => {
    expect(diagnose(job('    count = "three"\n    task "t" {\n      driver = "exec"\n    }'))).toEqual([
      'job.nomad.hcl:3:13: error: Unsuitable value for "count" | A number is required, not a string.',
    ]);
    expect(diagnose(task('      leader = "maybe"'))[0]).toBe(
      'job.nomad.hcl:5:16: error: Unsuitable value for "leader" | A bool is required, not a string.',
    );
  });

  it('tells a block from an attribute and an unknown block from a typo', () => {
    expect(diagnose(task('      resources = { cpu = 100 }'))[0]).toBe(
      'job.nomad.hcl:5:7: error: Unsupported argument "resources" | "resources" is a block here: write resources { … }.',
    );
    expect(diagnose(task('      template "x" {}'))[0]).toBe(
      'job.nomad.hcl:5:16: error: Extraneous label for template | A template block takes no name.',
    );
    expect(diagnose(task('      artefact {\n        source = "x"\n      }'))[0]).toBe(
      'job.nomad.hcl:5:7: error: Unsupported block type "artefact" | Blocks of type "artefact" are not expected in the "task" "t" block; did you mean "artifact"?',
    );
  });

  it('reports wrong argument counts and failing functions at the call', () => {
    expect(diagnose(task('      meta {\n        a = upper("x", "y")\n      }'))[0]).toBe(
      'job.nomad.hcl:6:13: error: Too many function arguments | upper() takes 1 argument; 2 given.',
    );
    expect(diagnose(task('      meta {\n        a = format()\n      }'))[0]).toBe(
      'job.nomad.hcl:6:13: error: Not enough function arguments | format() takes at least 1 argument; 0 given.',
    );
    expect(diagnose(task('      meta {\n        a = jsondecode("{")\n      }'))[0]).toContain(
      'job.nomad.hcl:6:13: error: Error in function call | jsondecode():',
    );
  });

  it('reads a namespaced function call as HCL does, and refuses it as Nomad does (no function has a namespace)', () => {
    expect(diagnose(task('      meta {\n        a = provider::x::upper("a")\n      }'))[0]).toBe(
      'job.nomad.hcl:6:13: error: Call to unknown function | There are no functions in namespace "provider::x::".',
    );
    expect(diagnose(task('      meta {\n        a = provider::\n      }'))[0]).toMatch(
      /^job\.nomad\.hcl:6:23: error: Missing function name \| /,
    );
    expect(diagnose(task('      meta {\n        a = a::b\n      }'))[0]).toMatch(
      /^job\.nomad\.hcl:6:17: error: Missing open parenthesis \| /,
    );
  });

  it('names an unknown variable or local, and a local cycle', () => {
    expect(diagnose(`locals {\n  a = local.b\n  b = local.a\n}\n${task('')}`).slice(0, 1)).toEqual([
      'job.nomad.hcl:2:7: error: Unsupported attribute | This object has no attribute "b". local.a is part of a cycle: a → b → a; one of these locals must not depend on the others.',
    ]);
    expect(diagnose(`locals {\n  a = local.a + 1\n}\n${task('')}`)).toEqual([
      'job.nomad.hcl:2:7: error: Unsupported attribute | This object has no attribute "a". local.a is part of a cycle: a → a; one of these locals must not depend on the others.',
    ]);
    // A local that only needs one in a cycle is not itself in it.
    expect(
      diagnose(`locals {\n  c = local.a\n  a = local.b\n  b = local.a\n}\n${task('')}`).map((d) =>
        d.includes('cycle') ? 'in a cycle' : d,
      ),
    ).toEqual([
      'job.nomad.hcl:2:7: error: Unsupported attribute | This object has no attribute "a".',
      'in a cycle',
      'in a cycle',
    ]);
    expect(
      diagnose(
        `variable "known" { default = 1 }\n${task('      meta {\n        a = var.knwon\n      }')}`,
      )[0],
    ).toBe(
      'job.nomad.hcl:7:13: error: Unsupported attribute | This object has no attribute "knwon"; did you mean "known"?',
    );
  });

  it('warns when a reference looks like a misspelt var or local (Nomad would keep it as text)', () => {
    expect(diagnose(task('      meta {\n        a = "${vars.image}"\n      }'))).toEqual([
      'job.nomad.hcl:6:16: warning: "vars" is not var or local | Nomad will leave "vars.…" for the client to resolve at run time; did you mean "var"?',
    ]);
  });
});

describe('variable errors name the variable and where its value came from', () => {
  const declared =
    'variable "image" {\n  type = string\n}\nvariable "replicas" {\n  type    = number\n  default = 1\n}\n';
  const withJob = (vars: string) => `${vars}${task('      config {\n        image = var.image\n      }')}`;

  it('an unset variable', () => {
    expect(diagnose(withJob(declared))).toEqual([
      'job.nomad.hcl:1:10: error: Unset variable "image" | A used variable must be set or have a default value. Set it with --var image=…, a --var-file, or NOMAD_VAR_image.',
    ]);
  });

  it('an undeclared variable from --var or a var file', () => {
    const errors = diagnose(withJob(declared), {
      vars: [
        { name: 'image', value: 'nginx' },
        { name: 'imgae', value: 'x' },
      ],
      varFiles: [{ path: 'prod.vars.hcl', content: 'replicas = 3\ncolour = "blue"\n' }],
    });
    expect(errors.sort()).toEqual([
      '--var imgae:1:1: error: Undefined -var variable "imgae" | --var imgae=… was given, but the job file declares no variable "imgae". Declare it with variable "imgae" {} or drop the flag.',
      'prod.vars.hcl:2:10: error: Undefined variable "colour" | prod.vars.hcl sets "colour", but the job file declares no such variable. Declare it with variable "colour" {} or remove the line.',
    ]);
  });

  it('a value that does not convert to the declared type', () => {
    expect(
      diagnose(withJob(declared), {
        vars: [{ name: 'image', value: 'x' }],
        env: { NOMAD_VAR_replicas: 'many' },
      }),
    ).toEqual([
      'NOMAD_VAR_replicas:1:1: error: Invalid value for variable "replicas" | The value from NOMAD_VAR_replicas is not compatible with the type number: number required, got a string.',
    ]);
  });

  it('a failing validation block, with its message', () => {
    const source = `variable "env" {\n  default = "staging"\n  validation {\n    condition     = contains(["staging", "production"], var.env)\n    error_message = "env must be staging or production."\n  }\n}\n${task('')}`;
    expect(diagnose(source, { vars: [{ name: 'env', value: 'prod' }] })).toEqual([
      '--var env:1:1: error: Invalid value for variable "env" | env must be staging or production.\n(value from --var env=…; checked by the validation rule at line 3)',
    ]);
    expect(diagnose(source)).toEqual([]);
  });

  it('precedence: default < NOMAD_VAR_ < var files in order < --var, last --var wins', () => {
    const source = `variable "v" { default = "default" }\n${task('      meta {\n        v = var.v\n      }')}`;
    const value = (options: LoadOptions) =>
      firstTask(loadJob('job.nomad.hcl', source, { env: {}, ...options }).job!).Meta.v;
    expect(value({})).toBe('default');
    expect(value({ env: { NOMAD_VAR_v: 'env' } })).toBe('env');
    expect(
      value({
        env: { NOMAD_VAR_v: 'env' },
        varFiles: [
          { path: 'a.hcl', content: 'v = "a"' },
          { path: 'b.json', content: '{"v": "b"}' },
        ],
      }),
    ).toBe('b');
    expect(
      value({
        vars: [
          { name: 'v', value: 'one' },
          { name: 'v', value: 'two' },
        ],
        varFiles: [{ path: 'a.hcl', content: 'v = "a"' }],
      }),
    ).toBe('two');
  });

  it('complex types from --var are HCL expressions; untyped and string ones are literal text', () => {
    const source = `variable "ports" { type = list(number) }\nvariable "raw" {}\n${task('      config {\n        ports = var.ports\n        raw   = var.raw\n      }')}`;
    const loaded = loadJob('job.nomad.hcl', source, {
      env: {},
      vars: [
        { name: 'ports', value: '[80, "443"]' },
        { name: 'raw', value: '[not, parsed]' },
      ],
    });
    expect(firstTask(loaded.job!).Config).toEqual({
      ports: [80, 443],
      raw: '[not, parsed]',
    });
  });
});

describe('JSON job files are checked against the api structs', () => {
  const json = (text: string) =>
    loadJob('job.nomad.json', text, { env: {} }).diagnostics.map(
      (d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary}${d.detail ? ` | ${d.detail}` : ''}`,
    );

  it('accepts a bare job object as well as {"Job": …}, keys matched case-insensitively like Go', () => {
    const bare = loadJob(
      'a.json',
      '{"id": "x", "taskgroups": [{"Name": "g", "Tasks": [{"Name": "t", "Driver": "exec"}]}]}',
      { env: {} },
    );
    expect(bare.diagnostics).toEqual([]);
    expect(bare.job).toMatchObject({ ID: 'x', Name: 'x' });
    expect(bare.submission?.Format).toBe('json');
  });

  it('names an unknown field with a suggestion, and a wrong type with its path', () => {
    expect(
      json(
        '{"Job": {\n  "ID": "x",\n  "Datacenter": ["dc1"],\n  "TaskGroups": [{"Name": "g", "Count": "2", "Tasks": [{"Name": "t", "KillTimeout": "5s"}]}]\n}}',
      ),
    ).toEqual([
      '3:3: Unknown field "Datacenter" in Job | Did you mean "Datacenters"? (Nomad would ignore "Datacenter".)',
      '4:41: Job.TaskGroups[0].Count must be a whole number | Found "2".',
      '4:85: Job.TaskGroups[0].Tasks[0].KillTimeout must be a whole number of nanoseconds | Found "5s". API JSON gives durations in nanoseconds, e.g. 30000000000 for 30s.',
    ]);
  });

  it('points at a JSON syntax error', () => {
    expect(json('{"Job": {\n  "ID": "x",\n}}')).toEqual([
      '3:1: Invalid JSON | a comma before "}": JSON allows no trailing comma.',
    ]);
    expect(json('{"Job": {"ID" 1}}')).toEqual(['1:15: Invalid JSON | expected ":", found "1".']);
  });
});
