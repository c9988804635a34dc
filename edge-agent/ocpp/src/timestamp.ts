/**
 * Charger timestamps are the event time wherever a charger sends one. We store them as UTC ISO
 * strings. A timestamp without an offset is read as UTC (2.0.1 requires RFC 3339 times, which carry
 * an offset, and both versions recommend UTC), never in the edge host's local zone, which would make
 * the same frame mean different instants on different machines. Text that is not a date at all falls
 * back to the edge clock; schema validation normally rejects it before a handler runs.
 */
const HAS_OFFSET = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function normaliseTimestamp(raw: string | undefined, fallback: Date): string {
  if (raw !== undefined && DATE_TIME.test(raw)) {
    const ms = Date.parse(HAS_OFFSET.test(raw) ? raw : `${raw}Z`);
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  return fallback.toISOString();
}
