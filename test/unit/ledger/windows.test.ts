import { chunks, finalEdge, parseSeconds, parseSince } from '../../../src/ledger/windows.js';

describe('which buckets a sync reads, and which are final', () => {
  test('a bucket is final once the grace has passed since it closed, not before', () => {
    // [3600, 7200) closed at 7200; with 900 s of grace it is final from 8100 on.
    expect(finalEdge(8_099, 3_600, 900)).toBe(3_600);
    expect(finalEdge(8_100, 3_600, 900)).toBe(7_200);
  });

  test('the ranges run from the first bucket not final to the end of the bucket holding now, one page each', () => {
    expect(chunks(0, 100, 60, 1)).toEqual([
      [0, 60],
      [60, 120],
    ]);
    // now on a bucket edge: that bucket has begun and is read too.
    expect(chunks(0, 120, 60, 2)).toEqual([
      [0, 120],
      [120, 180],
    ]);
    expect(chunks(0, 59, 60, 1440)).toEqual([[0, 60]]);
  });

  test('a backfill of a year of daily buckets is 12 pages of 31 days', () => {
    expect(chunks(0, 365 * 86_400 - 1, 86_400, 31)).toHaveLength(12);
  });

  test('durations and days parse; anything else is an error naming the flag', () => {
    expect([parseSeconds('900', '--g'), parseSeconds('15m', '--g'), parseSeconds('2d', '--g')]).toEqual([
      900, 900, 172_800,
    ]);
    expect(() => parseSeconds('15 minutes', '--usage-grace')).toThrow(/--usage-grace/);
    expect(parseSince('2026-01-01')).toBe(Date.UTC(2026, 0, 1) / 1000);
    expect(() => parseSince('2026-02-30')).toThrow(/--since/);
    expect(() => parseSince('yesterday')).toThrow(/--since/);
  });
});
