-- Up Migration
--
-- The station event log (GET /api/events) reads a tenant's loggable station events and commands
-- newest first over a bounded range. Per station the existing (station_id, occurred_at) indexes
-- serve; tenant-wide, without these, every meter sample of the range would be read and thrown away.
-- The type list must stay equal to LOGGED_EVENT_TYPES in cloud/src/event-log/entries.ts, which the
-- query spells out the same way so the planner can use the partial index.

CREATE INDEX station_events_log_idx ON station_events (tenant_id, occurred_at DESC)
  WHERE type IN ('station.booted', 'station.connected', 'station.disconnected', 'connector.status',
    'token.authorized', 'session.started', 'session.updated', 'session.ended', 'firmware.status',
    'diagnostics.status', 'security.event');
CREATE INDEX commands_tenant_idx ON commands (tenant_id, requested_at DESC);

-- Down Migration
DROP INDEX IF EXISTS commands_tenant_idx;
DROP INDEX IF EXISTS station_events_log_idx;
