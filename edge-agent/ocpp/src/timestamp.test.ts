import { describe, expect, it } from 'vitest';
import { normaliseTimestamp } from './timestamp.js';

const fallback = new Date('2026-01-15T10:00:00.000Z');

describe('normaliseTimestamp', () => {
  it('converts offsets to UTC and keeps milliseconds', () => {
    expect(normaliseTimestamp('2026-01-15T11:30:00.250+01:00', fallback)).toBe('2026-01-15T10:30:00.250Z');
    expect(normaliseTimestamp('2026-01-15T10:30:00Z', fallback)).toBe('2026-01-15T10:30:00.000Z');
  });

  it('reads a timestamp without an offset as UTC, not as host local time', () => {
    expect(normaliseTimestamp('2026-01-15T10:30:00', fallback)).toBe('2026-01-15T10:30:00.000Z');
  });

  it('falls back to the edge clock for missing or unreadable text', () => {
    expect(normaliseTimestamp(undefined, fallback)).toBe('2026-01-15T10:00:00.000Z');
    expect(normaliseTimestamp('yesterday', fallback)).toBe('2026-01-15T10:00:00.000Z');
    expect(normaliseTimestamp('1700000000', fallback)).toBe('2026-01-15T10:00:00.000Z');
  });
});
