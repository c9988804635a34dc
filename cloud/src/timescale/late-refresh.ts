/**
 * Late samples on the TimescaleDB path. The refresh policies materialize only their window (the
 * 1-minute aggregate looks back two days) and real-time aggregation covers only what lies after the
 * materialized part, so meter samples that reach the cloud later than that (an edge agent whose uplink
 * was down for three days drains its outbox; an import) would never enter the aggregates the history
 * and report queries read: their kWh would be missing there, although the raw samples are stored.
 *
 * This job finds such samples by the ingest time of their events (like the plain-PostgreSQL rollup
 * job) and refreshes every aggregate level, finest first, over the days they fall in. One process runs
 * it at a time (a session advisory lock: `refresh_continuous_aggregate` cannot run in a transaction).
 */
import type { PoolClient } from 'pg';
import type { Db } from '../db/pool.js';
import type { SqlRunner } from './apply.js';
import { AGGREGATE_LEVELS } from './sql.js';

export const LATE_REFRESH_LOCK_KEY = 0x766d_6c72; // 'vmlr'
const STATE_NAME = 'timescale_late_refresh';
const DAY_MS = 86_400_000;
/**
 * Samples older than this when ingested are outside the 1-minute refresh window (two days) or too
 * close to its edge to count on the next policy run; the margin covers a pass that is late.
 */
export const LATE_AFTER_MS = AGGREGATE_LEVELS[0].startOffsetDays * DAY_MS - 2 * 3_600_000;
/** Re-read events ingested this long before the watermark (a transaction that committed after the last pass). */
const OVERLAP_MS = 2 * 60_000;
/** A first pass starts here, not at the beginning of time (a database with years of events). */
const FIRST_PASS_MS = 3_600_000;

export interface LateRefreshResult {
  ran: boolean;
  /** The UTC days whose aggregates were refreshed. */
  days: string[];
}

/** One pass on one connection (a pool client, or PGlite in tests); not inside a transaction. */
export async function refreshLateSamples(db: SqlRunner): Promise<LateRefreshResult> {
  const { rows: lock } = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
    LATE_REFRESH_LOCK_KEY,
  ]);
  if (!lock[0]?.ok) return { ran: false, days: [] };
  try {
    const { rows: state } = await db.query<{ watermark: Date | null; upper: Date }>(
      'SELECT (SELECT watermark FROM rollup_state WHERE name = $1) AS watermark, now() AS upper',
      [STATE_NAME],
    );
    const { watermark, upper } = state[0]!;
    const upperMs = new Date(upper).getTime();
    const fromMs = watermark === null ? upperMs - FIRST_PASS_MS : new Date(watermark).getTime() - OVERLAP_MS;
    // The day each late event happened on; its samples may start a little before the event, so the
    // refreshed range reaches a day either side.
    const { rows } = await db.query<{ day: Date }>(
      `SELECT date_trunc('day', occurred_at, 'UTC') AS day
         FROM station_events
        WHERE type = 'meter.samples' AND ingested_at > $1 AND ingested_at <= $2
          AND occurred_at < $2::timestamptz - make_interval(secs => $3)
        GROUP BY 1 ORDER BY 1`,
      [new Date(fromMs), upper, LATE_AFTER_MS / 1000],
    );
    const days = rows.map((r) => new Date(r.day).getTime());
    for (const [lo, hi] of mergeDays(days)) {
      for (const level of AGGREGATE_LEVELS) {
        await db.query(
          `CALL refresh_continuous_aggregate('${level.view}', '${new Date(lo).toISOString()}', '${new Date(hi).toISOString()}')`,
        );
      }
    }
    await db.query(
      `INSERT INTO rollup_state (name, watermark) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET watermark = EXCLUDED.watermark`,
      [STATE_NAME, upper],
    );
    return { ran: true, days: days.map((d) => new Date(d).toISOString().slice(0, 10)) };
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [LATE_REFRESH_LOCK_KEY]);
  }
}

/** Day starts → ranges [day − 1 day, day + 2 days) merged where they touch. */
export function mergeDays(days: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    const lo = day - DAY_MS;
    const hi = day + 2 * DAY_MS;
    const last = ranges.at(-1);
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else ranges.push([lo, hi]);
  }
  return ranges;
}

export interface LateRefreshJob {
  stop(): Promise<void>;
}

/** Runs a pass every `intervalMs` on a connection of its own; a failed pass is retried next tick. */
export function startLateRefreshJob(deps: {
  db: Db;
  intervalMs: number;
  onRefreshed: (days: string[]) => void;
  onError: (error: unknown) => void;
}): LateRefreshJob {
  let running: Promise<void> | null = null;
  const pass = async () => {
    const client: PoolClient = await deps.db.connect();
    try {
      const result = await refreshLateSamples(client);
      if (result.days.length > 0) deps.onRefreshed(result.days);
    } finally {
      client.release();
    }
  };
  const tick = () => {
    if (running !== null) return;
    running = pass()
      .then(() => undefined, deps.onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, deps.intervalMs);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
