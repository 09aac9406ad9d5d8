import { loadJob } from '../../../src/source/load-job.js';

/** A valid job with `jobExtra` in its body, `id` as its label and `count` for its group. */
const job = ({ id = '"web"', jobExtra = '', count = '1', group = '"g"' } = {}) =>
  `job ${id} {\n${jobExtra}  group ${group} {\n    count = ${count}\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "/bin/true"\n      }\n    }\n  }\n}\n`;

/** "line:col: severity: summary" of every diagnostic. */
const diagnose = (source: string, path = 'job.nomad.hcl') =>
  loadJob(path, source, { env: {} }).diagnostics.map(
    (d) => `${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.summary}`,
  );

/** Each refused by nomad job validate or by the plan endpoint of Nomad 2.0.5, with these texts. */
describe('validate refuses offline what Nomad refuses at register, at the attribute', () => {
  it.each([
    ['a negative count', job({ count: '-1' }), ["3:13: error: Task group count can't be negative"]],
    [
      'a count past int64',
      job({ count: '9223372036854775808' }),
      ['3:13: error: Unsuitable value for "count"'],
    ],
    ['type = 5', job({ jobExtra: '  type = 5\n' }), ['2:10: error: Invalid job type: "5"']],
    [
      'an unknown type',
      job({ jobExtra: '  type = "microservice"\n' }),
      ['2:10: error: Invalid job type: "microservice"'],
    ],
    ['an empty ID', job({ id: '""' }), ['1:5: error: Missing job ID', '1:5: error: Missing job name']],
    ['a space in the ID', job({ id: '"a b"' }), ['1:5: error: Job ID contains a space']],
    [
      'NUL in the ID',
      job({ id: '"a\\u0000b"' }),
      ['1:5: error: Job ID contains a null character', '1:5: error: Job Name contains a null character'],
    ],
    ['a 5 MB ID', job({ id: `"${'x'.repeat(5_000_000)}"` }), ['1:5: error: Job ID too long']],
    ['priority 0', job({ jobExtra: '  priority = 0\n' }), ['2:14: error: Invalid job priority']],
    [
      'priority 1000 (a warning: servers may raise job_max_priority)',
      job({ jobExtra: '  priority = 1000\n' }),
      ['2:14: warning: Job priority above 100'],
    ],
    ['an empty group name', job({ group: '""' }), ['2:9: error: Job task group 1 missing name']],
  ])('%s', (_name, source, expected) => {
    expect(diagnose(source)).toEqual(expected);
  });

  it('accepts a newline in the ID, as Nomad 2.0.5 plans it', () => {
    expect(diagnose(job({ id: '"a\\nb"' }))).toEqual([]);
  });

  it('checks JSON jobs the same way, at the key', () => {
    const source = JSON.stringify({
      Job: {
        ID: 'a b',
        Type: 'microservice',
        TaskGroups: [
          {
            Name: 'g',
            Count: -2,
            Tasks: [{ Name: 't', Driver: 'raw_exec', Config: { command: '/bin/true' } }],
          },
        ],
      },
    });
    expect(diagnose(source, 'job.json')).toEqual([
      expect.stringMatching(/^1:\d+: error: Job ID contains a space$/),
      expect.stringMatching(/^1:\d+: error: Invalid job type: "microservice"$/),
      expect.stringMatching(/^1:\d+: error: Task group count can't be negative$/),
    ]);
  });
});

describe("the api struct table follows Nomad's gohcl: a pointer field is optional unless tagged otherwise", () => {
  it('has no required row for a nullable (pointer) field', async () => {
    const { API_STRUCTS } = await import('../../../src/source/jobspec/api-structs.js');
    const requiredPointers = Object.entries(API_STRUCTS).flatMap(([struct, rows]) =>
      rows.filter((row) => row[2] === 'required' && row[4] === 1).map((row) => `${struct}.${row[0]}`),
    );
    expect(requiredPointers).toEqual([]);
  });
});
