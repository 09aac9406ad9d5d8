/**
 * The plan object makes its parts when a rule first reads them (src/checks/plan-object.ts): what a rule sees must
 * not depend on what it, or another check, read first.
 */
import { evaluateChecks } from '../../../src/checks/evaluate-checks.js';
import type { Job } from '../../../src/nomad/types.js';
import { loadJob } from '../../../src/source/load-job.js';
import { checksOf, deletion, jobOf, planOf, registration } from './checks-fixture.js';

const TIME = new Date('2026-12-10T09:00:00Z');

const results = (checks: string, plan: ReturnType<typeof planOf>) =>
  evaluateChecks(checksOf(checks), plan, { time: TIME }).results;

const messages = (checks: string, plan: ReturnType<typeof planOf>) =>
  results(checks, plan).map((r) => r.error ?? r.messages.join(' | '));

/** `condition = false`, so that each error_message shows what the expression gives. */
const shows = (expressions: Record<string, string>) =>
  Object.entries(expressions)
    .map(([name, e]) => `check "${name}" {\n  condition     = false\n  error_message = ${e}\n}\n`)
    .join('');

function jobFrom(id: string, source: string): Job {
  const loaded = loadJob(`${id}.nomad.hcl`, source);
  if (!loaded.job) throw new Error(loaded.diagnostics.map((d) => d.summary).join('\n'));
  return loaded.job as Job;
}

describe('the plan object, made as rules read it', () => {
  it('an attribute only some changes have: present where set, absent (not null) where the spec leaves it out', () => {
    const owned = { ...jobOf('api'), Meta: { owner: 'payments' } };
    const { Meta: _none, ...unowned } = { ...jobOf('web'), Datacenters: undefined } as Job;
    const plan = planOf([registration(owned), registration(unowned as Job), deletion('old')]);
    const report = results(
      `check "owned" {
  condition     = alltrue([for c in plan.changes : try(c.desired.Meta.owner, "") != "" if c.desired != null])
  error_message = "Every job names its owner."
}
${shows({
  owners: 'jsonencode([for c in plan.changes : try(c.desired.Meta.owner, "none") if c.desired != null])',
  datacenters:
    'jsonencode([for c in plan.changes : try(c.desired.Datacenters, "absent") if c.desired != null])',
  meta_keys: 'jsonencode([for c in plan.changes : contains(keys(c.desired), "Meta") if c.desired != null])',
})}`,
      plan,
    );
    expect(report.map((r) => r.error ?? r.messages.join(' | '))).toEqual([
      'Every job names its owner.',
      '["payments","none"]',
      JSON.stringify([owned.Datacenters, 'absent']),
      '[true,false]',
    ]);
    expect(report[0]!.failing).toEqual(['job default/web']);
  });

  it('masked values stay masked, however little of the plan a rule reads', () => {
    const secret = jobFrom(
      'db',
      `job "db" {
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "postgres:16" }
      env { DB_PASSWORD = "hunter22-very-secret" }
    }
  }
}`,
    );
    // Not a secret-looking field: masked only because the same value is a secret elsewhere in the plan.
    const repeats = jobFrom(
      'migrate',
      `job "migrate" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = "migrate:1"
        args  = ["--url", "postgres://app:hunter22-very-secret@db/app"]
      }
    }
  }
}`,
    );
    const plan = planOf([registration(secret), registration(repeats)]);
    const read = {
      args: 'jsonencode(plan.changes[1].desired.TaskGroups[0].Tasks[0].Config.args)',
      env: 'plan.changes[0].desired.TaskGroups[0].Tasks[0].Env.DB_PASSWORD',
      task_config: 'jsonencode(plan.tasks[1].config.args)',
      whole: 'jsonencode(plan.changes[1])',
    };
    // Each read first, alone, in its own evaluation; then all together.
    const alone = Object.entries(read).map(([name, e]) => messages(shows({ [name]: e }), plan)[0]!);
    expect(messages(shows(read), plan)).toEqual(alone);
    expect(alone.slice(0, 3)).toEqual([
      '["--url","postgres://app:(sensitive)@db/app"]',
      '(sensitive)',
      '["--url","postgres://app:(sensitive)@db/app"]',
    ]);
    for (const message of alone) expect(message).not.toContain('hunter22');
  });

  it('a change lists every attribute, those made on reading too, and equals itself', () => {
    const plan = planOf([registration(jobOf('api'))]);
    const [attributes, equal] = messages(
      shows({
        keys: 'join(",", keys(plan.changes[0]))',
        same: 'tostring(plan.changes[0] == plan.changes[0])',
      }),
      plan,
    );
    expect(attributes!.split(',')).toEqual(
      [
        ...['label', 'kind', 'action', 'address', 'cluster', 'namespace', 'name', 'file', 'wave'],
        ...['depends_on', 'allocations', 'replaces', 'stops', 'changed', 'desired', 'drift', 'notes'],
      ].sort(),
    );
    expect(equal).toBe('true');
  });
});

describe('the plan object weighed against the size bound', () => {
  const huge = () => ({ ...jobOf('big'), Meta: { blob: 'x'.repeat(4_000_000) } }) as Job;

  it('a rule keeping whole changes weighs what each will be made of: a huge job still crosses the bound', () => {
    const report = results(
      `check "copies" {
  condition     = length([for i in range(20) : [for c in plan.changes : c if c.action != "delete"]]) > 0
  error_message = "never"
}
check "one_copy" {
  condition     = length([for c in plan.changes : c if c.action != "delete"]) == 1
  error_message = "never"
}
`,
      planOf([registration(huge())]),
    );
    expect(report[0]!.error).toMatch(/too large/i);
    expect(report[1]).toMatchObject({ status: 'passed' });
  });

  it('a plan larger than the bound itself: a rule keeping every change once passes, copies of them cross it', () => {
    // 17 jobs of 4 MB: a plan of 68 MB, past the 64 MiB a value may weigh.
    const jobs = Array.from({ length: 17 }, (_, i) => registration({ ...huge(), ID: `big-${i}` } as Job));
    const report = results(
      `check "every_change_once" {
  condition     = length([for c in plan.changes : c if c.action != "delete"]) == 17
  error_message = "never"
}
check "three_copies" {
  condition     = length([for i in range(3) : [for c in plan.changes : c if c.action != "delete"]]) > 0
  error_message = "never"
}
`,
      planOf(jobs),
    );
    expect(report[0]).toMatchObject({ status: 'passed' });
    expect(report[1]!.error).toMatch(
      /Value too large.*a check's values stay under 64 MB beyond the plan's own/s,
    );
  });

  it('keeping a change does not make its desired object: reading it afterwards gives the job as it is', () => {
    const plan = planOf([registration({ ...jobOf('api'), Meta: { team: 'payments' } } as Job)]);
    expect(
      messages(
        shows({
          kept: 'jsonencode([for c in [for c in plan.changes : c if c.action != "delete"] : c.desired.Meta])',
        }),
        plan,
      ),
    ).toEqual(['[{"team":"payments"}]']);
  });
});
