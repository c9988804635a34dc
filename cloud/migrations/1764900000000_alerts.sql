-- Up Migration
--
-- Alerts (issue #7): rules per tenant, incidents opened by them, on-call groups (maintenance crews
-- per site or city), each user's alert contact preferences, webhooks and the notification outbox.
-- docs/alerts.md describes the rule catalogue, the incident lifecycle and the outbox semantics.

-- Where a user wants alerts and when not to be woken. The phone number is `users.phone`; a missing
-- row means every channel, no quiet hours.
CREATE TABLE alert_contacts (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  channels text[] NOT NULL DEFAULT '{sms,email,in_app}'
    CHECK (channels <@ ARRAY['sms', 'email', 'in_app']::text[]),
  -- Quiet hours in the user's time zone; non-critical SMS/e-mail are held until they end.
  quiet_start time,
  quiet_end time,
  time_zone text NOT NULL DEFAULT 'UTC',
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

-- A maintenance crew: members are notified by escalation level (1 first, then 2, ...).
CREATE TABLE oncall_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text NOT NULL DEFAULT '',
  -- The crew of one site or of one city; both null = the whole tenant.
  site_id uuid REFERENCES sites (id) ON DELETE CASCADE,
  city_id uuid REFERENCES cities (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (site_id IS NULL OR city_id IS NULL),
  UNIQUE (tenant_id, name)
);
CREATE INDEX oncall_groups_site_idx ON oncall_groups (site_id) WHERE site_id IS NOT NULL;
CREATE INDEX oncall_groups_city_idx ON oncall_groups (city_id) WHERE city_id IS NOT NULL;

CREATE TABLE oncall_members (
  group_id uuid NOT NULL REFERENCES oncall_groups (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  level smallint NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 5),
  position smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX oncall_members_user_idx ON oncall_members (user_id);

CREATE TABLE alert_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind text NOT NULL CHECK (kind IN ('station_offline', 'site_unreachable', 'connector_faulted',
    'fault_burst', 'charging_error', 'heartbeat_missed', 'firmware_failed', 'diagnostics_failed',
    'security_event', 'maintenance_due', 'session_stuck')),
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  enabled boolean NOT NULL DEFAULT true,
  -- Scope: all three empty = every station of the tenant; otherwise a target matches any of them.
  city_ids uuid[] NOT NULL DEFAULT '{}',
  site_ids uuid[] NOT NULL DEFAULT '{}',
  station_ids uuid[] NOT NULL DEFAULT '{}',
  -- Kind-specific thresholds (rules/catalogue.ts validates them).
  params jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- A condition that returns within this many minutes of an automatic resolution reopens the same
  -- incident (flap) instead of opening and notifying a new one.
  cooldown_minutes integer NOT NULL DEFAULT 15 CHECK (cooldown_minutes BETWEEN 0 AND 10080),
  channels text[] NOT NULL DEFAULT '{sms,email,in_app}'
    CHECK (channels <@ ARRAY['sms', 'email', 'webhook', 'in_app']::text[]),
  -- Recipients: the on-call crews whose scope covers the target's site, named groups and users.
  notify_site_oncall boolean NOT NULL DEFAULT true,
  recipient_group_ids uuid[] NOT NULL DEFAULT '{}',
  recipient_user_ids uuid[] NOT NULL DEFAULT '{}',
  notify_on_recovery boolean NOT NULL DEFAULT false,
  -- Not acknowledged within this many minutes: the next level of the crews is notified, and after
  -- the last level the escalation group.
  escalation_after_minutes integer CHECK (escalation_after_minutes BETWEEN 1 AND 10080),
  escalation_group_id uuid REFERENCES oncall_groups (id) ON DELETE SET NULL,
  is_default boolean NOT NULL DEFAULT false,
  -- Scheduler bookkeeping: a process claims a due rule with FOR UPDATE SKIP LOCKED.
  next_evaluation_at timestamptz NOT NULL DEFAULT '-infinity',
  last_evaluated_at timestamptz,
  evaluations bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX alert_rules_due_idx ON alert_rules (next_evaluation_at) WHERE enabled;

-- One incident per rule × target while it is not resolved (the partial unique index below).
-- Targets: a site, a station, or one connector of a station.
CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  rule_id uuid NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
  kind text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  station_id uuid REFERENCES stations (id) ON DELETE CASCADE,
  evse_id integer,
  connector_id integer,
  title text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
  -- When the condition began (e.g. when the station went offline), not when the rule noticed.
  since timestamptz NOT NULL,
  opened_at timestamptz NOT NULL,
  acknowledged_by uuid REFERENCES users (id) ON DELETE SET NULL,
  acknowledged_at timestamptz,
  resolved_by uuid REFERENCES users (id) ON DELETE SET NULL,
  resolved_at timestamptz,
  auto_resolved boolean NOT NULL DEFAULT false,
  flap_count integer NOT NULL DEFAULT 0,
  last_notified_at timestamptz,
  escalation_level integer NOT NULL DEFAULT 0,
  escalated_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX incidents_open_key ON incidents (rule_id, site_id, station_id, evse_id, connector_id)
  NULLS NOT DISTINCT WHERE status <> 'resolved';
CREATE INDEX incidents_tenant_idx ON incidents (tenant_id, opened_at DESC);
CREATE INDEX incidents_station_idx ON incidents (station_id, opened_at DESC);
CREATE INDEX incidents_unresolved_idx ON incidents (tenant_id) WHERE status <> 'resolved';

-- The incident's timeline: opened, notified, escalated, acknowledged, comments, resolved, reopened.
CREATE TABLE incident_events (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  type text NOT NULL CHECK (type IN ('opened', 'reopened', 'escalated', 'acknowledged', 'resolved',
    'auto_resolved', 'comment')),
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  comment text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, at);

-- When a station was last serviced: maintenance_due counts from here (resolving a maintenance_due
-- incident by hand records a service).
CREATE TABLE station_services (
  id bigserial PRIMARY KEY,
  station_id uuid NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  serviced_at timestamptz NOT NULL,
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  comment text
);
CREATE INDEX station_services_station_idx ON station_services (station_id, serviced_at DESC);

CREATE TABLE alert_webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  url text NOT NULL CHECK (url ~ '^https?://'),
  -- HMAC-SHA256 key of the X-Voltmesh-Signature header; shown once on creation.
  secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

-- The outbox: a row is queued in the same transaction that opens, escalates or resolves an
-- incident; the dispatcher claims due rows (FOR UPDATE SKIP LOCKED) and retries with backoff.
-- `idempotency_key` (incident, step, recipient, channel) makes a second trigger a no-op.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  incident_id uuid REFERENCES incidents (id) ON DELETE CASCADE,
  -- What happened to the incident: opened, escalated (to a level), recovered.
  reason text NOT NULL CHECK (reason IN ('opened', 'escalated', 'recovered', 'test')),
  channel text NOT NULL CHECK (channel IN ('sms', 'email', 'webhook', 'in_app')),
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  webhook_id uuid REFERENCES alert_webhooks (id) ON DELETE CASCADE,
  -- Phone, e-mail or URL at queueing time (what was attempted, even if the user changes it later).
  address text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  html text,
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  idempotency_key text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  provider_id text,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((channel = 'webhook') = (webhook_id IS NOT NULL))
);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX notifications_tenant_idx ON notifications (tenant_id, created_at DESC);
CREATE INDEX notifications_incident_idx ON notifications (incident_id);
CREATE INDEX notifications_inbox_idx ON notifications (user_id, created_at DESC) WHERE channel = 'in_app';
CREATE INDEX notifications_provider_idx ON notifications (provider_id) WHERE provider_id IS NOT NULL;

-- The default rules of a tenant (docs/alerts.md, "Rule catalogue"). Called by the trigger below for
-- every new tenant and once here for the existing ones; idempotent by (tenant, name).
CREATE FUNCTION vm_create_default_alert_rules(tenant uuid) RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  created integer;
BEGIN
  INSERT INTO alert_rules (tenant_id, name, kind, severity, enabled, params, cooldown_minutes, channels,
                           notify_on_recovery, escalation_after_minutes, is_default)
  VALUES
    (tenant, 'Station offline', 'station_offline', 'warning', true,
     '{"durationMinutes": 10}', 15, '{sms,email,in_app}', true, 30, true),
    (tenant, 'Site unreachable', 'site_unreachable', 'critical', true,
     '{"durationMinutes": 5}', 15, '{sms,email,in_app}', true, 20, true),
    (tenant, 'Connector faulted', 'connector_faulted', 'warning', true,
     '{"durationMinutes": 2}', 15, '{email,in_app}', true, NULL, true),
    (tenant, 'Fault burst', 'fault_burst', 'warning', true,
     '{"threshold": 5, "windowMinutes": 60}', 60, '{email,in_app}', false, NULL, true),
    (tenant, 'Charging error', 'charging_error', 'warning', true,
     '{"windowMinutes": 30, "noMeterMinutes": 15, "suspendedMinutes": 60}', 15, '{email,in_app}', false, NULL, true),
    (tenant, 'Heartbeat missed', 'heartbeat_missed', 'info', true,
     '{"missedIntervals": 3}', 15, '{in_app}', false, NULL, true),
    (tenant, 'Firmware update failed', 'firmware_failed', 'warning', true,
     '{"windowMinutes": 1440}', 60, '{email,in_app}', false, NULL, true),
    (tenant, 'Diagnostics upload failed', 'diagnostics_failed', 'info', true,
     '{"windowMinutes": 1440}', 60, '{in_app}', false, NULL, true),
    (tenant, 'Security event', 'security_event', 'critical', true,
     '{"windowMinutes": 60}', 60, '{sms,email,in_app}', false, 30, true),
    (tenant, 'Maintenance due', 'maintenance_due', 'info', true,
     '{"energyKwh": 50000, "sessions": 5000, "operatingHours": 4000, "days": 365}', 1440, '{email,in_app}', false, NULL, true),
    (tenant, 'Session stuck', 'session_stuck', 'warning', true,
     '{"hours": 12}', 60, '{email,in_app}', false, NULL, true)
  ON CONFLICT (tenant_id, name) DO NOTHING;
  GET DIAGNOSTICS created = ROW_COUNT;
  RETURN created;
END
$fn$;

CREATE FUNCTION vm_tenant_default_alert_rules() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM vm_create_default_alert_rules(NEW.id);
  RETURN NEW;
END
$fn$;
CREATE TRIGGER tenants_default_alert_rules AFTER INSERT ON tenants
  FOR EACH ROW EXECUTE FUNCTION vm_tenant_default_alert_rules();

SELECT vm_create_default_alert_rules(id) FROM tenants;

-- Down Migration
DROP TRIGGER IF EXISTS tenants_default_alert_rules ON tenants;
DROP FUNCTION IF EXISTS vm_tenant_default_alert_rules();
DROP FUNCTION IF EXISTS vm_create_default_alert_rules(uuid);
DROP TABLE IF EXISTS notifications;
DROP TABLE IF EXISTS alert_webhooks;
DROP TABLE IF EXISTS station_services;
DROP TABLE IF EXISTS incident_events;
DROP TABLE IF EXISTS incidents;
DROP TABLE IF EXISTS alert_rules;
DROP TABLE IF EXISTS oncall_members;
DROP TABLE IF EXISTS oncall_groups;
DROP TABLE IF EXISTS alert_contacts;
