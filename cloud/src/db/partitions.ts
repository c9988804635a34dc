/** Keeps monthly partitions of the time-series tables created ahead of time (plain PostgreSQL path). */
import type { Db } from './pool.js';

export const PARTITIONED_TABLES = [
  { table: 'station_events', timeColumn: 'occurred_at' },
  { table: 'meter_samples', timeColumn: 'at' },
] as const;

/** Creates missing partitions from last month to `monthsAhead` ahead; returns how many were made. */
export async function ensurePartitions(db: Db, monthsAhead = 3): Promise<number> {
  let created = 0;
  for (const { table, timeColumn } of PARTITIONED_TABLES) {
    const { rows } = await db.query<{ n: number }>('SELECT vm_ensure_monthly_partitions($1, $2, $3) AS n', [
      table,
      timeColumn,
      monthsAhead,
    ]);
    created += rows[0]?.n ?? 0;
  }
  return created;
}
