import { formatDuration, goDurationString, parseGoDuration } from '../../../src/util/duration.js';

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

describe("Go's Duration.String, as Nomad's errors print durations", () => {
  it.each([
    [0, '0s'],
    [1.5e9, '1.5s'],
    [60e9, '1m0s'],
    [300e9, '5m0s'],
    [-1e9, '-1s'],
    [3_600e9 + 1e9, '1h0m1s'],
    [300e6, '300ms'],
  ])('%d ns is %s', (ns, text) => {
    expect(goDurationString(ns)).toBe(text);
  });
});
