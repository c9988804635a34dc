/**
 * SQL of the plain-PostgreSQL rollups. One pass recomputes, for each connector that received
 * samples, the 1-minute rollups over the time range those samples cover (from the first new sample
 * to the next register reading after the last one, whose delta a late sample changes), then the
 * 15 min / 1 h / 1 day rollups of the buckets that range touches, from the 1-minute rows. Every
 * statement is an idempotent upsert, so running a range twice or from two processes is harmless.
 * The energy step is `vm_step_energy_wh`, the SQL twin of `stepEnergyWh` (energy module).
 */
const REGISTER = `'Energy.Active.Import.Register'`;
const INTERVAL = `'Energy.Active.Import.Interval'`;
const POWER = `'Power.Active.Import'`;
const DELIVERED = `('', 'Outlet', 'outlet')`;

/** $1 from (exclusive), $2 to (inclusive) on ingested_at → (station, evse, connector, lo, hi). */
export const DIRTY_CONNECTORS_SQL = `
SELECT d.station_id, d.evse_id, d.connector_id, d.lo,
       greatest(d.hi, coalesce((
         SELECT min(m.at) FROM meter_samples m
          WHERE m.station_id = d.station_id AND m.evse_id = d.evse_id AND m.connector_id = d.connector_id
            AND m.measurand = ${REGISTER} AND m.at > d.hi AND m.at < d.hi + interval '7 days'), d.hi)) AS hi
  FROM (
    SELECT e.station_id, (e.payload->>'evseId')::int AS evse_id, (e.payload->>'connectorId')::int AS connector_id,
           min((s->>'at')::timestamptz) AS lo, max((s->>'at')::timestamptz) AS hi
      FROM station_events e CROSS JOIN LATERAL jsonb_array_elements(e.payload->'samples') s
     WHERE e.type = 'meter.samples' AND e.station_id IS NOT NULL AND e.ingested_at > $1 AND e.ingested_at <= $2
     GROUP BY 1, 2, 3
  ) d
  JOIN stations st ON st.id = d.station_id`;

/** Input arrays: $1 station, $2 evse, $3 connector, $4 lo, $5 hi. */
const RANGES = `
d AS (
  SELECT u.station_id, u.evse_id, u.connector_id,
         date_bin('1 minute', u.lo, 'epoch') AS lo,
         date_bin('1 minute', u.hi, 'epoch') + interval '1 minute' AS hi
    FROM unnest($1::uuid[], $2::int[], $3::int[], $4::timestamptz[], $5::timestamptz[])
      AS u(station_id, evse_id, connector_id, lo, hi)
)`;

export const ROLLUP_1M_SQL = `
WITH ${RANGES},
s AS (
  SELECT m.station_id, m.evse_id, m.connector_id, m.measurand, m.phase, m.at, m.value
    FROM d JOIN meter_samples m
      ON m.station_id = d.station_id AND m.evse_id = d.evse_id AND m.connector_id = d.connector_id
     AND m.at >= d.lo AND m.at < d.hi
   WHERE m.location IN ${DELIVERED} AND m.measurand IN (${REGISTER}, ${INTERVAL}, ${POWER})
  UNION ALL
  -- The reading before the range, per register series: the first delta in the range needs it.
  SELECT p.station_id, p.evse_id, p.connector_id, p.measurand, p.phase, p.at, p.value
    FROM d CROSS JOIN (VALUES (''), ('L1'), ('L2'), ('L3')) ph(phase)
    CROSS JOIN LATERAL (
      SELECT m.station_id, m.evse_id, m.connector_id, m.measurand, m.phase, m.at, m.value
        FROM meter_samples m
       WHERE m.station_id = d.station_id AND m.evse_id = d.evse_id AND m.connector_id = d.connector_id
         AND m.measurand = ${REGISTER} AND m.phase = ph.phase AND m.location IN ${DELIVERED}
         AND m.at < d.lo AND m.at >= d.lo - interval '7 days'
       ORDER BY m.at DESC LIMIT 1
    ) p
),
r AS (
  SELECT station_id, evse_id, connector_id, phase, at,
         vm_step_energy_wh(lag(value) OVER w, value, extract(epoch FROM at - lag(at) OVER w)) AS wh
    FROM (SELECT DISTINCT ON (station_id, evse_id, connector_id, phase, at) * FROM s
           WHERE measurand = ${REGISTER}
           ORDER BY station_id, evse_id, connector_id, phase, at, value DESC) reg
  WINDOW w AS (PARTITION BY station_id, evse_id, connector_id, phase ORDER BY at)
),
pw AS (
  SELECT station_id, evse_id, connector_id, at,
         coalesce(max(value) FILTER (WHERE phase = ''), sum(value) FILTER (WHERE phase <> '')) AS w
    FROM s WHERE measurand = ${POWER} GROUP BY 1, 2, 3, 4
),
x AS (
  SELECT station_id, evse_id, connector_id, at, phase, wh, NULL::float8 AS iv, NULL::float8 AS w FROM r
  UNION ALL
  SELECT station_id, evse_id, connector_id, at, phase, NULL, value, NULL FROM s WHERE measurand = ${INTERVAL}
  UNION ALL
  SELECT station_id, evse_id, connector_id, at, '', NULL, NULL, w FROM pw
),
agg AS (
  SELECT x.station_id, x.evse_id, x.connector_id, date_bin('1 minute', x.at, 'epoch') AS bucket,
         CASE
           WHEN bool_or(x.wh IS NOT NULL AND x.phase = '') THEN sum(x.wh) FILTER (WHERE x.phase = '')
           WHEN bool_or(x.wh IS NOT NULL) THEN sum(x.wh)
           ELSE coalesce(sum(x.iv) FILTER (WHERE x.phase = ''), sum(x.iv), 0)
         END AS energy_wh,
         coalesce(sum(x.w), 0) AS power_sum_w, count(x.w)::int AS power_count, max(x.w) AS power_max_w
    FROM x JOIN d ON d.station_id = x.station_id AND d.evse_id = x.evse_id AND d.connector_id = x.connector_id
   WHERE x.at >= d.lo
   GROUP BY 1, 2, 3, 4
)
INSERT INTO meter_rollups AS ro (width, bucket, station_id, evse_id, connector_id, tenant_id, site_id,
                                 energy_wh, power_sum_w, power_count, power_max_w)
SELECT '1m', agg.bucket, agg.station_id, agg.evse_id, agg.connector_id, st.tenant_id, st.site_id,
       agg.energy_wh, agg.power_sum_w, agg.power_count, agg.power_max_w
  FROM agg JOIN stations st ON st.id = agg.station_id
ON CONFLICT (width, station_id, evse_id, connector_id, bucket) DO UPDATE
   SET energy_wh = EXCLUDED.energy_wh, power_sum_w = EXCLUDED.power_sum_w,
       power_count = EXCLUDED.power_count, power_max_w = EXCLUDED.power_max_w`;

/** Same inputs plus $6 width name and $7 its interval: rebuilds the coarser buckets from 1 min rows. */
export const ROLLUP_COARSE_SQL = `
WITH ${RANGES},
c AS (
  SELECT station_id, evse_id, connector_id, date_bin($7::interval, lo, 'epoch') AS lo,
         date_bin($7::interval, hi - interval '1 minute', 'epoch') + $7::interval AS hi
    FROM d
)
INSERT INTO meter_rollups AS ro (width, bucket, station_id, evse_id, connector_id, tenant_id, site_id,
                                 energy_wh, power_sum_w, power_count, power_max_w)
SELECT $6::text, date_bin($7::interval, m.bucket, 'epoch'), m.station_id, m.evse_id, m.connector_id,
       m.tenant_id, m.site_id, sum(m.energy_wh), sum(m.power_sum_w), sum(m.power_count)::int, max(m.power_max_w)
  FROM c JOIN meter_rollups m
    ON m.width = '1m' AND m.station_id = c.station_id AND m.evse_id = c.evse_id
   AND m.connector_id = c.connector_id AND m.bucket >= c.lo AND m.bucket < c.hi
 GROUP BY 2, 3, 4, 5, 6, 7
ON CONFLICT (width, station_id, evse_id, connector_id, bucket) DO UPDATE
   SET energy_wh = EXCLUDED.energy_wh, power_sum_w = EXCLUDED.power_sum_w,
       power_count = EXCLUDED.power_count, power_max_w = EXCLUDED.power_max_w`;
