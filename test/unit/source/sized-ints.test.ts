import { loadJob } from '../../../src/source/load-job.js';

/** A group with these blocks, its task minimal. */
const withBlocks = (blocks: string) =>
  `job "j" {\n  group "g" {\n${blocks}    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "true"\n      }\n    }\n  }\n}\n`;

function read(source: string, path = 'job.nomad.hcl') {
  const loaded = loadJob(path, source, { env: {}, allowFilesystem: false });
  const errors = loaded.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line}:${d.range.start.column} ${d.summary} | ${d.detail ?? ''}`);
  const group = (loaded.job as { TaskGroups?: Array<Record<string, unknown>> } | undefined)?.TaskGroups?.[0];
  return { group, errors };
}

describe("Go's sized integers, as Nomad decodes them", () => {
  it('refuses a spread weight past an int8 and a target percent past a uint8, at the attribute, in gocty words', () => {
    const { errors } = read(
      withBlocks(
        '    spread {\n      attribute = "${node.datacenter}"\n      weight    = 300\n      target "a" {\n        percent = 256\n      }\n    }\n',
      ),
    );
    expect(errors).toEqual([
      '5:19 Unsuitable value for "weight" | value must be a whole number, between -128 and 127',
      '7:19 Unsuitable value for "percent" | value must be a whole number, between 0 and 255 inclusive',
    ]);
  });

  it("wraps an affinity's weight as jobspec2 does: truncated to an int64, then converted to an int8", () => {
    const affinity = (weight: string) =>
      read(
        withBlocks(
          `    affinity {\n      attribute = "\${node.class}"\n      value     = "x"\n      weight    = ${weight}\n    }\n`,
        ),
      );
    const weights = ['300', '2.9', '"7"', '-2.9', '356'].map((weight) => {
      const { group, errors } = affinity(weight);
      expect(errors).toEqual([]);
      return (group!.Affinities as Array<{ Weight: number }>)[0]!.Weight;
    });
    expect(weights).toEqual([44, 2, 7, -2, 100]);
    // Wrapped past ±100 or to zero, the weight is what Job.Validate then refuses.
    expect(
      ['-129', '127', '256'].map((weight) => affinity(weight).errors.map((e) => e.split(' | ')[0])),
    ).toEqual([
      ['6:19 Affinity weight must be within the range [-100,100]'],
      ['6:19 Affinity weight must be within the range [-100,100]'],
      ['6:19 Affinity weight cannot be zero'],
    ]);
  });

  it('refuses an API JSON job whose numbers do not fit the field, as encoding/json would at register', () => {
    const json = JSON.stringify({
      Job: {
        ID: 'j',
        TaskGroups: [
          {
            Name: 'g',
            Spreads: [{ Attribute: 'x', Weight: 300 }],
            Tasks: [{ Name: 't', Driver: 'raw_exec' }],
          },
        ],
      },
    });
    const { errors } = read(json, 'job.json');
    expect(errors).toEqual([
      expect.stringMatching(/Weight must be a whole number from -128 to 127 \| Found 300\./),
    ]);
  });
});
