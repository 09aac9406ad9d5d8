import { parseTimeout } from '../../../src/cli/watch-flags.js';

describe('--timeout', () => {
  it('takes Go durations, 0s meaning no bound', () => {
    expect(parseTimeout('90s')).toBe(90_000);
    expect(parseTimeout('1h30m')).toBe(5_400_000);
    expect(parseTimeout('0s')).toBe(0);
    expect(parseTimeout('0')).toBe(0);
  });

  it('refuses what is not a duration, with a hint', () => {
    expect(() => parseTimeout('-1s')).toThrow('--timeout -1s: not a duration');
    expect(() => parseTimeout('10 minutes')).toThrow('--timeout 10 minutes: not a duration');
  });
});
