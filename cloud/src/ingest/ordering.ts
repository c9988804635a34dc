/**
 * The order state is built in: event time, then the edge's per-station sequence. Event time is the
 * charger's clock where the message carries one, and charger clocks can be far ahead; one event
 * stamped next year would freeze every projection it guards until then. So a time more than
 * `MAX_CLOCK_AHEAD_MS` past the edge's receive time is replaced by the receive time for ordering
 * (the stored event keeps what the charger said).
 */
import type { Envelope } from '@voltmesh/contract';

export const MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000;

/** The time used to order this event against others, as an ISO string. */
export function orderingTime(env: Envelope): string {
  const occurred = Date.parse(env.occurredAt);
  const received = Date.parse(env.receivedAt);
  return occurred > received + MAX_CLOCK_AHEAD_MS ? new Date(received).toISOString() : env.occurredAt;
}

export function compareEnvelopes(a: Envelope, b: Envelope): number {
  return Date.parse(orderingTime(a)) - Date.parse(orderingTime(b)) || a.seq - b.seq;
}
