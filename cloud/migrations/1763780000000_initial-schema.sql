-- Up Migration
--
-- Voltmesh cloud schema, first cut. Storage never knows the OCPP version of a message: only the
-- normalized contract lands here. Time-series tables (station_events, meter_samples) are natively
-- range-partitioned by their time column and their keys include that column, so the same DDL can
-- become TimescaleDB hypertables later (docs/storage.md).

-- Fuzzy station search uses pg_trgm when the server ships it; without it the API falls back to ILIKE.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN undefined_file OR insufficient_privilege OR feature_not_supported THEN
  RAISE NOTICE 'pg_trgm unavailable (%), station search degrades to ILIKE', SQLERRM;
END
$$;

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  country_code text NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lon double precision CHECK (lon BETWEEN -180 AND 180),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

CREATE TABLE sites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  city_id uuid REFERENCES cities (id) ON DELETE SET NULL,
  -- The edge agent's SITE_ID: the first token of every event subject.
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  address text,
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lon double precision CHECK (lon BETWEEN -180 AND 180),
  grid_capacity_kw numeric(10, 2) CHECK (grid_capacity_kw >= 0),
  -- Edge liveness: edge clock of the last edge.status, and cloud clock when it arrived.
  edge_status_at timestamptz,
  edge_seen_at timestamptz,
  edge_agent_version text,
  edge_outbox_depth integer,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sites_tenant_idx ON sites (tenant_id);

CREATE TABLE stations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  identity text NOT NULL,
  name text NOT NULL,
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lon double precision CHECK (lon BETWEEN -180 AND 180),
  -- Auto-registered from traffic: no coordinates yet, an operator has to place it.
  unplaced boolean NOT NULL DEFAULT false,
  vendor text,
  model text,
  serial_number text,
  firmware_version text,
  ocpp_version text CHECK (ocpp_version IN ('ocpp1.6', 'ocpp2.0.1')),
  security_profile smallint,
  registration_status text CHECK (registration_status IN ('accepted', 'pending', 'rejected')),
  heartbeat_interval_s integer,
  boot_at timestamptz,
  boot_seq bigint,
  online boolean NOT NULL DEFAULT false,
  -- (online_at, online_seq) is the event that set `online`; older events never overwrite it.
  online_at timestamptz,
  online_seq bigint,
  last_seen_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (site_id, identity)
);
CREATE INDEX stations_tenant_idx ON stations (tenant_id);

-- One row per physical connector; (evse 0, connector 0) is the whole station (contract addressing).
CREATE TABLE connectors (
  station_id uuid NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  evse_id integer NOT NULL CHECK (evse_id >= 0),
  connector_id integer NOT NULL CHECK (connector_id >= 0),
  type text,
  max_power_w integer CHECK (max_power_w >= 0),
  status text NOT NULL DEFAULT 'unknown'
    CHECK (status IN ('available', 'occupied', 'reserved', 'unavailable', 'faulted', 'unknown')),
  raw_status text NOT NULL DEFAULT '',
  error_code text,
  vendor_error_code text,
  info text,
  status_at timestamptz,
  status_seq bigint,
  current_transaction_id text,
  session_at timestamptz,
  session_seq bigint,
  power_w double precision,
  energy_register_wh double precision,
  meter_at timestamptz,
  PRIMARY KEY (station_id, evse_id, connector_id)
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text NOT NULL,
  password_hash text NOT NULL,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE grants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'technician', 'analyst', 'viewer')),
  site_id uuid REFERENCES sites (id) ON DELETE CASCADE,
  city_id uuid REFERENCES cities (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (user_id, tenant_id, role, site_id, city_id)
);

CREATE TABLE auth_sessions (
  -- SHA-256 of the cookie value: a leaked table does not yield usable cookies.
  id_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  grant_id uuid NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX auth_sessions_expiry_idx ON auth_sessions (expires_at);

CREATE TABLE station_events (
  occurred_at timestamptz NOT NULL,
  id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  site_id uuid NOT NULL,
  station_id uuid,
  seq bigint NOT NULL,
  type text NOT NULL,
  received_at timestamptz NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  source jsonb NOT NULL,
  payload jsonb NOT NULL,
  PRIMARY KEY (occurred_at, id)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX station_events_station_idx ON station_events (station_id, occurred_at DESC);
CREATE INDEX station_events_site_idx ON station_events (site_id, occurred_at DESC);
CREATE TABLE station_events_default PARTITION OF station_events DEFAULT;

CREATE TABLE meter_samples (
  at timestamptz NOT NULL,
  station_id uuid NOT NULL,
  evse_id integer NOT NULL,
  connector_id integer NOT NULL,
  measurand text NOT NULL,
  -- '' rather than NULL so the natural key below deduplicates.
  phase text NOT NULL DEFAULT '',
  location text NOT NULL DEFAULT '',
  value double precision NOT NULL,
  unit text NOT NULL,
  context text NOT NULL,
  transaction_id text,
  tenant_id uuid NOT NULL,
  event_id uuid NOT NULL,
  PRIMARY KEY (station_id, at, evse_id, connector_id, measurand, phase, location)
) PARTITION BY RANGE (at);
CREATE INDEX meter_samples_tx_idx ON meter_samples (station_id, transaction_id, at)
  WHERE transaction_id IS NOT NULL;
CREATE TABLE meter_samples_default PARTITION OF meter_samples DEFAULT;

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  station_id uuid NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  evse_id integer,
  connector_id integer,
  transaction_id text NOT NULL,
  id_token text,
  id_token_type text,
  started_at timestamptz,
  ended_at timestamptz,
  meter_start_wh double precision,
  meter_stop_wh double precision,
  last_register_wh double precision,
  last_register_at timestamptz,
  energy_wh double precision,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed')),
  stop_reason text,
  charging_state text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (station_id, transaction_id)
);
CREATE INDEX sessions_active_idx ON sessions (tenant_id) WHERE status = 'active';
CREATE INDEX sessions_started_idx ON sessions (tenant_id, started_at DESC);

CREATE TABLE dead_letters (
  id bigserial PRIMARY KEY,
  stream text NOT NULL,
  stream_seq bigint NOT NULL,
  subject text NOT NULL,
  raw bytea NOT NULL,
  code text NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream, stream_seq)
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  action text NOT NULL,
  target_type text,
  target_id text,
  detail jsonb NOT NULL DEFAULT '{}',
  ip text
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, at DESC);

-- Creates the monthly partitions of `parent` (partitioned by `time_column`) from last month to
-- `months_ahead` months ahead. Rows already in the default partition for a new month are moved into
-- it, because PostgreSQL refuses to attach a range the default partition already holds.
CREATE FUNCTION vm_ensure_monthly_partitions(parent text, time_column text, months_ahead integer)
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  month_start date;
  month_end date;
  part text;
  created integer := 0;
BEGIN
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
$fn$;

SELECT vm_ensure_monthly_partitions('station_events', 'occurred_at', 3);
SELECT vm_ensure_monthly_partitions('meter_samples', 'at', 3);

-- The display status of a station, in one place (API list, snapshot, live updates).
CREATE VIEW station_summaries AS
SELECT
  st.id,
  st.tenant_id,
  st.identity,
  st.name,
  st.site_id,
  si.name AS site_name,
  si.code AS site_code,
  si.city_id,
  ci.name AS city_name,
  t.name AS tenant_name,
  st.lat,
  st.lon,
  st.online,
  st.last_seen_at,
  st.ocpp_version,
  st.vendor,
  st.model,
  c.connectors,
  CASE
    WHEN NOT st.online THEN 'offline'
    WHEN coalesce(c.any_faulted, false) THEN 'faulted'
    WHEN coalesce(c.any_occupied, false) THEN 'charging'
    WHEN coalesce(c.station_unavailable, false) OR (c.n > 0 AND c.n = c.n_unavailable) THEN 'unavailable'
    WHEN coalesce(c.any_available, false) THEN 'available'
    ELSE 'unknown'
  END AS display_status
FROM stations st
JOIN sites si ON si.id = st.site_id
JOIN tenants t ON t.id = st.tenant_id
LEFT JOIN cities ci ON ci.id = si.city_id
LEFT JOIN LATERAL (
  SELECT
    coalesce(
      json_agg(
        json_build_object(
          'evseId', x.evse_id, 'connectorId', x.connector_id, 'status', x.status,
          'rawStatus', x.raw_status, 'errorCode', x.error_code, 'statusAt', x.status_at
        ) ORDER BY x.evse_id, x.connector_id
      ) FILTER (WHERE x.evse_id > 0),
      '[]'::json
    ) AS connectors,
    bool_or(x.status = 'faulted') AS any_faulted,
    bool_or(x.status = 'occupied') FILTER (WHERE x.evse_id > 0) AS any_occupied,
    bool_or(x.status = 'available') FILTER (WHERE x.evse_id > 0) AS any_available,
    bool_or(x.status = 'unavailable') FILTER (WHERE x.evse_id = 0) AS station_unavailable,
    count(*) FILTER (WHERE x.evse_id > 0) AS n,
    count(*) FILTER (WHERE x.evse_id > 0 AND x.status = 'unavailable') AS n_unavailable
  FROM connectors x
  WHERE x.station_id = st.id
) c ON true;

-- Down Migration
DROP VIEW IF EXISTS station_summaries;
DROP FUNCTION IF EXISTS vm_ensure_monthly_partitions(text, text, integer);
DROP TABLE IF EXISTS audit_log, dead_letters, sessions, meter_samples, station_events, auth_sessions,
  grants, users, connectors, stations, sites, cities, tenants;
