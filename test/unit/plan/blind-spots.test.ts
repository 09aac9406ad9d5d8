import { withBlindSpots } from '../../../src/plan/blind-spots.js';
import type { Job, JobDiff } from '../../../src/nomad/types.js';

const spread = (weight: number) => [{ Attribute: '${node.datacenter}', Weight: weight, SpreadTarget: null }];
const restart = (attempts: number) => ({ Attempts: attempts, Delay: 15e9, Mode: 'fail' });

/** A live job as Nomad keeps it: the group's restart policy copied into each task without its own. */
function liveJob(): Job {
  return {
    ID: 'web',
    Spreads: null,
    TaskGroups: [
      {
        Name: 'g',
        Spreads: spread(50),
        RestartPolicy: restart(2),
        Tasks: [
          { Name: 'init', Lifecycle: { Hook: 'prestart', Sidecar: false }, RestartPolicy: restart(2) },
          { Name: 'main', Lifecycle: null, RestartPolicy: restart(2) },
        ],
      },
    ],
  } as unknown as Job;
}

interface FileJob {
  ID: string;
  Spreads: unknown;
  TaskGroups: Array<{
    Name: string;
    Spreads: unknown;
    RestartPolicy: unknown;
    Tasks: Array<{ Name: string; Lifecycle: unknown; RestartPolicy: unknown }>;
  }>;
}

/** The same job as the file renders it: no task restart block, so none in the JSON. */
function fileJob(change: (job: FileJob) => void = () => {}): Job {
  const job: FileJob = {
    ID: 'web',
    Spreads: null,
    TaskGroups: [
      {
        Name: 'g',
        Spreads: spread(50),
        RestartPolicy: null,
        Tasks: [
          { Name: 'init', Lifecycle: { Hook: 'prestart', Sidecar: false }, RestartPolicy: null },
          { Name: 'main', Lifecycle: null, RestartPolicy: null },
        ],
      },
    ],
  };
  change(job);
  return job as unknown as Job;
}

/** What Nomad's plan answers for any of these: the group edited or not, nothing in it. */
function nomadDiff(type: 'None' | 'Edited'): JobDiff {
  return {
    Type: type,
    ID: 'web',
    Fields: null,
    Objects: null,
    TaskGroups: [
      {
        Type: type,
        Name: 'g',
        Fields: null,
        Objects: null,
        Tasks: [
          { Type: 'None', Name: 'init', Fields: null, Objects: null, Annotations: null },
          { Type: 'None', Name: 'main', Fields: null, Objects: null, Annotations: null },
        ],
        Updates: null,
      },
    ],
  };
}

const shown = (diff: JobDiff) =>
  diff.TaskGroups!.flatMap((g) => [
    ...(g.Fields ?? []).map((f) => `${g.Type} group ${g.Name}: ${f.Type} ${f.Name} "${f.Old}" → "${f.New}"`),
    ...g.Tasks!.flatMap((t) =>
      (t.Fields ?? []).map((f) => `${t.Type} task ${t.Name}: ${f.Type} ${f.Name} "${f.Old}" → "${f.New}"`),
    ),
  ]);

describe("changes Nomad's diff does not show, added by drover", () => {
  it('shows a spread weight and a lifecycle sidecar changed, each marked, the job and group edited', () => {
    const desired = fileJob((job) => {
      job.TaskGroups[0]!.Spreads = spread(80);
      job.TaskGroups[0]!.Tasks[0]!.Lifecycle = { Hook: 'prestart', Sidecar: true };
    });
    const diff = withBlindSpots(nomadDiff('None'), liveJob(), desired);
    expect(diff.Type).toBe('Edited');
    expect(shown(diff)).toEqual([
      'Edited group g: Edited Spreads[0].Weight "50" → "80"',
      'Edited task init: Edited Lifecycle.Sidecar "false" → "true"',
    ]);
    expect(diff.TaskGroups![0]!.Fields![0]!.Annotations).toEqual(["not in Nomad's diff"]);
  });

  it('shows a spread block the file drops as deleted, whole', () => {
    const diff = withBlindSpots(
      nomadDiff('Edited'),
      liveJob(),
      fileJob((job) => (job.TaskGroups[0]!.Spreads = null)),
    );
    expect(shown(diff)).toEqual([
      'Edited group g: Deleted Spreads[0].Attribute "${node.datacenter}" → ""',
      'Edited group g: Deleted Spreads[0].Weight "50" → ""',
    ]);
  });

  it("compares a task's restart with what Nomad gave it: its own block, else its group's", () => {
    expect(shown(withBlindSpots(nomadDiff('None'), liveJob(), fileJob()))).toEqual([]);
    const ownBlock = fileJob((job) => (job.TaskGroups[0]!.Tasks[1]!.RestartPolicy = restart(5)));
    expect(shown(withBlindSpots(nomadDiff('None'), liveJob(), ownBlock))).toEqual([
      'Edited task main: Edited RestartPolicy.Attempts "2" → "5"',
    ]);
    const groupBlock = fileJob((job) => (job.TaskGroups[0]!.RestartPolicy = restart(3)));
    expect(shown(withBlindSpots(nomadDiff('None'), liveJob(), groupBlock))).toEqual([
      'Edited task init: Edited RestartPolicy.Attempts "2" → "3"',
      'Edited task main: Edited RestartPolicy.Attempts "2" → "3"',
    ]);
  });

  it('leaves a diff with nothing hidden as Nomad gave it', () => {
    const diff = nomadDiff('None');
    expect(withBlindSpots(diff, liveJob(), fileJob())).toEqual(diff);
  });
});
