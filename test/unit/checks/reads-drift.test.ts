import { readsDrift } from '../../../src/checks/reads-drift.js';
import { checksOf } from './checks-fixture.js';

const rule = (condition: string, message = '"x"') =>
  `check "r" {\n  condition     = ${condition}\n  error_message = ${message}\n}\n`;

describe('readsDrift: whether apply must read the stack drift for its checks', () => {
  it.each([
    ['plan.drift', rule('length(plan.drift) == 0')],
    ["plan['drift']", rule('length(plan["drift"]) == 0')],
    ["a change's drift", rule('alltrue([for c in plan.changes : length(c.drift) == 0])')],
    ['a splat of it', rule('length(flatten(plan.changes[*].drift)) == 0')],
    ['the message only', rule('true', '"${length(plan.drift)} drifted"')],
    ['plan whole, passed to a function', rule('length(keys(plan)) > 0')],
    ['plan whole, iterated', rule('alltrue([for k, v in plan : v != null])')],
  ])('reads it: %s', (_name, text) => {
    expect(readsDrift(checksOf(text))).toBe(true);
  });

  it.each([
    ['images', rule('alltrue([for t in plan.tasks : !endswith(try(t.config.image, ""), ":latest")])')],
    ['deletes', rule('length([for c in plan.changes : c if c.action == "delete"]) == 0')],
    ['the time', rule('formatdate("EEE", plan.time) != "Fri"')],
    ['a variable named like it', rule('var.drift == null', '"drift: ${var.drift}"')],
  ])('does not: %s', (_name, text) => {
    expect(readsDrift(checksOf(text))).toBe(false);
  });
});
