/**
 * The rollup job of the plain-PostgreSQL path: every few seconds one cloud process (whichever takes
 * the advisory lock) reads the meter.samples events ingested since the last pass and recomputes the
 * rollups they touch. Late and offline batches are just more ingested events; their samples land in
 * old buckets, which are recomputed the same way. Rollups past their retention are dropped.
 */
import { withTransaction, type Db } from '../db/pool.js';
import { BUCKETS, type Bucket } from './buckets.js';
import { DIRTY_CONNECTORS_SQL, ROLLUP_1M_SQL, ROLLUP_COARSE_SQL } from './rollup-sql.js';

/** pg_try_advisory_xact_lock key: one rollup pass at a time across every cloud process. */
export const ROLLUP_LOCK_KEY = 0x766d_726f; // 'vmro'
const STATE_NAME = 'meter_rollups';
/**
 * Re-read events ingested this long before the watermark: an ingest transaction that started
 * before the last pass (ingested_at = its start) may have committed after it.
 */
const OVERLAP_MS = 2 * 60_000;
const RETENTION_EVERY_MS = 3_600_000;

export interface RollupResult {
  ran: boolean;
  connectors: number;
  rows1m: number;
}

interface DirtyRow {
  station_id: string;
  evse_id: number;
  connector_id: number;
  lo: Date;
  hi: Date;
}

/** One pass; `retention` also drops rollups past their keep time (the job does that hourly). */
export async function runRollup(db: Db, options: { retention?: boolean } = {}): Promise<RollupResult> {
  return withTransaction(db, async (tx) => {
    const { rows: lock } = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
      ROLLUP_LOCK_KEY,
    ]);
    if (!lock[0]?.ok) return { ran: false, connectors: 0, rows1m: 0 };
    const { rows: state } = await tx.query<{ watermark: Date | null; upper: Date }>(
      'SELECT (SELECT watermark FROM rollup_state WHERE name = $1) AS watermark, now() AS upper',
      [STATE_NAME],
    );
    const { watermark, upper } = state[0]!;
    // The first pass reads every event ever ingested (a database that had data before the rollups).
    const from = watermark === null ? new Date(0) : new Date(watermark.getTime() - OVERLAP_MS);
    const { rows: dirty } = await tx.query<DirtyRow>(DIRTY_CONNECTORS_SQL, [from, upper]);
    let rows1m = 0;
    if (dirty.length > 0) {
      const params = [
        dirty.map((d) => d.station_id),
        dirty.map((d) => d.evse_id),
        dirty.map((d) => d.connector_id),
        dirty.map((d) => d.lo),
        dirty.map((d) => d.hi),
      ];
      rows1m = (await tx.query(ROLLUP_1M_SQL, params)).rowCount ?? 0;
      for (const width of ['15m', '1h', '1d'] as const satisfies readonly Bucket[]) {
        await tx.query(ROLLUP_COARSE_SQL, [...params, width, BUCKETS[width].interval]);
      }
    }
    for (const [width, b] of Object.entries(BUCKETS)) {
      if (b.keptDays === null || options.retention !== true) continue;
      await tx.query(
        `DELETE FROM meter_rollups WHERE width = $1 AND bucket < $2::timestamptz - make_interval(days => $3)`,
        [width, upper, b.keptDays],
      );
    }
    await tx.query(
      `INSERT INTO rollup_state (name, watermark) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET watermark = EXCLUDED.watermark`,
      [STATE_NAME, upper],
    );
    return { ran: true, connectors: dirty.length, rows1m };
  });
}

export interface RollupJob {
  stop(): Promise<void>;
}

/** Runs `runRollup` every `intervalMs`, one pass at a time; a failed pass is retried next tick. */
export function startRollupJob(deps: {
  db: Db;
  intervalMs: number;
  onError: (error: unknown) => void;
}): RollupJob {
  let running: Promise<void> | null = null;
  let retentionAtMs = 0;
  const tick = () => {
    if (running !== null) return;
    const retention = Date.now() - retentionAtMs >= RETENTION_EVERY_MS;
    if (retention) retentionAtMs = Date.now();
    running = runRollup(deps.db, { retention })
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
