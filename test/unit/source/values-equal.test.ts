import fc from 'fast-check';
import { parseNumber, wholeNumber } from '../../../src/source/hcl/numbers.js';
import { valueKey, valuesEqual, type Value } from '../../../src/source/hcl/types.js';

/** Values as the evaluator holds them: JS and big numbers of the same value, strings that read as other values. */
const values: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<Value>(null, true, false, 'true', 'null', '1', '', '(sensitive)'),
    fc.integer({ min: -3, max: 3 }),
    fc.integer({ min: -3, max: 3 }).map((n) => wholeNumber(n)),
    fc.constantFrom('0.5', '1.0', '1e400').map((text) => parseNumber(text)!),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'Datacenters'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('== and != (valuesEqual)', () => {
  it('answer as comparing the values written out (valueKey) does, for every pair of values', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        expect(valuesEqual(a, b)).toBe(valueKey(a) === valueKey(b));
        expect(valuesEqual(a, a)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a number equals the same number however it is held; a string never equals a number or a bool', () => {
    expect(valuesEqual(1, wholeNumber(1))).toBe(true);
    expect(valuesEqual(parseNumber('1.0')!, 1)).toBe(true);
    expect(valuesEqual('1', 1)).toBe(false);
    expect(valuesEqual('true', true)).toBe(false);
    expect(valuesEqual(null, 'null')).toBe(false);
    expect(valuesEqual({ a: [1] }, { a: [wholeNumber(1)] })).toBe(true);
  });
});
