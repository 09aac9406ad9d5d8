import { loadJob } from '../../../src/source/load-job.js';

/** A job of `type` whose group holds `group` and whose task holds `task`. */
const job = ({ type = 'service', jobBody = '', group = '', task = '' } = {}) =>
  `job "web" {\n  type = "${type}"\n${jobBody}  group "g" {\n${group}    task "t" {\n      driver = "raw_exec"\n${task}      config {\n        command = "/bin/true"\n      }\n    }\n  }\n}\n`;

const errors = (source: string, path = 'job.nomad.hcl') =>
  loadJob(path, source, { env: {} })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary}`);

/** Each message is Nomad 2.0.5's own (its plan endpoint refused the same files with it: test/nomad/differential). */
describe("validate refuses offline what Nomad's group and task rules refuse of a value the file sets", () => {
  it.each([
    [
      'memory below 10 MB',
      { task: '      resources {\n        memory = 5\n      }\n' },
      ['7:18: minimum MemoryMB value is 10; got 5'],
    ],
    [
      'cpu below 1 MHz',
      { task: '      resources {\n        cpu = 0\n      }\n' },
      ['7:15: minimum CPU value is 1; got 0'],
    ],
    [
      'memory_max below memory, or below the 300 MB default',
      { task: '      resources {\n        memory     = 512\n        memory_max = 256\n      }\n' },
      ['8:22: MemoryMaxMB value (256) should be larger than MemoryMB value (512)'],
    ],
    [
      'memory_max below the default memory',
      { task: '      resources {\n        memory_max = 100\n      }\n' },
      ['7:22: MemoryMaxMB value (100) should be larger than MemoryMB value (300)'],
    ],
    [
      'cpu and cores together',
      { task: '      resources {\n        cpu   = 500\n        cores = 2\n      }\n' },
      ["8:17: Task can only ask for 'cpu' or 'cores' resource, not both."],
    ],
    [
      'a disk below 10 MB',
      { group: '    ephemeral_disk {\n      size = 5\n    }\n' },
      [
        '5:14: minimum DiskMB value is 10; got 5',
        '5:14: log storage (100 MB) must be less than requested disk capacity (5 MB)',
      ],
    ],
    [
      'a negative kill_timeout',
      { task: '      kill_timeout = "-5s"\n' },
      ['6:22: KillTimeout must be a positive value'],
    ],
    [
      'a negative group shutdown_delay',
      { group: '    shutdown_delay = "-1s"\n' },
      ['4:22: ShutdownDelay must be a positive value'],
    ],
    [
      'an update block in a batch job',
      { type: 'batch', group: '    update {\n      max_parallel = 1\n    }\n' },
      ['4:5: Job type "batch" does not allow update block'],
    ],
    [
      'a job-level update block in a batch job (Nomad copies it to the groups, defaults filled)',
      { type: 'batch', jobBody: '  update {\n    max_parallel = 0\n  }\n' },
      ['3:3: Job type "batch" does not allow update block'],
    ],
    [
      'a migrate block in a sysbatch job',
      { type: 'sysbatch', group: '    migrate {\n      max_parallel = 1\n    }\n' },
      ['4:5: Job type "sysbatch" does not allow migrate block'],
    ],
    // UpdateStrategy.Validate on the group's update (its fields over the job's over the defaults); the texts
    // are `nomad job validate`'s, run offline on the same files.
    [
      'a negative max_parallel',
      { group: '    update {\n      max_parallel = -2\n    }\n' },
      ['5:22: Max parallel can not be less than zero: -2 < 0'],
    ],
    [
      'a negative max_parallel at job level, for every group that inherits it',
      { jobBody: '  update {\n    max_parallel = -1\n  }\n' },
      ['4:20: Max parallel can not be less than zero: -1 < 0'],
    ],
    [
      'auto_promote without canaries',
      { group: '    update {\n      auto_promote = true\n    }\n' },
      ['5:22: Auto Promote requires a Canary count greater than zero'],
    ],
    [
      'a zero healthy_deadline, which is also below the default min_healthy_time',
      { group: '    update {\n      healthy_deadline = "0s"\n    }\n' },
      [
        '5:26: Healthy deadline must be greater than zero: 0s',
        '5:26: Minimum healthy time must be less than healthy deadline: 10s > 0s',
      ],
    ],
    [
      'a healthy_deadline past the default progress_deadline',
      { group: '    update {\n      healthy_deadline = "20m"\n    }\n' },
      ['5:26: Healthy deadline must be less than progress deadline: 20m0s > 10m0s'],
    ],
    [
      'an unknown health_check',
      { group: '    update {\n      health_check = "bogus"\n    }\n' },
      ['5:22: Invalid health check given: "bogus"'],
    ],
    [
      'a constraint regexp Go cannot compile',
      {
        group:
          '    constraint {\n      attribute = "${attr.kernel.name}"\n      operator  = "regexp"\n      value     = "[a-"\n    }\n',
      },
      ['7:19: Regular expression failed to compile: error parsing regexp: missing closing ]: `[a-`'],
    ],
    [
      'an affinity regexp Go cannot compile',
      {
        task: '      affinity {\n        attribute = "${node.class}"\n        regexp    = "a("\n        weight    = 50\n      }\n',
      },
      ['8:21: Regular expression failed to compile: error parsing regexp: missing closing ): `a(`'],
    ],
  ])('%s', (_, parts, expected) => {
    expect(errors(job(parts))).toEqual(expected);
  });

  it('leaves what the file does not set to Nomad (defaults, memory_max 0 or -1, an update block in a service job)', () => {
    expect(errors(job())).toEqual([]);
    expect(errors(job({ task: '      resources {\n        memory_max = -1\n      }\n' }))).toEqual([]);
    expect(errors(job({ group: '    update {\n      max_parallel = 2\n    }\n' }))).toEqual([]);
    expect(errors(job({ task: '      resources {\n        cores = 2\n      }\n' }))).toEqual([]);
  });

  it('refuses the same in an API JSON job, at the value of the key', () => {
    const json = JSON.stringify(
      {
        Job: {
          ID: 'j',
          TaskGroups: [
            {
              Name: 'g',
              RestartPolicy: { Mode: 'bogus' },
              Tasks: [{ Name: 't', Driver: 'raw_exec', LogConfig: { MaxFiles: 0 } }],
            },
          ],
        },
      },
      null,
      2,
    );
    expect(errors(json, 'job.json')).toEqual([
      '8:19: Unsupported restart mode: "bogus"',
      '15:27: minimum number of files is 1; got 0',
    ]);
  });

  it.each([
    ['version', '"bogus"', 'Version %s is invalid: malformed constraint: bogus'],
    ['semver', '">= x"', 'Semver %s is invalid: Malformed constraint: >= x'],
    ['regexp', '"("', 'Regular expression failed to compile: error parsing regexp: missing closing ): `(`'],
    ['<', '""', 'Operator "<" requires an RTarget'],
  ])(
    "refuses a constraint's and an affinity's %s operand as Nomad 2.0.5 does",
    (operator, value, message) => {
      for (const block of ['constraint', 'affinity'])
        expect(
          errors(
            job({
              jobBody: `  ${block} {\n    attribute = "\${attr.a}"\n    operator  = "${operator}"\n    value     = ${value}\n  }\n`,
            }),
          ).map((e) => e.replace(/^\d+:\d+: /, '')),
        ).toEqual([message.replace('%s', block)]);
    },
  );
});
