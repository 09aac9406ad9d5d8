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
    ['priority -1', job({ jobExtra: '  priority = -1\n' }), ['2:14: error: Invalid job priority']],
    [
      'priority 0 (a warning: the servers take it for their default)',
      job({ jobExtra: '  priority = 0\n' }),
      ['2:14: warning: Job priority 0'],
    ],
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

describe("where nomad job validate and Nomad's servers differ: validate's verdict is the first's, plan's the second's", () => {
  const multiregion = job({
    jobExtra: '  multiregion {\n    region "global" {\n      count = 1\n    }\n  }\n',
  });
  /** "line:col: severity: summary: detail" of every diagnostic, read for `verdict`. */
  const judged = (source: string, verdict: 'validate' | 'register', path = 'job.nomad.hcl') =>
    loadJob(path, source, { env: {}, verdict }).diagnostics.map(
      (d) => `${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.summary}: ${d.detail}`,
    );

  it("refuses a multiregion job in validate, at the block, in Nomad's words; plan only warns and lets the servers judge", () => {
    expect(judged(multiregion, 'validate')).toEqual([
      "2:3: error: Multiregion jobs are unlicensed.: nomad job validate refuses this job, as open-source Nomad's servers do. Nomad Enterprise accepts it: plan and apply leave this verdict to the cluster's servers.",
    ]);
    expect(judged(multiregion, 'register')).toEqual([
      '2:3: warning: Multiregion jobs are unlicensed.: this needs Nomad Enterprise; open-source Nomad refuses the job.',
    ]);
  });

  it("accepts a negative priority in validate with a warning in the servers' words; plan refuses it", () => {
    const negative = job({ jobExtra: '  priority = -5\n' });
    expect(judged(negative, 'validate')).toEqual([
      "2:14: warning: Job priority below 1: Nomad's servers refuse it at registration: job priority must be between [1, 100] (nomad job validate does not check it; drover plan refuses it).",
    ]);
    expect(judged(negative, 'register')).toEqual([
      '2:14: error: Invalid job priority: job priority must be between [1, 100]',
    ]);
  });

  it("refuses a group that holds only a Connect gateway in validate, as nomad job validate does; plan leaves it to the servers, which add the gateway's task", () => {
    const gateway = `job "gw" {
  group "g" {
    network {
      mode = "bridge"
    }
    service {
      name = "ingress"
      port = "8080"
      connect {
        gateway {
          ingress {
            listener {
              port     = 8080
              protocol = "tcp"
              service {
                name = "web"
              }
            }
          }
        }
      }
    }
  }
}
`;
    expect(judged(gateway, 'validate')).toEqual([
      `2:3: error: Missing tasks for task group: In group "g": nomad job validate refuses it. Nomad's servers add the task its Connect gateway needs: plan and apply leave this verdict to them.`,
    ]);
    expect(judged(gateway, 'register')).toEqual([]);
  });

  it('judges a JSON job the same way', () => {
    const source = JSON.stringify({
      Job: {
        ID: 'web',
        Priority: -1,
        Multiregion: { Regions: [{ Name: 'global', Count: 1 }] },
        TaskGroups: [
          { Name: 'g', Tasks: [{ Name: 't', Driver: 'raw_exec', Config: { command: '/bin/true' } }] },
        ],
      },
    });
    const severities = (verdict: 'validate' | 'register') =>
      judged(source, verdict, 'job.json').map((d) => d.replace(/^\d+:\d+: (\w+): ([^:]+):.*$/, '$1 $2'));
    expect(severities('validate')).toEqual([
      'warning Job priority below 1',
      'error Multiregion jobs are unlicensed.',
    ]);
    expect(severities('register')).toEqual(['error Invalid job priority']);
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
