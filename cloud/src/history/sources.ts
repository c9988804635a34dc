/**
 * Where the aggregate history queries read per-connector buckets from: the rollup table on plain
 * PostgreSQL, the continuous aggregates on TimescaleDB. Both yield the same relation
 * `(bucket, station_id, site_id, evse_id, connector_id, energy_wh, power_sum_w, power_count)`, so the
 * queries above them are written once.
 */
import { BUCKETS, type Bucket } from './buckets.js';

export const STORAGE_ENGINES = ['postgres', 'timescaledb'] as const;
export type StorageEngine = (typeof STORAGE_ENGINES)[number];

/**
 * Filter placeholders every source understands: `$1` tenant, `$2` from, `$3` to, `$4` station or
 * null, `$5` site or null, `$6` scope site or null, `$7` scope city or null.
 */
export const SOURCE_PARAMS = 7;

const stationFilter = (alias: string) => `
      ${alias}.tenant_id = $1
      AND ($4::uuid IS NULL OR ${alias}.station_id = $4)
      AND ($5::uuid IS NULL OR st.site_id = $5)
      AND ($6::uuid IS NULL OR st.site_id = $6)
      AND ($7::uuid IS NULL OR st.site_id IN (SELECT id FROM sites WHERE city_id = $7 AND tenant_id = $1))`;

export function bucketSource(engine: StorageEngine, bucket: Bucket): string {
  // `bucket` is one of four fixed names: safe to place in the SQL text.
  if (!(bucket in BUCKETS)) throw new Error(`unknown bucket ${bucket}`);
  if (engine === 'postgres') {
    return `(
    SELECT r.bucket, r.station_id, r.site_id, r.evse_id, r.connector_id, r.energy_wh, r.power_sum_w, r.power_count
      FROM meter_rollups r JOIN stations st ON st.id = r.station_id
     WHERE r.width = '${bucket}' AND r.bucket >= $2 AND r.bucket < $3 AND ${stationFilter('r')}
  )`;
  }
  // Continuous aggregates keep first/last register per bucket; the energy of a bucket is the step
  // from the previous bucket's last reading (or this bucket's first) to this bucket's last one.
  return `(
    SELECT a.bucket, a.station_id, a.site_id, a.evse_id, a.connector_id,
           CASE WHEN a.register_last_wh IS NULL THEN coalesce(a.interval_wh, 0)
                ELSE coalesce(vm_step_energy_wh(coalesce(a.prev_wh, a.register_first_wh), a.register_last_wh,
                       extract(epoch FROM a.register_last_at - coalesce(a.prev_at, a.register_first_at))), 0)
           END AS energy_wh,
           a.power_sum_w, a.power_count
      FROM (
        SELECT v.*, st.site_id,
               lag(v.register_last_wh) OVER w AS prev_wh, lag(v.register_last_at) OVER w AS prev_at
          FROM meter_agg_${bucket} v JOIN stations st ON st.id = v.station_id
         WHERE v.bucket >= $2::timestamptz - interval '${BUCKETS[bucket].interval}' AND v.bucket < $3
           AND ${stationFilter('v')}
        WINDOW w AS (PARTITION BY v.station_id, v.evse_id, v.connector_id ORDER BY v.bucket)
      ) a
     WHERE a.bucket >= $2
  )`;
}
