/**
 * Bucket widths of the history API and how a query picks one: from the range when the caller does
 * not say, and never finer than what the rollups still keep for that range.
 */
export const BUCKETS = {
  '1m': { ms: 60_000, interval: '1 minute', keptDays: 35 },
  '15m': { ms: 15 * 60_000, interval: '15 minutes', keptDays: 400 },
  '1h': { ms: 3_600_000, interval: '1 hour', keptDays: null },
  '1d': { ms: 86_400_000, interval: '1 day', keptDays: null },
} as const satisfies Record<string, { ms: number; interval: string; keptDays: number | null }>;
export type Bucket = keyof typeof BUCKETS;
export const BUCKET_NAMES = Object.keys(BUCKETS) as Bucket[];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** ≤ 6 h → 1m, ≤ 3 d → 15m, ≤ 60 d → 1h, else 1d. */
export function bucketForRange(fromMs: number, toMs: number): Bucket {
  const span = toMs - fromMs;
  if (span <= 6 * HOUR_MS) return '1m';
  if (span <= 3 * DAY_MS) return '15m';
  if (span <= 60 * DAY_MS) return '1h';
  return '1d';
}

/** The requested width, made coarser while its rollup no longer holds data from `fromMs`. */
export function keptBucket(bucket: Bucket, fromMs: number, nowMs: number): Bucket {
  let i = BUCKET_NAMES.indexOf(bucket);
  for (;;) {
    const b = BUCKET_NAMES[i]!;
    const kept = BUCKETS[b].keptDays;
    if (kept === null || fromMs >= nowMs - kept * DAY_MS || i === BUCKET_NAMES.length - 1) return b;
    i++;
  }
}

/** Start of the UTC-aligned bucket holding `ms` (same origin as SQL `date_bin(..., 'epoch')`). */
export const bucketStart = (bucket: Bucket, ms: number) =>
  ms - (((ms % BUCKETS[bucket].ms) + BUCKETS[bucket].ms) % BUCKETS[bucket].ms);

export interface Range {
  fromMs: number;
  toMs: number;
}

/** `from`/`to` as given (ISO strings, validated by the route) or the default span ending now. */
export function resolveRange(
  q: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
  defaultSpanMs: number,
): Range {
  const toMs = q.to !== undefined ? Date.parse(q.to) : nowMs;
  const fromMs = q.from !== undefined ? Date.parse(q.from) : toMs - defaultSpanMs;
  return { fromMs, toMs };
}
