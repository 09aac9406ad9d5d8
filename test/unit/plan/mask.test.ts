import type { FieldDiff, JobDiff } from '../../../src/nomad/types.js';
import { planForDisplay, SENSITIVE } from '../../../src/plan/mask.js';
import { renderPlanHuman } from '../../../src/render/plan-human.js';
import type { Plan } from '../../../src/plan/model.js';
import { settings } from '../../support/plan-env.js';
import { serviceJob } from '../../support/simulated-nomad.js';
import { registration } from '../../support/plan-changes.js';
import { jobAddress, type JobRegistration } from '../../../src/kinds/job/change.js';

const field = (Name: string, Old: string, New: string): FieldDiff => ({
  Type: 'Edited',
  Name,
  Old,
  New,
  Annotations: null,
});

const planOf = (diff: JobDiff, extra: Partial<JobRegistration> = {}): Plan => ({
  settings: settings(),
  createdAt: '2026-12-01T00:00:00Z',
  changes: [
    {
      kind: 'job',
      address: jobAddress('default', 'default', 'web'),
      action: 'update',
      wave: 0,
      job: serviceJob('web'),
      jobModifyIndex: 7,
      diff,
      notes: [],
      ignoredFields: 0,
      computedLocally: false,
      ...extra,
    },
  ],
});

const taskDiff = (fields: FieldDiff[], objects: JobDiff['Objects'] = null): JobDiff => ({
  Type: 'Edited',
  ID: 'web',
  Fields: null,
  Objects: null,
  TaskGroups: [
    {
      Type: 'Edited',
      Name: 'web',
      Fields: null,
      Objects: null,
      Updates: null,
      Tasks: [{ Type: 'Edited', Name: 'app', Fields: fields, Objects: objects, Annotations: null }],
    },
  ],
});

describe('masking is one decision over field paths', () => {
  it.each([
    ["Nomad's spelling", 'Env[API_TOKEN]'],
    ['a dotted spelling', 'Env.API_TOKEN'],
    ['a nested config key', 'Config[auth][0][token]'],
    ['meta with dots in its key', 'Meta[deploy.auth_key]'],
  ])('masks %s (%s)', (_what, name) => {
    const shown = planForDisplay(planOf(taskDiff([field(name, 'old-secret-1', 'new-secret-2')])), {
      showSensitive: false,
    });
    const text = JSON.stringify(shown);
    expect(text).not.toMatch(/old-secret-1|new-secret-2/);
    expect(registration(shown.changes[0]).diff!.TaskGroups![0]!.Tasks![0]!.Fields![0]).toMatchObject({
      Old: SENSITIVE,
      New: SENSITIVE,
    });
  });

  it('masks keys inside the Config object diff, and leaves other fields alone', () => {
    const diff = taskDiff(
      [field('Env[MODE]', 'dev', 'prod')],
      [
        {
          Type: 'Edited',
          Name: 'Config',
          Fields: [field('auth_token', 'tok-aaaa', 'tok-bbbb')],
          Objects: null,
        },
      ],
    );
    const task = registration(planForDisplay(planOf(diff), { showSensitive: false }).changes[0]).diff!
      .TaskGroups![0]!.Tasks![0]!;
    expect(task.Fields![0]).toMatchObject({ Old: 'dev', New: 'prod' });
    expect(task.Objects![0]!.Fields![0]).toMatchObject({ Old: SENSITIVE, New: SENSITIVE });
  });

  it('scrubs a secret wherever else it appears, and infers the old value of one changed in place', () => {
    const diff = taskDiff([
      field('Env[DB_PASSWORD]', 'hunter22', 'correct-horse'),
      field('Config[args][0]', '--db=postgres://app:hunter22@db', '--db=postgres://app:correct-horse@db'),
      field('Config[args][1]', '--password=var-old-1', '--password=var-new-2'),
    ]);
    const shown = planForDisplay(
      planOf(diff, {
        submission: { Source: '', Format: 'hcl2', VariableFlags: { db_password: 'var-new-2' } },
        notes: [{ type: 'nomad-warning', text: 'hunter22 was seen' }],
      }),
      { showSensitive: false },
    );
    const text = JSON.stringify(shown);
    for (const secret of ['hunter22', 'correct-horse', 'var-old-1', 'var-new-2'])
      expect(text).not.toContain(secret);
    expect(text).toContain('--password=(sensitive)');
    expect(registration(shown.changes[0]).submission).toBeUndefined();
  });

  it('masks template lines and variable files line by line', () => {
    const diff = taskDiff(
      [],
      [
        {
          Type: 'Edited',
          Name: 'Template',
          Fields: [field('EmbeddedTmpl', 'API_KEY=abcd1234\nLEVEL=info', 'API_KEY=efgh5678\nLEVEL=debug')],
          Objects: null,
        },
      ],
    );
    const shown = planForDisplay(planOf(diff), { showSensitive: false });
    expect(
      registration(shown.changes[0]).diff!.TaskGroups![0]!.Tasks![0]!.Objects![0]!.Fields![0],
    ).toMatchObject({
      Old: `API_KEY=${SENSITIVE}\nLEVEL=info`,
      New: `API_KEY=${SENSITIVE}\nLEVEL=debug`,
    });
  });

  it("masks a task argument's secret-named option, joined (--password=…) or as the next argument", () => {
    const job = serviceJob('web');
    job.TaskGroups![0]!.Tasks![0]!.Config = {
      image: 'example/app:1',
      args: ['--db-password=arg-secret-1', '--verbose', '--api-token', 'arg-secret-2', '--mode=prod'],
    };
    const diff = taskDiff([
      field('args[0]', '--db-password=arg-secret-0', '--db-password=arg-secret-1'),
      field('args[3]', 'arg-secret-9', 'arg-secret-2'),
    ]);
    const shown = planForDisplay(planOf(diff, { job }), { showSensitive: false });
    expect(JSON.stringify(shown)).not.toMatch(/arg-secret/);
    expect(registration(shown.changes[0]).job.TaskGroups![0]!.Tasks![0]!.Config!.args).toEqual([
      '--db-password=(sensitive)',
      '--verbose',
      '--api-token',
      '(sensitive)',
      '--mode=prod',
    ]);
  });

  it('masks the value of a secret-named variable wherever it lands, under a neutral name too, short or long', () => {
    const job = serviceJob('web');
    job.TaskGroups![0]!.Tasks![0]!.Env = { X: 'pw-from-var-1', PIN: 'abc', MODE: 'abcdef' };
    const shown = planForDisplay(
      planOf(taskDiff([field('Env[X]', '', 'pw-from-var-1'), field('Env[PIN]', '', 'abc')]), {
        job,
        submission: {
          Source: '',
          Format: 'hcl2',
          VariableFlags: { db_password: 'pw-from-var-1', pin_secret: 'abc' },
        },
      }),
      { showSensitive: false },
    );
    expect(registration(shown.changes[0]).job.TaskGroups![0]!.Tasks![0]!.Env).toEqual({
      X: SENSITIVE,
      PIN: SENSITIVE,
      MODE: 'abcdef',
    });
    expect(JSON.stringify(shown)).not.toMatch(/pw-from-var-1|"abc"/);
  });

  it('returns the plan as it is with --show-sensitive', () => {
    const plan = planOf(taskDiff([field('Env[API_TOKEN]', 'a-secret', 'b-secret')]));
    expect(planForDisplay(plan, { showSensitive: true })).toBe(plan);
  });

  it('shows the job as JSON has it: an undefined attribute left out, an undefined item null, the rest kept', () => {
    const job = serviceJob('web');
    const group = job.TaskGroups![0]!;
    const task = group.Tasks![0]!;
    const loose = {
      ...job,
      Datacenters: undefined,
      Meta: { team: 'payments', owner: undefined },
      TaskGroups: [{ ...group, Tasks: [{ ...task, Config: { ...task.Config, args: ['a', undefined] } }] }],
    } as unknown as typeof job;
    const shown = planForDisplay(planOf(taskDiff([]), { job: loose }), { showSensitive: false });
    const shownJob = (shown.changes[0] as JobRegistration).job;
    expect(shownJob).toEqual(JSON.parse(JSON.stringify(loose)));
    expect(Object.keys(shownJob)).not.toContain('Datacenters');
    expect(Object.keys(shownJob.Meta!)).toEqual(['team']);
    expect(shownJob.TaskGroups![0]!.Tasks![0]!.Config!.args).toEqual(['a', null]);
    // A job without any undefined is shown as it is, not copied.
    const tight = serviceJob('api');
    const shownTight = planForDisplay(planOf(taskDiff([]), { job: tight }), { showSensitive: false });
    expect((shownTight.changes[0] as JobRegistration).job).toBe(tight);
  });

  it('masks and shows a change of 200,000 fields (a job of that many meta keys) without running out of stack', () => {
    const fields = Array.from({ length: 200_000 }, (_, i) => field(`Meta[k${i}]`, 'a', 'b'));
    fields.push(field('Env[API_TOKEN]', 'old-secret-1', 'new-secret-2'));
    const shown = planForDisplay(planOf(taskDiff(fields)), { showSensitive: false });
    const text = renderPlanHuman(shown, { color: false });
    expect(text).toContain('Meta[k199999]');
    expect(text).not.toMatch(/old-secret-1|new-secret-2/);
  });
});
