import { formatDuration, parseGoDuration } from '../../../src/util/duration.js';

describe('durations as people write them', () => {
  it.each([
    [250, '250ms'],
    [5_000, '5s'],
    [60_000, '60s'],
    [90_000, '90s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [5_400_000, '1h30m'],
    [3_600_000, '1h'],
  ])('%i ms is %s, which reads back as the same duration', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseGoDuration(text)).toBe(ms * 1e6);
  });
});
