-- Up Migration
--
-- History on plain PostgreSQL: rollups of meter samples per connector at 1 min / 15 min / 1 h / 1 day
-- (maintained by the rollup job, cloud/src/history/rollup-job.ts), the energy step rule in SQL, the
-- indexes the history queries need, and sessions closed by the session watchdog. The TimescaleDB
-- path replaces the rollups with continuous aggregates (cloud/src/timescale/, docs/storage.md).

-- Energy added between two consecutive readings of one register series. The same rule as
-- stepEnergyWh in cloud/src/energy/register-steps.ts (1 MW is the plausibility bound); keep them equal.
CREATE FUNCTION vm_step_energy_wh(prev_wh double precision, cur_wh double precision, elapsed_s double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE
    WHEN prev_wh IS NULL OR cur_wh IS NULL THEN NULL
    WHEN cur_wh - prev_wh >= 0 THEN
      CASE WHEN cur_wh - prev_wh <= 1000000 * greatest(coalesce(elapsed_s, 0), 1) / 3600
           THEN cur_wh - prev_wh ELSE 0 END
    WHEN cur_wh >= 0 AND cur_wh <= 1000000 * greatest(coalesce(elapsed_s, 0), 1) / 3600 THEN cur_wh
    ELSE 0
  END
$fn$;

CREATE TABLE meter_rollups (
  width text NOT NULL CHECK (width IN ('1m', '15m', '1h', '1d')),
  bucket timestamptz NOT NULL,
  station_id uuid NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  evse_id integer NOT NULL,
  connector_id integer NOT NULL,
  tenant_id uuid NOT NULL,
  site_id uuid NOT NULL,
  -- Register deltas (energy module rules) attributed to the bucket of the later reading; interval
  -- readings when the bucket has no register reading.
  energy_wh double precision NOT NULL,
  -- Sum and count of power readings (per time: the whole-meter value, else the phases added), so a
  -- coarser bucket averages exactly.
  power_sum_w double precision NOT NULL,
  power_count integer NOT NULL,
  power_max_w double precision,
  PRIMARY KEY (width, station_id, evse_id, connector_id, bucket)
);
CREATE INDEX meter_rollups_tenant_idx ON meter_rollups (width, tenant_id, bucket);
CREATE INDEX meter_rollups_site_idx ON meter_rollups (width, site_id, bucket);
CREATE INDEX meter_rollups_bucket_idx ON meter_rollups (width, bucket);

-- How far the rollup job has read station_events (by ingested_at).
CREATE TABLE rollup_state (
  name text PRIMARY KEY,
  watermark timestamptz NOT NULL
);

CREATE INDEX station_events_ingested_idx ON station_events (ingested_at) WHERE type = 'meter.samples';
-- Timeline and fleet status read only the events that change a station's state.
CREATE INDEX station_events_state_idx ON station_events (tenant_id, occurred_at)
  WHERE type IN ('station.connected', 'station.disconnected', 'station.booted', 'connector.status');
CREATE INDEX station_events_station_state_idx ON station_events (station_id, occurred_at)
  WHERE type IN ('station.connected', 'station.disconnected', 'station.booted', 'connector.status');
CREATE INDEX sessions_station_started_idx ON sessions (station_id, started_at DESC NULLS LAST);

ALTER TABLE sessions DROP CONSTRAINT sessions_status_check;
ALTER TABLE sessions
  ADD CONSTRAINT sessions_status_check
    CHECK (status IN ('active', 'completed', 'stopped_by_operator', 'closed_by_watchdog')),
  ADD COLUMN watchdog_closed_at timestamptz;

-- Down Migration
ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_status_check, DROP COLUMN IF EXISTS watchdog_closed_at;
UPDATE sessions SET status = 'completed' WHERE status = 'closed_by_watchdog';
ALTER TABLE sessions
  ADD CONSTRAINT sessions_status_check CHECK (status IN ('active', 'completed', 'stopped_by_operator'));
DROP INDEX IF EXISTS sessions_station_started_idx, station_events_station_state_idx, station_events_state_idx,
  station_events_ingested_idx;
DROP TABLE IF EXISTS rollup_state, meter_rollups;
DROP FUNCTION IF EXISTS vm_step_energy_wh(double precision, double precision, double precision);
