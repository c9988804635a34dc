/**
 * The TimescaleDB storage path as SQL: `meter_samples` and `station_events` become hypertables
 * (same columns, keys and indexes; the monthly partitions' rows are copied over), continuous
 * aggregates per connector at 1 min / 15 min / 1 h / 1 day (each level built on the one below),
 * compression and retention policies. `applyTimescale` runs these statements in order, in one
 * transaction, once; docs/storage.md explains each choice.
 */
export interface TimescalePolicy {
  /** Compress raw chunks older than this (meter samples and events). */
  compressAfterDays: number;
  /** Drop raw meter samples older than this. */
  meterRetentionDays: number;
  /** Drop station events older than this. */
  eventRetentionDays: number;
}

export const DEFAULT_TIMESCALE_POLICY: TimescalePolicy = {
  compressAfterDays: 7,
  meterRetentionDays: 395,
  eventRetentionDays: 730,
};

const REGISTER = `measurand = 'Energy.Active.Import.Register' AND phase = '' AND location IN ('', 'Outlet', 'outlet')`;
const INTERVAL = `measurand = 'Energy.Active.Import.Interval' AND phase = '' AND location IN ('', 'Outlet', 'outlet')`;
const POWER = `measurand = 'Power.Active.Import' AND location IN ('', 'Outlet', 'outlet')`;

/**
 * Each level: its view, the interval, what it reads, and its refresh window and retention. Samples
 * that arrive after the window has passed them are materialized by the late-refresh job.
 */
export const AGGREGATE_LEVELS = [
  {
    view: 'meter_agg_1m',
    interval: '1 minute',
    source: null,
    startOffsetDays: 2,
    endOffset: '1 minute',
    every: '1 minute',
    keepDays: 35,
  },
  {
    view: 'meter_agg_15m',
    interval: '15 minutes',
    source: 'meter_agg_1m',
    startOffsetDays: 7,
    endOffset: '15 minutes',
    every: '5 minutes',
    keepDays: 400,
  },
  {
    view: 'meter_agg_1h',
    interval: '1 hour',
    source: 'meter_agg_15m',
    startOffsetDays: 30,
    endOffset: '1 hour',
    every: '30 minutes',
    keepDays: null,
  },
  {
    view: 'meter_agg_1d',
    interval: '1 day',
    source: 'meter_agg_1h',
    startOffsetDays: 90,
    endOffset: '1 day',
    every: '1 hour',
    keepDays: null,
  },
] as const;

const int = (name: string, v: number) => {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
};

/** Converts one plain or partitioned table into a hypertable, keeping its rows and index definitions. */
const TO_HYPERTABLE_FN = `
CREATE OR REPLACE FUNCTION vm_to_hypertable(tbl text, time_column text, chunk interval)
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  defs text[];
  d text;
  ix record;
BEGIN
  IF EXISTS (SELECT 1 FROM timescaledb_information.hypertables
              WHERE hypertable_schema = current_schema() AND hypertable_name = tbl) THEN
    RETURN;
  END IF;
  SELECT array_agg(indexdef ORDER BY indexname) INTO defs
    FROM pg_indexes WHERE schemaname = current_schema() AND tablename = tbl;
  FOR ix IN SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = tbl LOOP
    EXECUTE format('ALTER INDEX %I RENAME TO %I', ix.indexname, ix.indexname || '_monthly');
  END LOOP;
  EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, tbl || '_monthly');
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', tbl, tbl || '_monthly');
  PERFORM create_hypertable(tbl::regclass, by_range(time_column::name, chunk));
  FOREACH d IN ARRAY coalesce(defs, '{}'::text[]) LOOP
    EXECUTE d;
  END LOOP;
  EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, tbl || '_monthly');
  EXECUTE format('DROP TABLE %I', tbl || '_monthly');
END
$fn$`;

/** Monthly partitions do not apply to hypertables: the partition maintenance becomes a no-op. */
const PARTITIONS_NOOP_FN = `
CREATE OR REPLACE FUNCTION vm_ensure_monthly_partitions(parent text, time_column text, months_ahead integer)
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  month_start date;
  month_end date;
  part text;
  created integer := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass(parent) AND relkind = 'p') THEN
    RETURN 0;
  END IF;
  FOR i IN -1..months_ahead LOOP
    month_start := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date;
    month_end := (month_start + interval '1 month')::date;
    part := format('%s_y%sm%s', parent, to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
    CONTINUE WHEN to_regclass(part) IS NOT NULL;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
    EXECUTE format(
      'WITH moved AS (DELETE FROM %I WHERE %I >= %L::timestamptz AND %I < %L::timestamptz RETURNING *) '
      'INSERT INTO %I SELECT * FROM moved',
      parent || '_default', time_column, month_start, time_column, month_end, part);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
      parent, part, month_start::timestamptz, month_end::timestamptz);
    created := created + 1;
  END LOOP;
  RETURN created;
END
$fn$`;

const RAW_AGGREGATE = `
SELECT time_bucket('1 minute', at) AS bucket, station_id, evse_id, connector_id, tenant_id,
       CASE WHEN count(*) FILTER (WHERE ${POWER} AND phase = '') > 0
            THEN sum(value) FILTER (WHERE ${POWER} AND phase = '')
            ELSE coalesce(sum(value) FILTER (WHERE ${POWER} AND phase <> ''), 0) END AS power_sum_w,
       CASE WHEN count(*) FILTER (WHERE ${POWER} AND phase = '') > 0
            THEN count(*) FILTER (WHERE ${POWER} AND phase = '')
            ELSE count(DISTINCT at) FILTER (WHERE ${POWER} AND phase <> '') END AS power_count,
       max(value) FILTER (WHERE ${POWER} AND phase = '') AS power_max_w,
       first(value, at) FILTER (WHERE ${REGISTER}) AS register_first_wh,
       min(at) FILTER (WHERE ${REGISTER}) AS register_first_at,
       last(value, at) FILTER (WHERE ${REGISTER}) AS register_last_wh,
       max(at) FILTER (WHERE ${REGISTER}) AS register_last_at,
       sum(value) FILTER (WHERE ${INTERVAL}) AS interval_wh
  FROM meter_samples
 GROUP BY 1, 2, 3, 4, 5`;

const rollupAggregate = (interval: string, source: string) => `
SELECT time_bucket('${interval}', bucket) AS bucket, station_id, evse_id, connector_id, tenant_id,
       sum(power_sum_w) AS power_sum_w, sum(power_count) AS power_count, max(power_max_w) AS power_max_w,
       first(register_first_wh, register_first_at) FILTER (WHERE register_first_at IS NOT NULL) AS register_first_wh,
       min(register_first_at) AS register_first_at,
       last(register_last_wh, register_last_at) FILTER (WHERE register_last_at IS NOT NULL) AS register_last_wh,
       max(register_last_at) AS register_last_at,
       sum(interval_wh) AS interval_wh
  FROM ${source}
 GROUP BY 1, 2, 3, 4, 5`;

export function timescaleStatements(policy: TimescalePolicy = DEFAULT_TIMESCALE_POLICY): string[] {
  const compressAfter = int('compressAfterDays', policy.compressAfterDays);
  const meterKeep = int('meterRetentionDays', policy.meterRetentionDays);
  const eventKeep = int('eventRetentionDays', policy.eventRetentionDays);
  const statements = [
    TO_HYPERTABLE_FN,
    PARTITIONS_NOOP_FN,
    `SELECT vm_to_hypertable('meter_samples', 'at', interval '1 day')`,
    `SELECT vm_to_hypertable('station_events', 'occurred_at', interval '7 days')`,
  ];
  for (const level of AGGREGATE_LEVELS) {
    const body = level.source === null ? RAW_AGGREGATE : rollupAggregate(level.interval, level.source);
    statements.push(
      `CREATE MATERIALIZED VIEW ${level.view}
         WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS ${body} WITH NO DATA`,
      `CREATE INDEX ${level.view}_tenant_idx ON ${level.view} (tenant_id, bucket)`,
      `SELECT add_continuous_aggregate_policy('${level.view}', start_offset => interval '${level.startOffsetDays} days',
         end_offset => interval '${level.endOffset}', schedule_interval => interval '${level.every}')`,
    );
    if (level.keepDays !== null)
      statements.push(`SELECT add_retention_policy('${level.view}', interval '${level.keepDays} days')`);
  }
  statements.push(
    `ALTER TABLE meter_samples SET (timescaledb.compress, timescaledb.compress_segmentby = 'station_id',
       timescaledb.compress_orderby = 'at')`,
    `SELECT add_compression_policy('meter_samples', interval '${compressAfter} days')`,
    `ALTER TABLE station_events SET (timescaledb.compress, timescaledb.compress_segmentby = 'station_id',
       timescaledb.compress_orderby = 'occurred_at')`,
    `SELECT add_compression_policy('station_events', interval '${compressAfter} days')`,
    `SELECT add_retention_policy('meter_samples', interval '${meterKeep} days')`,
    `SELECT add_retention_policy('station_events', interval '${eventKeep} days')`,
  );
  return statements;
}
