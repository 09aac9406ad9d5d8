import { sameJson } from './json-equal.js';

/** Each pair with whether JSON.stringify writes the two the same (checked against it as well). */
const CASES: Array<[string, unknown, unknown, boolean]> = [
  ['equal nested objects', { a: 1, b: { c: [1, 'x', null] } }, { a: 1, b: { c: [1, 'x', null] } }, true],
  ['a changed leaf deep down', { a: { b: [{ c: '3601' }] } }, { a: { b: [{ c: '3602' }] } }, false],
  ['the same keys in another order', { a: 1, b: 2 }, { b: 2, a: 1 }, false],
  ['a key only one side has', { a: 1 }, { a: 1, b: null }, false],
  ['an undefined member, left out', { a: 1, b: undefined }, { a: 1 }, true],
  ['an undefined member between others', { a: 1, b: undefined, c: 3 }, { a: 1, c: 3 }, true],
  ['a function member, left out', { a: 1, f: () => 1 }, { a: 1 }, true],
  ['undefined in an array, written as null', [1, undefined], [1, null], true],
  ['a shorter array', [1, 2], [1], false],
  ['an array and an object with its indexes', [1], { 0: 1 }, false],
  ['NaN and Infinity, written as null', { a: NaN, b: [Infinity] }, { a: null, b: [null] }, true],
  ['-0 and 0', { a: -0 }, { a: 0 }, true],
  ['a number and its text', { a: 1 }, { a: '1' }, false],
  ['null and an empty object', { a: null }, { a: {} }, false],
  ['false and null', [false], [null], false],
  ['a Date and its ISO text', { t: new Date(0) }, { t: '1970-01-01T00:00:00.000Z' }, true],
];

describe('sameJson', () => {
  it.each(CASES)('%s', (_, a, b, expected) => {
    expect(JSON.stringify(a) === JSON.stringify(b)).toBe(expected);
    expect(sameJson(a, b)).toBe(expected);
    expect(sameJson(b, a)).toBe(expected);
  });

  it('leaves the ignored keys of the top-level objects out, and only those', () => {
    const ignored = new Set(['Version', 'ModifyIndex']);
    expect(sameJson({ ID: 'a', Version: 1, ModifyIndex: 7 }, { ID: 'a', Version: 2 }, ignored)).toBe(true);
    expect(sameJson({ Version: 1, ID: 'a' }, { ID: 'a' }, ignored)).toBe(true);
    expect(sameJson({ ID: 'a', Version: 1 }, { ID: 'b', Version: 1 }, ignored)).toBe(false);
    expect(sameJson({ Task: { Version: 1 } }, { Task: { Version: 2 } }, ignored)).toBe(false);
  });
});
