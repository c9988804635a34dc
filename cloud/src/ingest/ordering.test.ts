import type { Envelope } from '@voltmesh/contract';
import { describe, expect, it } from 'vitest';
import { compareEnvelopes, orderingTime } from './ordering.js';

const env = (occurredAt: string, receivedAt: string, seq: number) =>
  ({ occurredAt, receivedAt, seq }) as Envelope;

describe('event ordering', () => {
  it('orders by event time, then by the edge sequence', () => {
    const a = env('2026-11-22T10:00:00Z', '2026-11-22T10:00:01Z', 9);
    const b = env('2026-11-22T10:00:01Z', '2026-11-22T10:00:01Z', 1);
    const c = env('2026-11-22T10:00:01Z', '2026-11-22T10:00:02Z', 2);
    expect([c, b, a].sort(compareEnvelopes)).toEqual([a, b, c]);
  });

  it('keeps a charger clock slightly ahead, and replaces one far ahead by the receive time', () => {
    expect(orderingTime(env('2026-11-22T10:04:00.000Z', '2026-11-22T10:00:00.000Z', 1))).toBe(
      '2026-11-22T10:04:00.000Z',
    );
    expect(orderingTime(env('2027-01-01T00:00:00.000Z', '2026-11-22T10:00:00.000Z', 1))).toBe(
      '2026-11-22T10:00:00.000Z',
    );
    // A clock behind is kept: late and replayed events must stay older than what came after them.
    expect(orderingTime(env('2026-11-21T10:00:00.000Z', '2026-11-22T10:00:00.000Z', 1))).toBe(
      '2026-11-21T10:00:00.000Z',
    );
  });
});
