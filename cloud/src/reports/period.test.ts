import { describe, expect, it } from 'vitest';
import { type ApiError } from '../api/problem.js';
import { resolvePeriod } from './period.js';

const NOW = Date.parse('2026-12-15T12:00:00Z');
const iso = (p: { from: Date; to: Date }) => [p.from.toISOString(), p.to.toISOString()];

describe('resolvePeriod', () => {
  it('defaults to the current UTC month, or the month of `to`, or from `from` to the end of this month', () => {
    expect(iso(resolvePeriod({}, NOW, 400))).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
    expect(iso(resolvePeriod({ to: '2026-11-15T00:00:00Z' }, NOW, 400))).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-11-15T00:00:00.000Z',
    ]);
    expect(iso(resolvePeriod({ to: '2026-11-01T00:00:00Z' }, NOW, 400))).toEqual([
      '2026-10-01T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
    ]);
    expect(iso(resolvePeriod({ from: '2026-10-10T00:00:00Z' }, NOW, 400))).toEqual([
      '2026-10-10T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });

  it('refuses backwards and too long periods naming the field', () => {
    const refused = (q: { from?: string; to?: string }, days: number) => {
      try {
        resolvePeriod(q, NOW, days);
      } catch (error) {
        return [(error as ApiError).code, (error as ApiError).extra.errors?.[0]?.path];
      }
      return null;
    };
    expect(refused({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }, 400)).toEqual([
      'report.range_invalid',
      'to',
    ]);
    expect(refused({ from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }, 93)).toEqual([
      'report.range_invalid',
      'from',
    ]);
    expect(refused({ from: '2026-09-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }, 93)).toBeNull();
  });
});
