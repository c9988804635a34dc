import { describe, expect, it } from 'vitest';
import { mergeDays } from './late-refresh.js';

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (ranges: [number, number][]) =>
  ranges.map(([lo, hi]) => [
    new Date(lo).toISOString().slice(0, 10),
    new Date(hi).toISOString().slice(0, 10),
  ]);

describe('late-refresh ranges', () => {
  it('covers a day either side of each late day and merges ranges that touch', () => {
    expect(iso(mergeDays([]))).toEqual([]);
    expect(iso(mergeDays([day('2026-12-01')]))).toEqual([['2026-11-30', '2026-12-03']]);
    expect(iso(mergeDays([day('2026-12-05'), day('2026-12-01'), day('2026-12-02')]))).toEqual([
      ['2026-11-30', '2026-12-07'],
    ]);
    expect(iso(mergeDays([day('2026-12-01'), day('2026-12-10')]))).toEqual([
      ['2026-11-30', '2026-12-03'],
      ['2026-12-09', '2026-12-12'],
    ]);
  });
});
