/**
 * Charger timestamps are the event time wherever a charger sends one, but chargers send offsets,
 * fractional seconds and the odd broken clock. We store them as UTC ISO strings and fall back to
 * the edge clock when the text is not a date at all (the payload schema already checked the format,
 * this guards handlers that are called without validation, e.g. in tests and replays).
 */
export function normaliseTimestamp(raw: string | undefined, fallback: Date): string {
  if (raw !== undefined) {
    const ms = Date.parse(raw);
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  return fallback.toISOString();
}
