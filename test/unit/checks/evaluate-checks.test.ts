import { evaluateChecks } from '../../../src/checks/evaluate-checks.js';
import { blockingChecks } from '../../../src/plan/check-report.js';
import { jobAddress, type JobRegistration } from '../../../src/kinds/job/change.js';
import { checksOf, deletion, jobOf, planOf, registration } from './checks-fixture.js';

const THURSDAY = new Date('2026-12-10T09:00:00Z');
const FRIDAY = new Date('2026-12-11T15:00:00Z');

const ISSUE_RULES = `
check "pinned_images" {
  condition     = alltrue([for t in plan.tasks : !endswith(try(t.config.image, ""), ":latest")])
  error_message = "Pin every image to a version or digest."
}

check "no_prod_deletes" {
  severity      = "warning"
  condition     = length([for c in plan.changes : c if c.action == "delete" && c.namespace == "prod"]) == 0
  error_message = "This deletes jobs in prod: get a second review."
}

check "shutdown_delay" {
  condition     = alltrue([for s in plan.services : s.shutdown_delay > 0])
  error_message = "Every service needs a shutdown_delay, so that it leaves the catalog before it stops."
}

check "big_memory" {
  condition     = alltrue([for t in plan.tasks : t.resources.memory <= 4096 if t.action != "noop"])
  error_message = "Memory above 4 GiB needs the platform team's review."
}

check "no_friday_changes" {
  condition     = formatdate("EEE", plan.time) != "Fri" || length([for c in plan.changes : c if c.action != "noop"]) == 0
  error_message = "No changes on Fridays."
}
`;

const results = (report: ReturnType<typeof evaluateChecks>) =>
  Object.fromEntries(report.results.map((r) => [r.name, r.status]));

describe('the issue rules', () => {
  const project = checksOf(ISSUE_RULES);

  it('all pass on a plan that keeps them', () => {
    const plan = planOf([
      registration(jobOf('api', { image: 'api:1.4.2', service: true, shutdownDelay: '5s' })),
    ]);
    const report = evaluateChecks(project, plan, { time: THURSDAY });
    expect(results(report)).toEqual({
      pinned_images: 'passed',
      no_prod_deletes: 'passed',
      shutdown_delay: 'passed',
      big_memory: 'passed',
      no_friday_changes: 'passed',
    });
    expect(report.time).toBe('2026-12-10T09:00:00.000Z');
    expect(blockingChecks(report)).toEqual([]);
  });

  it('pinned_images fails on :latest and names the task', () => {
    const plan = planOf([
      registration(jobOf('api', { image: 'api:latest' })),
      registration(jobOf('web', { image: 'web:2.0' })),
    ]);
    const pinned = evaluateChecks(project, plan, { time: THURSDAY }).results.find(
      (r) => r.name === 'pinned_images',
    )!;
    expect(pinned).toMatchObject({
      status: 'failed',
      severity: 'error',
      messages: ['Pin every image to a version or digest.'],
      failing: ['task default/api/web/server'],
      at: 'drover.hcl:2:7',
    });
  });

  it('no_prod_deletes warns, names the job, and blocks nothing', () => {
    const plan = planOf([deletion('billing', 'prod'), deletion('scratch', 'dev')]);
    const report = evaluateChecks(project, plan, { time: THURSDAY });
    expect(report.results.find((r) => r.name === 'no_prod_deletes')).toMatchObject({
      status: 'failed',
      severity: 'warning',
      failing: ['job prod/billing'],
    });
    expect(blockingChecks(report).map((r) => r.name)).toEqual([]);
  });

  it('shutdown_delay names the service without one', () => {
    const plan = planOf([
      registration(jobOf('api', { service: true, shutdownDelay: '5s' })),
      registration(jobOf('cart', { service: true })),
    ]);
    const check = evaluateChecks(project, plan, { time: THURSDAY }).results.find(
      (r) => r.name === 'shutdown_delay',
    )!;
    expect(check.status).toBe('failed');
    expect(check.failing).toEqual(['service cart-http (default/cart/web/server)']);
  });

  it('big_memory fails above 4096 MB on a change, not on an unchanged job', () => {
    const changed = planOf([registration(jobOf('etl', { memory: 8192 }))]);
    const unchanged = planOf([registration(jobOf('etl', { memory: 8192 }), 'noop')]);
    expect(results(evaluateChecks(project, changed, { time: THURSDAY })).big_memory).toBe('failed');
    expect(results(evaluateChecks(project, unchanged, { time: THURSDAY })).big_memory).toBe('passed');
  });

  it('no_friday_changes reads the time the checks run', () => {
    const plan = planOf([registration(jobOf('api'))]);
    expect(results(evaluateChecks(project, plan, { time: THURSDAY })).no_friday_changes).toBe('passed');
    expect(results(evaluateChecks(project, plan, { time: FRIDAY })).no_friday_changes).toBe('failed');
    const quiet = planOf([registration(jobOf('api'), 'noop')]);
    expect(results(evaluateChecks(project, quiet, { time: FRIDAY })).no_friday_changes).toBe('passed');
  });

  it('--skip-check keeps the outcome but blocks nothing', () => {
    const plan = planOf([registration(jobOf('api', { image: 'api:latest' }))]);
    const report = evaluateChecks(project, plan, { time: THURSDAY, skip: ['pinned_images'] });
    expect(report.results.find((r) => r.name === 'pinned_images')).toMatchObject({
      status: 'failed',
      skipped: true,
    });
    expect(blockingChecks(report)).toEqual([]);
  });
});

describe('a rule over drift', () => {
  const project = checksOf(`
check "no_drift" {
  condition     = length(plan.drift) == 0
  error_message = "Someone changed the cluster by hand: look at drover drift first."
}
check "no_changed_in_place" {
  assert {
    condition     = alltrue([for c in plan.changes : length(c.drift) == 0])
    error_message = "A job this plan changes drifted."
  }
}`);

  it('fails with the drifted object in the plan, and names the changed one', () => {
    const plan = planOf([registration(jobOf('api'))], {
      drift: [
        {
          address: jobAddress('default', 'default', 'api'),
          change: 'registered',
          message: 'registered outside drover (version 3)',
        },
      ],
    });
    const report = evaluateChecks(project, plan, { time: THURSDAY });
    expect(report.results.map((r) => [r.name, r.status, r.failing])).toEqual([
      ['no_drift', 'failed', []],
      ['no_changed_in_place', 'failed', ['job default/api']],
    ]);
  });

  it('passes without drift', () => {
    const report = evaluateChecks(project, planOf([registration(jobOf('api'))]), { time: THURSDAY });
    expect(report.results.map((r) => r.status)).toEqual(['passed', 'passed']);
  });
});

describe('a rule that fails to evaluate', () => {
  it('is an error at its position, blocks the plan, whatever its severity', () => {
    const project = checksOf(`
check "replaces" {
  severity      = "warning"
  condition     = !anytrue([for c in plan.changes : c.replaces && c.namespace == "prod"])
  error_message = "Replaces allocations in prod."
}`);
    // Without the scheduler's annotations, whether it replaces allocations is unknown: null.
    const { annotations: _none, ...unannotated } = registration(jobOf('api')) as JobRegistration;
    const plan = planOf([unannotated]);
    const [result] = evaluateChecks(project, plan, { time: THURSDAY }).results;
    expect(result!.status).toBe('error');
    expect(result!.error).toContain('drover.hcl:4:53: error: Invalid operand');
    expect(result!.error).toContain('A bool is required, not null');
    expect(blockingChecks({ time: '', results: [result!] })).toHaveLength(1);
  });

  it('an attribute of null is named where it is read', () => {
    const project = checksOf(`
check "image_of_deleted" {
  condition     = alltrue([for c in plan.changes : c.desired.ID != "" ])
  error_message = "x"
}`);
    const [result] = evaluateChecks(project, planOf([deletion('old')]), { time: THURSDAY }).results;
    expect(result!.status).toBe('error');
    expect(result!.error).toMatch(/^drover\.hcl:3:\d+: error: Attempt to get attribute from null value/);
  });

  it('a field the job file leaves to Nomad is null: try() around length() reads it, length() of it is an error', () => {
    const project = checksOf(`
check "guarded" {
  condition     = alltrue([for c in plan.changes : try(length(c.desired.Datacenters), 0) <= 3])
  error_message = "x"
}
check "unguarded" {
  condition     = alltrue([for c in plan.changes : length(try(c.desired.Datacenters, [])) <= 3])
  error_message = "x"
}`);
    const report = evaluateChecks(project, planOf([registration(jobOf('api'))]), { time: THURSDAY });
    expect(results(report)).toEqual({ guarded: 'passed', unguarded: 'error' });
    expect(report.results[1]!.error).toMatch(
      /^drover\.hcl:7:\d+: error: Error in function call\n.*length\(\): collection must be a list, a map or a tuple/s,
    );
  });

  it('a condition that is not a bool is an error, never a pass', () => {
    const project = checksOf(`
check "stack" {
  condition     = plan.stack
  error_message = "x"
}`);
    const [result] = evaluateChecks(project, planOf([]), { time: THURSDAY }).results;
    expect(result!.status).toBe('error');
    expect(result!.error).toContain('must be true or false, not null');
  });
});

describe('what a check sees', () => {
  it('masked values stay masked', () => {
    const project = checksOf(`
check "no_secret" {
  condition     = alltrue([for t in plan.tasks : t.env.DB_PASSWORD != "hunter22"])
  error_message = "The password is \${plan.tasks[0].env.DB_PASSWORD}."
}`);
    const plan = planOf([registration(jobOf('api', { env: 'DB_PASSWORD = "hunter22"' }))]);
    const [result] = evaluateChecks(project, plan, { time: THURSDAY }).results;
    expect(result!.status).toBe('passed');
    const leak = checksOf(`
check "shows" {
  condition     = false
  error_message = "The password is \${plan.tasks[0].env.DB_PASSWORD}."
}`);
    expect(evaluateChecks(leak, plan, { time: THURSDAY }).results[0]!.messages).toEqual([
      'The password is (sensitive).',
    ]);
  });

  it('reads var and local, and Terraform functions jobspecs lack', () => {
    const project = checksOf(`
variable "env" {
  default = "prod"
}
locals {
  limit = var.env == "prod" ? 2048 : 8192
}
check "limit" {
  condition     = alltrue([for t in plan.tasks : t.resources.memory <= local.limit]) && startswith(plan.time, "2026") && one([1]) == 1 && sum([1, 2]) == 3 && strcontains("abc", "b") && length(regexall("[0-9]+", "a1b22")) == 2 && plantimestamp() == plan.created_at && timestamp() == plan.time
  error_message = "Above \${local.limit} MB in \${var.env}."
}`);
    const plan = planOf([registration(jobOf('etl', { memory: 4096 }))]);
    const [result] = evaluateChecks(project, plan, { time: THURSDAY }).results;
    expect(result).toMatchObject({ status: 'failed', messages: ['Above 2048 MB in prod.'] });
  });

  it('the changed field paths and what happens to allocations', () => {
    const project = checksOf(`
check "replacing" {
  condition     = !anytrue([for c in plan.changes : c.replaces])
  error_message = "Replaces allocations."
}
check "stopping" {
  condition     = !anytrue([for c in plan.changes : c.stops])
  error_message = "Stops allocations."
}`);
    const plan = planOf([
      registration(jobOf('api'), 'update', { DestructiveUpdate: 2 }),
      registration(jobOf('web'), 'update', { InPlaceUpdate: 1 }),
      deletion('old'),
    ]);
    const report = evaluateChecks(project, plan, { time: THURSDAY });
    expect(report.results.map((r) => [r.name, r.failing])).toEqual([
      ['replacing', ['job default/api']],
      ['stopping', ['job default/old']],
    ]);
  });
});
