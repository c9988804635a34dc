-- Up Migration
--
-- Remote commands sent from the API, the audit log's request context, and sessions an operator
-- closed in the cloud (force-stop of a station that cannot be reached).

CREATE TABLE commands (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  station_id uuid NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  -- Kept beside user_id so the history still names the sender after the user is deleted.
  user_email text NOT NULL,
  type text NOT NULL,
  command jsonb NOT NULL,
  outcome text NOT NULL
    CHECK (outcome IN ('accepted', 'rejected', 'scheduled', 'offline', 'timeout', 'not_supported', 'invalid', 'error')),
  detail text,
  settings jsonb,
  data text,
  ip text,
  requested_at timestamptz NOT NULL,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0)
);
CREATE INDEX commands_station_idx ON commands (station_id, requested_at DESC);

ALTER TABLE audit_log
  ADD COLUMN user_email text,
  ADD COLUMN user_agent text;
CREATE INDEX audit_log_tenant_action_idx ON audit_log (tenant_id, action, at DESC);

ALTER TABLE sessions DROP CONSTRAINT sessions_status_check;
ALTER TABLE sessions
  ADD CONSTRAINT sessions_status_check CHECK (status IN ('active', 'completed', 'stopped_by_operator')),
  ADD COLUMN force_stopped_at timestamptz,
  ADD COLUMN force_stopped_by uuid REFERENCES users (id) ON DELETE SET NULL,
  ADD COLUMN force_stop_reason text;

-- Down Migration
ALTER TABLE sessions
  DROP COLUMN IF EXISTS force_stop_reason,
  DROP COLUMN IF EXISTS force_stopped_by,
  DROP COLUMN IF EXISTS force_stopped_at,
  DROP CONSTRAINT IF EXISTS sessions_status_check;
UPDATE sessions SET status = 'completed' WHERE status = 'stopped_by_operator';
ALTER TABLE sessions ADD CONSTRAINT sessions_status_check CHECK (status IN ('active', 'completed'));
DROP INDEX IF EXISTS audit_log_tenant_action_idx;
ALTER TABLE audit_log DROP COLUMN IF EXISTS user_agent, DROP COLUMN IF EXISTS user_email;
DROP TABLE IF EXISTS commands;
