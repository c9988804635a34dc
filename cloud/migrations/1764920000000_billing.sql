-- Up Migration
--
-- Tariffs and session cost (issue #6 items 1–2, docs/tariffs.md). A tariff has versions with
-- validity dates (scheduled changes); a session keeps the version it started with. Assignments say
-- which tariff applies where: token > token group > station > site (the precedence is in code,
-- billing/resolve.ts). The final report of a session is written when it ends: cost, its breakdown,
-- charging and idle time and peak power.

CREATE TABLE tariffs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

-- `spec`: the components, periods, currency and time zone (billing/tariff.ts TariffSpec), validated
-- by the API. A version applies from `valid_from` until the next version's `valid_from` or its own
-- `valid_to`, whichever comes first.
CREATE TABLE tariff_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  tariff_id uuid NOT NULL REFERENCES tariffs (id) ON DELETE CASCADE,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz CHECK (valid_to IS NULL OR valid_to > valid_from),
  spec jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  UNIQUE (tariff_id, valid_from)
);

-- One tariff per target. No foreign key on target_id (it names a site, station, token group or
-- token): a deleted target's row is removed by the API and never matches a session afterwards.
CREATE TABLE tariff_assignments (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  target_type text NOT NULL CHECK (target_type IN ('site', 'station', 'token_group', 'token')),
  target_id uuid NOT NULL,
  tariff_id uuid NOT NULL REFERENCES tariffs (id) ON DELETE CASCADE,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, target_type, target_id)
);
CREATE INDEX tariff_assignments_tariff_idx ON tariff_assignments (tariff_id);

-- A version priced sessions: deleting its tariff is refused (no cascade from sessions).
ALTER TABLE sessions
  ADD COLUMN tariff_version_id uuid REFERENCES tariff_versions (id),
  ADD COLUMN cost_net numeric(18, 4),
  ADD COLUMN cost_tax numeric(18, 4),
  ADD COLUMN cost_total numeric(18, 4),
  ADD COLUMN cost_currency text,
  ADD COLUMN cost_breakdown jsonb,
  ADD COLUMN charging_seconds double precision,
  ADD COLUMN idle_seconds double precision,
  ADD COLUMN peak_power_w double precision,
  ADD COLUMN report_at timestamptz,
  ADD COLUMN disputed_at timestamptz,
  ADD COLUMN disputed_by uuid REFERENCES users (id) ON DELETE SET NULL,
  ADD COLUMN dispute_reason text,
  ADD COLUMN status_before_dispute text,
  DROP CONSTRAINT sessions_status_check,
  ADD CONSTRAINT sessions_status_check
    CHECK (status IN ('active', 'completed', 'stopped_by_operator', 'closed_by_watchdog', 'disputed'));
CREATE INDEX sessions_tenant_token_idx ON sessions (tenant_id, id_token);
CREATE INDEX sessions_tariff_version_idx ON sessions (tariff_version_id);

-- Down Migration
DROP INDEX IF EXISTS sessions_tariff_version_idx, sessions_tenant_token_idx;
ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_status_check;
UPDATE sessions SET status = coalesce(status_before_dispute, 'completed') WHERE status = 'disputed';
ALTER TABLE sessions
  ADD CONSTRAINT sessions_status_check
    CHECK (status IN ('active', 'completed', 'stopped_by_operator', 'closed_by_watchdog')),
  DROP COLUMN IF EXISTS status_before_dispute,
  DROP COLUMN IF EXISTS dispute_reason,
  DROP COLUMN IF EXISTS disputed_by,
  DROP COLUMN IF EXISTS disputed_at,
  DROP COLUMN IF EXISTS report_at,
  DROP COLUMN IF EXISTS peak_power_w,
  DROP COLUMN IF EXISTS idle_seconds,
  DROP COLUMN IF EXISTS charging_seconds,
  DROP COLUMN IF EXISTS cost_breakdown,
  DROP COLUMN IF EXISTS cost_currency,
  DROP COLUMN IF EXISTS cost_total,
  DROP COLUMN IF EXISTS cost_tax,
  DROP COLUMN IF EXISTS cost_net,
  DROP COLUMN IF EXISTS tariff_version_id;
DROP TABLE IF EXISTS tariff_assignments, tariff_versions, tariffs;
