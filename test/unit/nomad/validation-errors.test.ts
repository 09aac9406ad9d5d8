import { validationProblems } from '../../../src/nomad/validation-errors.js';

describe("Nomad's refusal of a job, read back one problem per line", () => {
  it('reads the nested lists Nomad 2.0.5 answered for a job with two problems, naming the group and task', () => {
    // The body of Nomad 2.0.5's HTTP 500 to PUT /v1/job/bad/plan (update block and memory below the minimum).
    const body =
      '1 error occurred:\n\t* Task group g validation failed: 2 errors occurred:\n\t* Minimum healthy time must be less than healthy deadline: 5m0s > 1m0s\n\t* Task t validation failed: 1 error occurred:\n\t* 1 error occurred:\n\t* 1 error occurred:\n\t* minimum MemoryMB value is 10; got 5\n\n\n\n\n\n\n\n\n\n\n';
    expect(validationProblems(body)).toEqual([
      'group "g": Minimum healthy time must be less than healthy deadline: 5m0s > 1m0s',
      'group "g", task "t": minimum MemoryMB value is 10; got 5',
    ]);
  });

  it('keeps problems outside any group, and other contexts in their words', () => {
    const body =
      '2 errors occurred:\n\t* job "rich" is in nonexistent node pool "gpu"\n\t* Task group g validation failed: 1 error occurred:\n\t* Constraint 1 validation failed: 1 error occurred:\n\t* Operator "=" requires an RTarget\n\n\n\n';
    expect(validationProblems(body)).toEqual([
      'job "rich" is in nonexistent node pool "gpu"',
      'group "g", Constraint 1: Operator "=" requires an RTarget',
    ]);
  });

  it('is not fooled by a server error that is no list of problems', () => {
    expect(validationProblems('No cluster leader')).toBeUndefined();
    expect(validationProblems('rpc error: 1 errors occurred:')).toBeUndefined();
    expect(validationProblems('')).toBeUndefined();
  });
});
